"""A meeting's page built from plain rows: its side events (``Meeting.objects.as_rows``) and the
actions it served (``Action.objects.as_rows``) say what the includes of one record per row said,
in both languages; its webinar recording and its query count."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from actionplan.models import Action
from meetings.models import Meeting, MeetingDateChange, MeetingInvitation
from tests.actionplan.factories import (
    ActionFactory,
    ActionPlanFactory,
    DomainFactory,
    ObjectiveFactory,
)
from tests.focalpoints.factories import PartnerFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date

# The includes the page rendered once per side event (meetings/meeting_item.html) and once per
# action served (actionplan/action_link.html, in the page's own loop), kept here as the
# reference the rows must match.
SIDE_EVENT = Template(
    """{% load i18n portal %}
<li class="meeting-item">
  <p class="meeting-meta"><span class="badge">{{ meeting|choice_label:"kind" }}</span>
    <time{% if meeting.start_date %} datetime="{{ meeting.start_date|date:'Y-m-d' }}"{% endif %}>{{ meeting.dates_display }}</time>{% if meeting.place_display %} · {{ meeting.place_display }}{% endif %}
    {% if meeting.status != "held" %}<span class="badge status-{{ meeting.status }}">{{ meeting|choice_label:"status" }}</span>{% endif %}{% if meeting.status == "postponed" %} <span class="muted postponement">{{ meeting.postponement_display }}</span>{% endif %}
  </p>
  <h3><a href="{{ meeting.get_absolute_url }}">{{ meeting.title }}</a></h3>
  {% with actions=meeting.actions.all %}{% if actions %}
  <p class="muted">{% for action in actions %}{% blocktranslate with number=action.number %}Action {{ number }}{% endblocktranslate %}{% if not forloop.last %}, {% endif %}{% endfor %}</p>
  {% endif %}{% endwith %}
</li>
"""  # noqa: E501
)
ACTION = Template(
    """{% for action in actions %}<li>{% include "actionplan/action_link.html" %} <span class="muted">({{ action.objective.domain }})</span></li>{% endfor %}"""  # noqa: E501
)


def squeezed(html):
    """``html`` with the white space between tags left out and any other run of it as one
    space: the same page to a browser."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def conference():
    """A conference with two side events (one held with actions and a host, one postponed
    without a new date) and three actions of two plans, one without a French title."""
    conference = MeetingFactory(title_en="Ministerial conference", start_date=D(2018, 5, 2))
    held = MeetingFactory(
        parent=conference,
        title_en="Side event on diaspora",
        title_fr="Événement parallèle sur la diaspora",
        start_date=D(2018, 5, 1),
        kind=Meeting.Kind.WORKSHOP,
        host_country=PartnerFactory(name_en="Morocco", name_fr="Maroc"),
        city_en="Marrakesh",
    )
    waiting = MeetingFactory(
        parent=conference,
        title_en="Side event on returns",
        start_date=None,
        status=Meeting.Status.POSTPONED,
    )
    MeetingDateChange.objects.create(
        meeting=waiting, previous_start=D(2018, 5, 3), previous_end=D(2018, 5, 4)
    )
    later = ActionPlanFactory(slug="cadiz-2023-2027")
    domain = DomainFactory(plan=later, title_en="Legal migration", title_fr="Migration légale")
    served = [
        ActionFactory(number=12, title_en="Visas", title_fr="Visas"),
        ActionFactory(number=3, title_en="Diaspora", title_fr=""),
        ActionFactory(objective=ObjectiveFactory(domain=domain), number=7),
    ]
    conference.actions.add(*served)
    held.actions.add(*served[:2])
    return conference


@pytest.mark.parametrize("language", ["en", "fr"])
def test_side_events_are_listed_as_the_include_listed_them(client, conference, language):
    side_events = (
        Meeting.objects.filter(parent=conference)
        .order_by(*Meeting._meta.ordering)
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("number")),
            Prefetch("date_changes", to_attr="postponements"),
        )
    )

    with translation.override(language):
        html = client.get(conference.get_absolute_url()).text
        expected = "".join(SIDE_EVENT.render(Context({"meeting": m})) for m in side_events)

    listed = section(html, "side-events")
    assert squeezed(f'<ul class="meeting-list">{expected}</ul>') in squeezed(listed)
    assert listed.count('<li class="meeting-item">') == 2
    assert "Action 3, Action 12" in listed


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_actions_served_are_listed_as_the_include_listed_them(client, conference, language):
    actions = Action.objects.filter(meetings=conference).with_domain().order_by("number")

    with translation.override(language):
        html = client.get(conference.get_absolute_url()).text
        expected = ACTION.render(Context({"actions": actions}))

    assert squeezed(f'<ul class="plain">{expected}</ul>') in squeezed(html)
    # The French title where there is one, else the English one; a domain of each plan.
    assert ("Migration légale" in html) == (language == "fr")
    assert "Diaspora</a>" in html and "/cadiz-2023-2027/actions/7/" in html


def test_a_held_webinar_shows_its_recording_and_a_planned_one_does_not(client):
    recorded = {}
    for status in (Meeting.Status.HELD, Meeting.Status.PLANNED):
        meeting = MeetingFactory(kind=Meeting.Kind.WEBINAR, status=status)
        MeetingInvitation.objects.create(
            meeting=meeting,
            nomination_deadline=timezone.now(),
            registration_deadline=timezone.now(),
            recording_link="https://video.example.org/webinar",
        )
        recorded[status] = "https://video.example.org/webinar" in (
            client.get(meeting.get_absolute_url()).text
        )

    assert recorded == {Meeting.Status.HELD: True, Meeting.Status.PLANNED: False}
    without = MeetingFactory(kind=Meeting.Kind.WEBINAR)
    assert "Recording of the webinar" not in client.get(without.get_absolute_url()).text


def test_the_page_runs_as_many_queries_with_side_events_and_actions_as_without(
    client, conference, settings
):
    """Warm (values kept by content version computed), a meeting's page asks the same number
    of queries whatever its actions; its side events add two queries (rows and actions) and
    one for postponements, whatever their number."""
    settings.PAGE_CACHE_SECONDS = 0
    alone = MeetingFactory(start_date=D(2019, 1, 1))

    def queries(meeting):
        client.get(meeting.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        return len(captured)

    with_side_events = queries(conference)
    for number in range(5):
        MeetingFactory(parent=conference, status=Meeting.Status.POSTPONED, start_date=None)
        conference.actions.add(ActionFactory(number=30 + number))
    assert queries(conference) == with_side_events == queries(alone) + 3
