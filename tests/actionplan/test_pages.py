"""The public pages of the Action Plan."""

import datetime

import pytest
from django.urls import reverse

from actionplan.views import SERVING_SHOWN
from labelling.models import LabellingRequest
from meetings.models import Document, Meeting, MeetingDateChange
from tests.actionplan.factories import ActionFactory
from tests.labelling.factories import LabellingRequestFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ACTION_15 = "/{language}/action-plan/marrakesh-2018-2020/actions/15/"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_action_links_the_previous_and_next_ones_without_a_query_per_link(
    client, seeded, language, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page built afresh each time
    url = ACTION_15.format(language=language)
    client.get(url)  # the neighbours' numbers and the counts, kept until the content changes
    # The action with its domain and plan, then the meetings and documents that the page lists
    # (all its meetings have dates: no postponements to fetch; it has no labelled project, and
    # which ones it lists is known: none asked for).
    with django_assert_num_queries(3):
        html = client.get(url).text

    assert f'rel="prev" href="/{language}/action-plan/marrakesh-2018-2020/actions/14/"' in html
    assert f'rel="next" href="/{language}/action-plan/marrakesh-2018-2020/actions/16/"' in html


def test_an_action_lists_its_latest_activities_and_links_to_the_lists_holding_them_all(
    client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page built afresh each time
    action = ActionFactory(title="Diaspora investment")
    extra = 2
    total = SERVING_SHOWN + extra
    day = datetime.date(2019, 1, 1)
    for n in range(total):
        MeetingFactory(title=f"Meeting {n:02}", start_date=day + datetime.timedelta(days=n))
        DocumentFactory(title=f"Document {n:02}", published_on=day + datetime.timedelta(days=n))
        LabellingRequestFactory(
            title=f"Project {n:02}",
            state=LabellingRequest.State.APPROVED,
            decided_at=datetime.datetime(2020, 1, 1 + n, tzinfo=datetime.UTC),
            actions=[action],
        )
    for meeting in Meeting.objects.filter(title__startswith="Meeting "):
        meeting.actions.add(action)
    for document in Document.objects.filter(title__startswith="Document "):
        document.actions.add(action)
    DocumentFactory(
        title="Restricted note", visibility=Document.Visibility.FOCAL_POINTS
    ).actions.add(action)

    html = client.get(action.get_absolute_url()).text

    # The latest of each, newest first; the older ones are in the filtered lists.
    newest, oldest = f"{total - 1:02}", f"{extra - 1:02}"
    for kind in ("Meeting", "Document", "Project"):
        assert html.count(f">{kind} ") == SERVING_SHOWN, kind
        assert html.index(f">{kind} {newest}<") < html.index(f">{kind} {extra:02}<")
        assert f">{kind} {oldest}<" not in html
    assert "Restricted note" not in html
    meetings = f"{reverse('meetings:list')}?action={action.pk}"
    documents = f"{reverse('meetings:documents')}?action={action.pk}"
    projects = f"{reverse('labelling:projects')}?action={action.pk}"
    assert f'<a href="{meetings}">All {total} meetings</a>' in html
    assert f'<a href="{documents}">All {total} documents</a>' in html
    assert f'<a href="{projects}">All {total} labelled projects</a>' in html
    for url, title in ((meetings, "Meeting"), (documents, "Document"), (projects, "Project")):
        assert f"{title} {oldest}" in client.get(url).text

    # Cheap as the lists grow: no query per row.
    for n in range(5):
        MeetingFactory(title=f"Later meeting {n}").actions.add(action)
    client.get(action.get_absolute_url())
    with django_assert_max_num_queries(5):
        assert client.get(action.get_absolute_url()).status_code == 200


def test_an_action_s_meeting_without_a_date_shows_the_dates_last_announced(
    client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page built afresh each time
    action = ActionFactory()
    dated = MeetingFactory(title="Dated meeting")
    postponed = MeetingFactory(
        title="Postponed meeting", start_date=None, status=Meeting.Status.POSTPONED
    )
    MeetingDateChange.objects.create(meeting=postponed, previous_start=datetime.date(2020, 4, 2))
    for meeting in (dated, postponed):
        meeting.actions.add(action)
    client.get(action.get_absolute_url())

    # Their postponements fetched for the undated meetings, in one query.
    with django_assert_max_num_queries(5):
        html = client.get(action.get_absolute_url()).text

    assert "Dated meeting" in html
    assert "last announced: 2 April 2020" in html


def test_an_action_s_latest_follow_the_content_and_each_visitor_s_rights(
    client, senegal_focal_point, settings
):
    """Which ones the page lists is kept until the content changes, for each set of
    visibilities a visitor may see."""
    settings.PAGE_CACHE_SECONDS = 0  # the page built afresh each time
    action = ActionFactory()
    DocumentFactory(title="Older study", published_on=datetime.date(2019, 1, 1)).actions.add(action)
    assert "Older study" in client.get(action.get_absolute_url()).text

    for title, visibility, year in (
        ("Restricted note", Document.Visibility.FOCAL_POINTS, 2020),
        ("Newer study", Document.Visibility.PUBLIC, 2021),
    ):
        document = DocumentFactory(
            title=title, visibility=visibility, published_on=datetime.date(year, 1, 1)
        )
        document.actions.add(action)
    public = client.get(action.get_absolute_url()).text
    client.force_login(senegal_focal_point)
    signed_in = client.get(action.get_absolute_url()).text

    assert "Newer study" in public and "Restricted note" not in public
    assert "All 2 documents" not in public and "(2)</span>" in public
    assert "Restricted note" in signed_in and "focal points only" in signed_in
    assert "(3)</span>" in signed_in
