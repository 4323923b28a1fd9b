"""The admin's scripted parts, as the Secretariat meets them in a browser: the report's
progress follows itself without reloading the page, and the controls the admin builds by
script carry the name of their field."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.models import Meeting
from stocktaking.models import GeneratedReport, StocktakingReport
from tests.browser.sessions import signed_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, live_server, secretariat):
    call_command("bootstrap", verbosity=0)
    return {"url": live_server.url, "secretariat": secretariat}


def test_the_report_progress_updates_in_place_until_the_pdf_is_done(browser, site):
    report = StocktakingReport.objects.create(
        title_en="Stocktaking", period_start="2018-05-01", period_end="2020-10-31"
    )
    generated = report.generations.create(
        language="en", status=GeneratedReport.Status.ASSEMBLING, progress=40
    )
    page = signed_in_page(browser, site["url"], site["secretariat"])
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{site['url']}/admin/stocktaking/stocktakingreport/generation/{generated.pk}/")
    expect(page.locator("#status")).to_contain_text("Assembling the data (40 %)")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    page.evaluate("window.sameDocument = true")

    generated.status = GeneratedReport.Status.DONE
    generated.progress, generated.page_count, generated.seconds = 100, 31, 4.5
    generated.save()

    expect(page.locator("#status")).to_contain_text("Done (100 %)", timeout=10_000)
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True, "the page reloaded itself"
    assert page.locator("#generation").get_attribute("aria-live") == "polite"
    assert [text for text in refused if "Content Security Policy" in text] == []


def test_the_admins_scripted_controls_carry_their_fields_name(browser, site):
    meeting = Meeting.objects.order_by("pk").first()
    page = signed_in_page(browser, site["url"], site["secretariat"])
    page.goto(f"{site['url']}/admin/meetings/meeting/{meeting.pk}/change/")

    expect(page.get_by_role("combobox", name="Host country")).to_be_visible()
    expect(page.get_by_role("combobox", name="Replaced by")).to_be_attached()
    organisers = page.locator(".field-organisers .select2-search__field")
    assert organisers.get_attribute("aria-label") == "Organisers"
    expect(page.locator(".field-actions .search-label-icon").first).to_have_attribute("role", "img")

    # A row added to an inline is named too.
    documents = page.locator("#Document_meetings-group")
    before = documents.locator("tr.form-row:not(.empty-form)").count()
    documents.get_by_role("button", name="Add another document").click()
    row = documents.locator("tr.form-row:not(.empty-form)").nth(before)
    expect(row.get_by_role("combobox", name="Document")).to_be_visible()

    # Choosing organisers rebuilds select2's list of choices with its "clear all" cross,
    # which is kept out of the list as assistive technologies read it.
    organisers.click()
    page.locator(".select2-results__option").first.click()
    page.keyboard.press("Escape")
    clear = page.locator(".field-organisers .select2-selection__clear")
    expect(clear).to_have_attribute("aria-hidden", "true")
