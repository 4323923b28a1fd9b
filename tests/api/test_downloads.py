"""Downloads of the public lists as CSV and Excel: the page's records (its filters), under
headings in the page's language, readable by Python's csv module and by openpyxl."""

import csv
import io

import openpyxl
import pytest

from actionplan.models import Domain
from labelling.models import LabellingRequest, State
from meetings.models import Document, Meeting
from tests.labelling.factories import LabellingRequestFactory
from tests.meetings.factories import DocumentFactory

PLAN = "marrakesh-2018-2020"
MADRID = "thematic-meeting-border-management-madrid-2019"


def rows_of(response):
    """The rows of a downloaded file, headings first, as text."""
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_meetings_download_holds_the_filtered_pages_meetings_with_their_figures(
    client, seeded, file_format
):
    domain = Domain.objects.get(plan__slug=PLAN, number=4).pk
    query = {"year": "2019", "domain": domain}
    page = client.get("/en/meetings/", query)
    response = client.get(f"/en/meetings/export.{file_format}", query)
    rows = rows_of(response)

    headings, records = rows[0], rows[1:]
    assert headings[:3] == ["Title", "Kind", "Status"]
    assert len(records) == page.context["page"].paginator.count > 0
    madrid = Meeting.objects.get(slug=MADRID)
    row = dict(zip(headings, next(r for r in records if r[0] == madrid.title), strict=True))
    assert row["Participants"] == str(madrid.participation.participants)
    assert "4" in row["Domains"].split("; ")
    assert row["Start"].startswith("2019")
    assert f'filename="meetings-en.{file_format}"' in response["Content-Disposition"]


def test_the_meetings_page_links_its_downloads_with_its_filters(client, seeded):
    html = client.get("/fr/meetings/", {"year": "2019", "kind": "thematic"}).content.decode()

    assert 'href="/fr/meetings/export.csv?year=2019&amp;kind=thematic"' in html
    assert 'href="/fr/meetings/export.xlsx?year=2019&amp;kind=thematic"' in html
    assert "Télécharger" in html


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_french_page_downloads_with_french_headings_and_labels(client, seeded, file_format):
    rows = rows_of(client.get(f"/fr/meetings/export.{file_format}", {"kind": "thematic"}))

    assert rows[0][:3] == ["Titre", "Type", "Statut"]
    assert "Participants" in rows[0]
    assert {row[1] for row in rows[1:]} == {"Réunion thématique"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_documents_download_has_the_public_library_and_not_restricted_documents(
    client, seeded, file_format
):
    DocumentFactory(title="Restricted minutes", visibility=Document.Visibility.MEMBERS)
    page = client.get("/en/documents/", {"category": "political"})
    rows = rows_of(client.get(f"/en/documents/export.{file_format}", {"category": "political"}))

    assert rows[0][:2] == ["Title", "Category"]
    assert len(rows) - 1 == page.context["page"].paginator.count > 0
    assert "Restricted minutes" not in {row[0] for row in rows}
    assert {row[1] for row in rows[1:]} == {"Political meetings"}


def test_the_labelled_projects_download_lists_labelled_projects_only(client, seeded):
    labelled = LabellingRequestFactory(title='=HYPERLINK("http://evil.example")')
    LabellingRequest.objects.filter(pk=labelled.pk).update(state=State.APPROVED)
    LabellingRequestFactory(title="A draft, never public")

    for file_format in ("csv", "xlsx"):
        rows = rows_of(client.get(f"/fr/labelled-projects/export.{file_format}"))
        assert rows[0][:2] == ["Titre", "Type"]
        titles = [row[0] for row in rows[1:]]
        assert len(titles) == LabellingRequest.objects.labelled().count()
        assert "A draft, never public" not in titles
        # A title that a spreadsheet would run as a formula is written as text.
        assert '\'=HYPERLINK("http://evil.example")' in titles


def test_an_excel_download_holds_no_formula(client, seeded):
    labelled = LabellingRequestFactory(title="=1+1")
    LabellingRequest.objects.filter(pk=labelled.pk).update(state=State.APPROVED)
    response = client.get("/en/labelled-projects/export.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.parametrize(("language", "heading"), [("en", "Name"), ("fr", "Nom")])
def test_the_partners_download_lists_every_partner(client, seeded, language, heading):
    from focalpoints.models import Partner

    rows = rows_of(client.get(f"/{language}/partners/export.csv"))

    assert rows[0][0] == heading
    assert len(rows) - 1 == Partner.objects.count()
    assert 'href="/en/partners/export.csv"' in client.get("/en/partners/").content.decode()


def test_the_coverage_download_is_the_coverage_table_of_the_period_asked(client, seeded):
    query = {"plan": PLAN, "from": "2019-01-01", "to": "2019-12-31"}
    page = client.get("/en/meetings/coverage/", query)
    rows = rows_of(client.get("/en/meetings/coverage/export.xlsx", query))

    assert rows[0] == ["Domain", "Action", "Wording", "Activities"]
    expected = [(a.number, a.activities) for a in page.context["actions"]]
    assert [(int(row[1]), int(row[3])) for row in rows[1:]] == expected
    assert sum(activities for _number, activities in expected) > 0
    html = page.content.decode()
    assert "/en/meetings/coverage/export.csv?plan=marrakesh-2018-2020&amp;from=2019-01-01" in html


# The comparative tables and the frameworks' coverage


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_comparative_table_download_has_the_pages_actions_and_their_items(
    client, seeded, file_format
):
    from actionplan.models import Action, FrameworkItem, FrameworkMapping

    action_19 = Action.objects.get(plan__slug=PLAN, number=19)
    gcm = FrameworkItem.objects.filter(framework__slug="gcm").order_by("position")
    FrameworkMapping.objects.create(action=action_19, item=gcm.get(code="10"))
    FrameworkMapping.objects.create(action=action_19, item=gcm.get(code="11"))
    page = client.get(f"/en/action-plan/{PLAN}/frameworks/gcm/")

    rows = rows_of(client.get(f"/en/action-plan/{PLAN}/frameworks/gcm/export.{file_format}"))

    assert rows[0] == ["Domain", "Objective", "Action", "Wording", "GCM", "Wording of the items"]
    domains = page.context["domains"]
    on_page = [a for d in domains for o in d.objectives.all() for a in o.actions.all()]
    assert [int(row[2]) for row in rows[1:]] == [a.number for a in on_page] == list(range(1, 24))
    row = rows[1:][18]
    assert row[:3] == ["4", str(action_19.objective.number), "19"]
    assert row[4] == "GCM 10; GCM 11"
    assert gcm.get(code="10").title_en in row[5]
    assert {r[4] for r in rows[1:19]} == {""}  # nothing else recorded against the Global Compact


def test_the_comparative_table_downloads_in_french_and_the_page_links_them(client, seeded):
    page = client.get(f"/fr/action-plan/{PLAN}/frameworks/sdg/").content.decode()
    rows = rows_of(client.get(f"/fr/action-plan/{PLAN}/frameworks/sdg/export.csv"))

    assert f'href="/fr/action-plan/{PLAN}/frameworks/sdg/export.csv"' in page
    assert f'href="/fr/action-plan/{PLAN}/frameworks/sdg/export.xlsx"' in page
    assert "Télécharger" in page
    assert rows[0][:4] == ["Domaine", "Objectif", "Action", "Libellé"]
    assert rows[0][4] == "ODD"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_framework_coverage_download_is_the_pages_table_for_the_period(
    client, seeded, file_format
):
    query = {"from": "2019-01-01", "to": "2019-12-31"}
    page = client.get("/en/frameworks/jvap/coverage/", query)

    rows = rows_of(client.get(f"/en/frameworks/jvap/coverage/export.{file_format}", query))

    assert rows[0] == ["Domain", "Wording", "Meetings held", "Labelled projects", "Total"]
    expected = [[row.item.label, *counts, row.total] for row, counts in page.context["rows"]]
    assert [[r[0], *map(int, r[2:])] for r in rows[1:]] == expected
    assert sum(row[-1] for row in expected) > 0
    html = page.content.decode()
    assert 'href="/en/frameworks/jvap/coverage/export.csv?from=2019-01-01&amp;to=2019-12-31"' in (
        html
    )


def test_the_framework_coverage_download_follows_the_period_and_the_language(client, seeded):
    whole = rows_of(client.get("/fr/frameworks/jvap/coverage/export.csv", {"from": "2018-01-01"}))
    later = rows_of(client.get("/fr/frameworks/jvap/coverage/export.csv", {"from": "2030-01-01"}))

    assert whole[0] == ["Domaine", "Libellé", "Réunions tenues", "Projets labellisés", "Total"]
    assert whole[1][0] == "PACV 1"
    assert sum(int(row[-1]) for row in whole[1:]) > 0
    assert {row[-1] for row in later[1:]} == {"0"}


def test_the_framework_coverage_download_counts_ideas_only_for_those_who_may_see_them(
    client, seeded, senegal_staff
):
    anonymous = rows_of(client.get("/en/frameworks/gcm/coverage/export.csv"))
    client.force_login(senegal_staff)
    member = rows_of(client.get("/en/frameworks/gcm/coverage/export.csv"))

    assert "Ideas" not in anonymous[0]
    assert "Ideas" in member[0]
    assert len(anonymous) == len(member) == 24
