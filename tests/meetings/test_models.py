import datetime

import pytest
from django.utils import translation

from meetings.models import DatePrecision, Meeting, format_span
from tests.meetings.factories import MeetingFactory, ParticipationFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "precision", "english", "french"),
    [
        (D(2019, 7, 1), D(2019, 7, 2), "day", "1–2 July 2019", "1er–2 juillet 2019"),
        (D(2018, 5, 1), None, "day", "1 May 2018", "1er mai 2018"),
        (
            D(2019, 6, 1),
            D(2019, 7, 1),
            "day",
            "1 June – 1 July 2019",
            "1er juin – 1er juillet 2019",
        ),
        (D(2019, 10, 24), None, "day", "24 October 2019", "24 octobre 2019"),
        (D(2019, 6, 30), D(2019, 7, 2), "day", "30 June – 2 July 2019", "30 juin – 2 juillet 2019"),
        (D(2020, 3, 1), None, "month", "March 2020", "mars 2020"),
        (D(2021, 1, 1), None, "quarter", "first quarter of 2021", "premier trimestre 2021"),
        (D(2020, 10, 1), None, "quarter", "last quarter of 2020", "dernier trimestre 2020"),
        (D(2021, 1, 1), None, "half", "first half of 2021", "premier semestre 2021"),
        (D(2015, 1, 1), None, "year", "2015", "2015"),
    ],
)
def test_dates_are_written_as_precisely_as_they_are_known(start, end, precision, english, french):
    with translation.override("en"):
        assert str(format_span(start, end, precision)) == english
    with translation.override("fr"):
        assert str(format_span(start, end, precision)) == french


@pytest.mark.django_db
def test_technical_share_is_the_reported_one_or_derived_from_the_breakdown():
    reported = ParticipationFactory(
        participants=73, external_experts=20, reported_technical_share=55
    )
    derived = ParticipationFactory(
        participants=80, national_technical_experts=30, external_experts=10
    )
    unknown = ParticipationFactory(delegations=41)

    assert reported.technical_share == 55
    assert derived.technical_share == 50
    assert unknown.technical_share is None


@pytest.mark.django_db
def test_upcoming_meetings_include_postponed_ones_with_a_future_date():
    today = D(2020, 9, 1)
    planned = MeetingFactory(status=Meeting.Status.PLANNED, start_date=D(2020, 10, 19))
    postponed = MeetingFactory(
        status=Meeting.Status.POSTPONED,
        start_date=D(2021, 1, 1),
        date_precision=DatePrecision.QUARTER,
    )
    held = MeetingFactory(status=Meeting.Status.HELD, start_date=D(2020, 2, 18))
    cancelled = MeetingFactory(status=Meeting.Status.CANCELLED, start_date=D(2020, 10, 1))

    upcoming = set(Meeting.objects.upcoming(today))

    assert upcoming == {planned, postponed}
    assert set(Meeting.objects.past(today)) == {held, cancelled}


@pytest.mark.django_db
def test_a_meeting_moved_out_of_a_year_still_belongs_to_that_year():
    moved = MeetingFactory(status=Meeting.Status.POSTPONED, start_date=None)
    moved.date_changes.create(previous_start=D(2020, 6, 2), previous_end=D(2020, 6, 3))
    other = MeetingFactory(start_date=D(2019, 7, 1))

    assert list(Meeting.objects.in_year(2020)) == [moved]
    assert list(Meeting.objects.in_year(2019)) == [other]


@pytest.mark.django_db
def test_a_meeting_moved_twice_within_a_year_and_held_in_it_is_listed_once():
    moved = MeetingFactory(status=Meeting.Status.HELD, start_date=D(2020, 11, 5))
    moved.date_changes.create(previous_start=D(2020, 3, 18))
    moved.date_changes.create(previous_start=D(2020, 6, 2))

    assert list(Meeting.objects.in_year(2020)) == [moved]
    assert Meeting.objects.in_year(2020).count() == 1


@pytest.mark.django_db
def test_a_meeting_falls_under_the_chairmanship_of_its_first_day():
    from tests.focalpoints.factories import ChairmanshipFactory, PartnerFactory

    ChairmanshipFactory(partner=PartnerFactory(slug="burkina-faso"), start=D(2018, 5, 2))
    ChairmanshipFactory(partner=PartnerFactory(slug="france"), start=D(2019, 6, 3))

    assert MeetingFactory(start_date=D(2019, 2, 11)).chairmanship.partner.slug == "burkina-faso"
    assert MeetingFactory(start_date=D(2019, 7, 1)).chairmanship.partner.slug == "france"
    assert MeetingFactory(start_date=None, status=Meeting.Status.POSTPONED).chairmanship is None


def test_the_date_filter_writes_1er_in_french_everywhere():
    from django.template import Context, Template

    template = Template('{{ day|date:"DATE_FORMAT" }} / {{ day|date:"j F" }} / {{ other|date }}')
    context = Context({"day": D(2018, 5, 1), "other": D(2018, 5, 2)})
    with translation.override("fr"):
        assert template.render(context) == "1er mai 2018 / 1er mai / 2 mai 2018"
    with translation.override("en"):
        assert template.render(context) == "1 May 2018 / 1 May / 2 May 2018"


@pytest.mark.django_db
def test_a_postponed_meeting_shows_its_last_announced_date_and_what_it_was_postponed_from():
    from meetings.models import Meeting, MeetingDateChange

    meeting = MeetingFactory(status=Meeting.Status.POSTPONED, start_date=None, city="Paris")
    for start, end in [(D(2020, 6, 2), D(2020, 6, 3)), (D(2020, 10, 20), D(2020, 10, 21))]:
        MeetingDateChange.objects.create(meeting=meeting, previous_start=start, previous_end=end)
    with translation.override("en"):
        assert meeting.dates_display == "last announced: 20–21 October 2020"
        assert meeting.postponement_display == (
            "postponed from 2–3 June 2020, 20–21 October 2020; new date to be set"
        )
        assert "date not known" not in meeting.dates_display
    meeting.start_date = D(2021, 1, 1)
    meeting.date_precision = "quarter"
    with translation.override("en"):
        assert meeting.dates_display == "first quarter of 2021"
        assert meeting.postponement_display == ("postponed from 2–3 June 2020, 20–21 October 2020")


@pytest.mark.django_db
def test_two_postponed_steering_committees_are_told_apart_by_their_announced_month():
    from meetings.models import Meeting, MeetingDateChange

    shown = []
    for month in (3, 7):
        meeting = MeetingFactory(
            title="Steering Committee meeting", status=Meeting.Status.POSTPONED, start_date=None
        )
        MeetingDateChange.objects.create(
            meeting=meeting, previous_start=D(2020, month, 1), previous_precision="month"
        )
        with translation.override("en"):
            shown.append(meeting.dates_display)
    assert shown == ["last announced: March 2020", "last announced: July 2020"]


@pytest.mark.django_db
def test_a_quarter_comes_before_the_half_year_that_starts_with_it():
    from meetings.models import Meeting

    half = MeetingFactory(title="A half", start_date=D(2021, 1, 1), date_precision="half")
    quarter = MeetingFactory(title="B quarter", start_date=D(2021, 1, 1), date_precision="quarter")
    chosen = Meeting.objects.filter(pk__in=[half.pk, quarter.pk])
    assert list(chosen.chronological()) == [quarter, half]
    assert list(chosen.newest_first()) == [quarter, half]


@pytest.mark.django_db
def test_on_the_same_first_day_the_shorter_span_comes_first():
    from meetings.models import Meeting

    # Titles in the opposite order, so that only the span orders them.
    spans = [
        MeetingFactory(title=title, start_date=D(2022, 1, 1), date_precision=precision)
        for title, precision in zip("EDCBA", DatePrecision.values, strict=True)
    ]
    assert [meeting.date_precision for meeting in spans] == [
        "day",
        "month",
        "quarter",
        "half",
        "year",
    ]
    assert list(Meeting.objects.chronological()) == spans
    assert list(Meeting.objects.newest_first()) == spans
