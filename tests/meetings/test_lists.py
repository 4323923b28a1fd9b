"""The meetings list and the calendar built from plain rows (``Meeting.objects.as_rows``): they
say what each meeting's own page says, in both languages, at a cost that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import Meeting, MeetingDateChange
from tests.actionplan.factories import ActionFactory
from tests.focalpoints.factories import PartnerFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def variety():
    """Meetings with each way of showing dates, places and postponements."""
    morocco = PartnerFactory(name_en="Morocco", name_fr="Maroc")
    senegal = PartnerFactory(name_en="Senegal", name_fr="")
    held = MeetingFactory(
        title_en="Senior Officials' Meeting",
        title_fr="Réunion des hauts fonctionnaires",
        city_en="Rabat",
        host_country=morocco,
        start_date=D(2019, 5, 1),
        end_date=D(2019, 5, 2),
        kind=Meeting.Kind.SENIOR_OFFICIALS,
    )
    held.actions.add(ActionFactory(number=12), ActionFactory(number=3))
    online = MeetingFactory(
        title_en="Webinar on data",
        city_en="",
        host_country=senegal,
        format=Meeting.Format.VIRTUAL,
        start_date=D(2020, 4, 1),
        date_precision="month",
    )
    waiting = MeetingFactory(
        title_en="Steering Committee",
        city="",
        start_date=None,
        status=Meeting.Status.POSTPONED,
        host_country=senegal,
    )
    moved = MeetingFactory(
        title_en="Workshop on returns",
        start_date=D(2021, 1, 1),
        date_precision="quarter",
        status=Meeting.Status.POSTPONED,
        host_country=None,
    )
    for meeting in (waiting, moved):
        for start in (D(2020, 6, 2), D(2020, 10, 20)):
            MeetingDateChange.objects.create(
                meeting=meeting, previous_start=start, previous_end=start + datetime.timedelta(1)
            )
    return [held, online, waiting, moved]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("all_changes", [True, False])
def test_a_row_says_what_the_meeting_s_page_says(variety, language, all_changes):
    chosen = Meeting.objects.filter(pk__in=[meeting.pk for meeting in variety])
    with translation.override(language):
        rows = {row["pk"]: row for row in chosen.as_rows(actions=True, all_changes=all_changes)}
        for meeting in chosen.select_related("host_country").prefetch_related("date_changes"):
            row = rows[meeting.pk]
            assert row["title"] == meeting.title
            assert row["url"] == meeting.get_absolute_url()
            assert row["kind_label"] == meeting.get_kind_display()
            assert row["status_label"] == meeting.get_status_display()
            assert row["dates"] == str(meeting.dates_display)
            assert row["place"] == str(meeting.place_display)
            assert row["postponement"] == str(meeting.postponement_display)
    held, online, waiting, moved = (rows[meeting.pk] for meeting in variety)
    # The French title and country where there are, the English ones where there are not.
    expected = {"en": ("Senior Officials' Meeting", "Rabat, Morocco", "Senegal")}
    expected["fr"] = ("Réunion des hauts fonctionnaires", "Rabat, Maroc", "Senegal")
    assert (held["title"], held["place"], waiting["place"]) == expected[language]
    assert held["actions"] == {"en": "Action 3, Action 12", "fr": "Action 3, Action 12"}[language]
    assert online["actions"] == ""
    assert len(moved["changes"]) == 2


def test_every_postponement_is_in_the_rows_unless_only_those_shown_are_asked_for(variety):
    held, *_ = variety
    MeetingDateChange.objects.create(meeting=held, previous_start=D(2019, 3, 1))
    chosen = Meeting.objects.filter(pk=held.pk)

    assert len(chosen.as_rows()[0]["changes"]) == 1
    with CaptureQueriesContext(connection) as queries:
        (row,) = chosen.as_rows(all_changes=False)
    # A held meeting's dates and words do not read its postponements: not asked for.
    assert row["changes"] == [] and len(queries) == 1


def test_the_list_counts_its_meetings_again_after_a_change(client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    MeetingFactory(kind=Meeting.Kind.WEBINAR)

    assert "1 meeting</h2>" in client.get("/en/meetings/", {"kind": "webinar"}).text
    MeetingFactory(kind=Meeting.Kind.WEBINAR)
    assert "2 meetings</h2>" in client.get("/en/meetings/", {"kind": "webinar", "page": "1"}).text


def test_the_filters_are_labelled_in_the_page_s_language(client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    english = client.get("/en/meetings/", {"kind": "webinar"}).text
    french = client.get("/fr/meetings/", {"kind": "workshop"}).text

    assert '<label for="id_kind">Kind</label>' in english
    assert '<label for="id_kind">Type</label>' in french
    assert 'value="webinar" selected' in english and 'value="workshop" selected' in french


def test_the_calendar_escapes_what_it_writes(client, db):
    MeetingFactory(
        title_en="Borders & <b>bold</b> ideas", city_en="Saint-Louis", start_date=D(2019, 3, 1)
    )

    html = client.get("/en/calendar/", {"year": "2019"}).text

    assert "Borders &amp; &lt;b&gt;bold&lt;/b&gt; ideas" in html
    assert "<b>bold</b>" not in html
