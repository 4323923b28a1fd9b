"""The lists of labelling requests at volume: a page at a time, every request reachable, their
counts right, and as many queries for many rows as for a few."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labelling.models import State
from tests.focalpoints.factories import PartnerFactory
from tests.labelling.factories import LabellingRequestFactory

pytestmark = pytest.mark.django_db


def make(count, state, partner=None, **fields):
    """``count`` requests in ``state``, submitted a day apart (the latest first), without
    walking each through the workflow."""
    now = timezone.now()
    return [
        LabellingRequestFactory(
            lead_partner=partner or PartnerFactory(),
            state=state,
            submitted_at=None if state == State.DRAFT else now - datetime.timedelta(days=number),
            decided_at=now - datetime.timedelta(days=number) if state == State.APPROVED else None,
            **fields,
        )
        for number in range(count)
    ]


def queries_of(client, url):
    """The queries of ``url``, built afresh once what it keeps for the content is kept."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_review_queue_counts_the_requests_of_each_state(client, secretariat):
    make(3, State.SUBMITTED)
    make(2, State.REJECTED)
    make(4, State.DRAFT)
    client.force_login(secretariat)

    page = client.get(reverse("labelling:review-queue")).text

    assert "Submitted: <strong>3</strong>" in page
    assert "Rejected: <strong>2</strong>" in page
    assert "Under review: <strong>0</strong>" in page
    assert "Draft:" not in page


def test_the_list_of_requests_shows_a_page_at_a_time_and_every_request_on_one(
    client, senegal, senegal_focal_point
):
    requests = make(25, State.SUBMITTED, senegal)
    client.force_login(senegal_focal_point)
    url = reverse("labelling:requests")

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["rows"]) == 20 and len(second.context["rows"]) == 5
    shown = {row.title for response in (first, second) for row in response.context["rows"]}
    assert shown == {request.title for request in requests}
    assert 'rel="next"' in first.text and "Page 1 of 2" in first.text


def test_the_review_queue_rows_show_domains_state_and_waiting_time(client, secretariat):
    [request] = make(1, State.UNDER_REVIEW)
    domain = request.actions.get().objective.domain
    client.force_login(secretariat)

    [row] = client.get(reverse("labelling:review-queue")).context["rows"]

    assert row.url == request.get_private_url() and row.title == request.title
    assert row.domains == str(domain.number)
    assert row.state_label == "Under review"
    assert row.waiting.endswith("ago") and row.submitted.startswith(str(timezone.now().year))


@pytest.mark.parametrize(
    "url, state, who",
    [
        ("/en/labelled-projects/", State.APPROVED, None),
        ("/en/private/labelling/review/", State.SUBMITTED, "secretariat"),
        ("/en/private/labelling/", State.SUBMITTED, "senegal_focal_point"),
    ],
)
def test_a_list_costs_as_many_queries_for_many_rows_as_for_a_few(
    client, settings, senegal, url, state, who, request
):
    settings.PAGE_CACHE_SECONDS = 0
    if who:
        client.force_login(request.getfixturevalue(who))
    make(2, state, senegal)
    few = queries_of(client, url)

    make(30, state, senegal)

    assert queries_of(client, url) == few


def test_a_labelled_project_page_shows_its_actions_domains_and_partners(client, senegal, spain):
    partner = PartnerFactory(name="Funding agency")
    [project] = make(1, State.APPROVED, senegal)
    project.co_implementing_partners.set([spain])
    project.funding_partners.set([partner])
    project.countries.set([senegal, spain])
    action = project.actions.get()

    page = client.get(project.get_absolute_url()).text

    assert action.get_absolute_url() in page
    assert action.objective.domain.get_absolute_url() in page
    assert "<dd>Spain</dd>" in page and "<dd>Funding agency</dd>" in page
    assert "<dd>Senegal, Spain</dd>" in page
    assert "Labelled on" in page
