"""A focal point asks for the label, the Secretariat asks for changes, the focal point answers,
the Secretariat approves, and the project appears on the public pages."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from actionplan.models import Action
from tests.browser.sessions import signed_in_page
from tests.meetings.factories import PDF_BYTES

pytestmark = pytest.mark.browser

TITLE = "Senegalese diaspora investment week"


@pytest.fixture
def site(transactional_db, live_server, senegal_focal_point, senegal_staff, secretariat):
    call_command("bootstrap", verbosity=0)
    return {"url": live_server.url}


def test_a_request_goes_through_review_to_the_public_pages(
    browser, site, senegal_focal_point, secretariat
):
    url = site["url"]
    applicant = signed_in_page(browser, url, senegal_focal_point)
    reviewer = signed_in_page(browser, url, secretariat)

    applicant.goto(f"{url}/en/private/labelling/")
    applicant.get_by_role("link", name="New labelling request").click()
    applicant.get_by_label("Type").select_option(label="Meeting or event")
    applicant.get_by_label("Title").fill(TITLE)
    applicant.get_by_label("Summary").fill(
        "A week of meetings between **investors** and the diaspora:\n- Dakar\n- Saint-Louis"
    )
    # The preview needs no script: the form comes back with the text rendered, as typed.
    applicant.locator("button[name=preview][value=summary]").click()
    preview = applicant.locator("#id_summary_preview")
    expect(preview.locator("strong")).to_have_text("investors")
    expect(preview.locator("li")).to_have_text(["Dakar", "Saint-Louis"])
    expect(applicant.get_by_label("Title")).to_have_value(TITLE)
    expect(applicant.locator(".errorlist")).to_have_count(0)
    applicant.get_by_label("Objectives").fill("Bring diaspora savings to Senegalese businesses.")
    applicant.get_by_label("Expected results").fill("Thirty investment agreements.")
    applicant.get_by_label(re.compile(r"\bAction 5\b")).first.check()
    countries = applicant.get_by_role("group", name=re.compile("Countries concerned"))
    countries.get_by_label("Senegal", exact=True).check()
    applicant.get_by_label("Start date").fill("2027-06-14")
    applicant.get_by_label("How the results will be shared").fill("At the next thematic meeting.")
    applicant.get_by_label(re.compile(r"^Contact person:?$")).fill("Aminata Diop")
    applicant.get_by_label("Contact e-mail address").fill("aminata.diop@senegal.example")
    applicant.get_by_role("button", name="Save and submit for review").click()
    expect(applicant.locator(".message-success")).to_contain_text("submitted")
    request_url = applicant.url

    reviewer.goto(request_url)
    reviewer.get_by_role("button", name="Start the review").click()
    reviewer.get_by_label("Comment").fill("Please give the budget of the week.")
    reviewer.get_by_role("button", name="Ask for changes").click()
    expect(reviewer.locator(".message-success")).to_contain_text("Changes requested")

    applicant.goto(request_url)
    expect(applicant.get_by_text("Please give the budget of the week.")).to_be_visible()
    applicant.get_by_role("link", name="Edit the request").click()
    expect(applicant.get_by_text("The Secretariat asks for these changes:")).to_be_visible()
    applicant.get_by_label(re.compile(r"^Budget:?$")).fill("45000")
    applicant.get_by_label("Your reply to the Secretariat").fill("The budget is 45,000 euros.")
    applicant.get_by_role("button", name="Save and submit for review").click()
    expect(applicant.locator(".message-success")).to_contain_text("submitted")

    reviewer.goto(f"{url}/en/private/labelling/review/")
    expect(reviewer.get_by_role("row", name=re.compile(TITLE))).to_contain_text(
        "Reply: The budget is 45,000 euros."
    )
    reviewer.goto(request_url)
    expect(reviewer.locator(".notice")).to_contain_text("replied to the change request")
    expect(reviewer.locator(".timeline")).to_contain_text("The budget is 45,000 euros.")
    reviewer.get_by_role("button", name="Start the review").click()
    reviewer.get_by_label("Comment").fill("Welcome to the label.")
    reviewer.get_by_role("button", name="Approve and label").click()
    expect(reviewer.locator(".message-success")).to_contain_text("Approved")

    visitor = browser.new_page()
    visitor.goto(f"{url}/en/labelled-projects/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("45,000")).to_have_count(0)
    action = Action.objects.get(plan__slug="marrakesh-2018-2020", number=5)
    expect(visitor.locator("main li", has_text="Saint-Louis")).to_be_visible()
    expect(visitor.get_by_text("**investors**")).to_have_count(0)
    visitor.goto(url + action.get_absolute_url())
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()


def test_partner_staff_replace_a_concept_note_then_delete_the_draft(
    browser, site, senegal_staff, tmp_path
):
    url = site["url"]
    staff = signed_in_page(browser, url, senegal_staff)
    first, second = tmp_path / "note-v1.pdf", tmp_path / "note-v2.pdf"
    first.write_bytes(PDF_BYTES)
    second.write_bytes(PDF_BYTES)

    staff.goto(f"{url}/en/private/labelling/new/")
    staff.get_by_label("Type").select_option(label="Bilateral project")
    staff.get_by_label("Title").fill("Short-lived draft")
    staff.get_by_label("Concept note").set_input_files(str(first))
    staff.get_by_role("button", name="Save the draft").click()
    staff.get_by_role("link", name="Edit the request").click()
    staff.get_by_label("Concept note").set_input_files(str(second))
    staff.get_by_role("button", name="Save the draft").click()

    versions = staff.locator(".attachment-versions")
    expect(versions.locator("li").first).to_contain_text("note-v2.pdf (current version")
    versions.get_by_text("1 earlier version").click()
    expect(versions.get_by_role("link", name="note-v1.pdf")).to_be_visible()

    staff.get_by_role("link", name="Delete the draft").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Delete the draft: Short-lived draft"
    )
    staff.get_by_role("button", name="Delete the draft").click()
    expect(staff.locator(".message-success")).to_contain_text("is deleted")
    expect(staff.get_by_role("link", name="Short-lived draft")).to_have_count(0)
