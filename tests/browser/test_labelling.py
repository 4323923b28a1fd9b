"""A focal point asks for the label, the Secretariat asks for changes, the focal point answers,
the Secretariat approves, and the project appears on the public pages."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from actionplan.models import Action
from tests.browser.sessions import signed_in_page

pytestmark = pytest.mark.browser

TITLE = "Senegalese diaspora investment week"


@pytest.fixture
def site(transactional_db, live_server, senegal_focal_point, secretariat):
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
    applicant.get_by_label("Summary").fill("A week of meetings between investors and the diaspora.")
    applicant.get_by_label("Objectives").fill("Bring diaspora savings to Senegalese businesses.")
    applicant.get_by_label("Expected results").fill("Thirty investment agreements.")
    applicant.get_by_label(re.compile(r"\bAction 5\b")).first.check()
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
    applicant.get_by_role("button", name="Save and submit for review").click()
    expect(applicant.locator(".message-success")).to_contain_text("submitted")

    reviewer.goto(request_url)
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
    visitor.goto(url + action.get_absolute_url())
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
