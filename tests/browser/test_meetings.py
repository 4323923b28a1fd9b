"""A visitor filters the meetings, opens Madrid, sees its participation and downloads a document."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.meetings.factories import DocumentFactory

pytestmark = pytest.mark.browser


def word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile("Madrid guide.docx", buffer.getvalue())


@pytest.fixture
def seeded_site(transactional_db, live_server):
    call_command("bootstrap", verbosity=0)
    guide = DocumentFactory(
        title="Border management guide (Word)", slug="guide-word", file=word_document()
    )
    guide.meetings.add(Meeting.objects.get(slug="thematic-meeting-border-management-madrid-2019"))
    return live_server.url


def test_filter_open_madrid_see_the_chart_and_download(page, seeded_site):
    page.goto(f"{seeded_site}/en/meetings/")
    page.get_by_label("Domain").select_option(
        label="Domain 4: Irregular migration, migrant smuggling and trafficking in human beings"
    )
    page.get_by_label("Year").select_option("2019")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"/en/meetings/\?.*year=2019&domain=\d+"))
    results = page.locator(".meeting-list h3")
    expect(results).to_have_count(2)
    page.get_by_role(
        "link", name="Thematic meeting on cooperation between countries of origin"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("border management, Madrid")
    chart = page.get_by_role("img", name="Participants by profile")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")

    with page.expect_download() as download:
        page.locator(".document-item", has_text="Border management guide (Word)").get_by_role(
            "link", name="Download"
        ).click()
    assert download.value.suggested_filename == "Madrid guide.docx"


def test_on_a_phone_the_filters_wait_behind_a_button_and_on_a_desktop_they_are_shown(
    browser, live_server, transactional_db
):
    apply = "form.filters button[type=submit]"
    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.goto(f"{live_server.url}/en/meetings/")
    expect(phone.locator(apply)).to_be_hidden()
    phone.get_by_text("Filters", exact=True).click()
    expect(phone.locator(apply)).to_be_visible()

    desktop = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    desktop.goto(f"{live_server.url}/en/documents/")
    expect(desktop.locator(apply)).to_be_visible()
    expect(desktop.get_by_text("Filters", exact=True)).to_be_hidden()
