"""The gap registry: each kind finds the records with its gap and no other, links to the page
that fills it, and marks the gaps of a given set of records."""

import datetime

import pytest
from django.utils import translation

from focalpoints.models import DatePrecision
from meetings.models import Meeting
from portal_lib import gaps
from tests.actionplan.factories import ActionFactory
from tests.focalpoints.factories import ChairmanshipFactory, PartnerFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def found(key):
    """The records of kind ``key`` with the gap, as the page lists them."""
    (report,) = [report for report in gaps.report() if report.kind.key == key]
    return [gap.record for gap in report.gaps]


def test_an_action_without_its_wording_is_a_gap_and_a_confirmed_one_is_not():
    missing = ActionFactory(title="", description="")
    unconfirmed = ActionFactory(title="Set up", description="Set up things", number=30)
    complete = ActionFactory(
        title="Done", description="Done well", wording_confirmed=True, number=31
    )
    actions = found("actionplan.action.wording")
    assert missing in actions and unconfirmed in actions
    assert complete not in actions


def test_a_document_without_file_or_link_is_a_gap_and_one_with_either_is_not():
    bare = DocumentFactory(file="", url="")
    with_file = DocumentFactory()
    with_link = DocumentFactory(file="", url="https://example.org/report.pdf")
    documents = found("meetings.document.no-file")
    assert bare in documents
    assert with_file not in documents and with_link not in documents


def test_a_held_meeting_without_figures_is_a_gap_not_one_with_figures_nor_a_planned_one():
    no_row = MeetingFactory()
    empty_row = ParticipationFactory(meeting=MeetingFactory()).meeting
    counted = ParticipationFactory(meeting=MeetingFactory(), participants=68).meeting
    planned = MeetingFactory(status=Meeting.Status.PLANNED, start_date=datetime.date(2030, 1, 1))
    meetings = found("meetings.meeting.no-participation")
    assert no_row in meetings and empty_row in meetings
    assert counted not in meetings and planned not in meetings


def test_a_chairmanship_without_a_full_start_is_a_gap_not_one_whose_day_is_known():
    unknown = ChairmanshipFactory(start=None, end=datetime.date(2017, 3, 21))
    year_only = ChairmanshipFactory(
        start=datetime.date(2016, 1, 1), start_precision=DatePrecision.YEAR
    )
    known = ChairmanshipFactory(start=datetime.date(2017, 3, 21))
    chairmanships = found("focalpoints.chairmanship.dates")
    assert unknown in chairmanships and year_only in chairmanships
    assert known not in chairmanships


def test_a_text_written_in_english_only_is_a_gap_until_its_french_is_written():
    partner = PartnerFactory(
        name_en="Senegal", name_fr="Sénégal", description_en="A partner.", description_fr=""
    )
    assert partner in found("focalpoints.partner.without-french")
    partner.description_fr = "Un partenaire du Dialogue."
    partner.save()
    assert partner not in found("focalpoints.partner.without-french")


def test_a_text_empty_in_both_languages_is_not_a_missing_translation():
    partner = PartnerFactory(name_en="Senegal", name_fr="Sénégal", description_en="")
    assert partner not in found("focalpoints.partner.without-french")


def test_each_gap_links_to_a_page_that_opens_for_the_secretariat(client, secretariat):
    ActionFactory(title="")
    DocumentFactory(file="", url="")
    MeetingFactory()
    ChairmanshipFactory(start=None, end=datetime.date(2017, 3, 21))
    PartnerFactory(description_en="English only", description_fr="")
    client.force_login(secretariat)
    urls = [gap.url for report in gaps.report() for gap in report.gaps]
    assert len(urls) >= 5
    for url in urls:
        assert url and client.get(url).status_code == 200, url


def test_a_kind_registered_with_one_call_is_listed_with_its_own_link():
    meeting = MeetingFactory(summary="")
    kind = gaps.register(
        "tests.meeting.summary",
        "Meetings without a summary",
        lambda: Meeting.objects.filter(summary=""),
        edit_url=lambda meeting: f"/somewhere/{meeting.slug}/",
    )
    try:
        (report,) = [report for report in gaps.report() if report.kind == kind]
        assert report.count == 1
        assert report.gaps[0].url == f"/somewhere/{meeting.slug}/"
    finally:
        gaps.unregister("tests.meeting.summary")
    assert kind not in gaps.kinds()


def test_the_gaps_of_a_set_of_records_are_those_of_its_members_only(django_assert_max_num_queries):
    bare = DocumentFactory(file="", url="")
    complete = DocumentFactory()
    action = ActionFactory(title="")
    outside = DocumentFactory(file="", url="")
    with django_assert_max_num_queries(len(gaps.kinds()) + 5):
        marked = gaps.gaps_in([bare, complete, action])
    keys = {record: {gap.kind.key for gap in found} for record, found in marked.items()}
    assert "meetings.document.no-file" in keys[bare]
    assert "meetings.document.no-file" not in keys.get(complete, set())
    assert "actionplan.action.wording" in keys[action]
    assert outside not in marked


def test_labels_are_translated():
    with translation.override("fr"):
        labels = [str(kind.label) for kind in gaps.kinds()]
    assert "Documents sans fichier ni lien" in labels
