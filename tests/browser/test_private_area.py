"""An invited focal point joins, reads a restricted document and answers a consultation; the
Secretariat sees the response rate change."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import expect

from consultations.models import Consultation
from focalpoints import services
from focalpoints.models import Membership, Partner
from meetings.models import Document
from tests.browser.sessions import signed_in_context
from tests.consultations.factories import ConsultationFactory
from tests.meetings.factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, live_server, secretariat):
    call_command("bootstrap", verbosity=0)
    senegal = Partner.objects.get(slug="senegal")
    DocumentFactory(
        title="Draft conclusions of the Steering Committee",
        slug="draft-conclusions-sc",
        visibility=Document.Visibility.FOCAL_POINTS,
        file=SimpleUploadedFile("draft-conclusions.pdf", PDF_BYTES),
    )
    consultation = ConsultationFactory(title="Consultation on the next action plan")
    services.invite(
        email="new.nfp@senegal.example",
        partner=senegal,
        role=Membership.Role.FOCAL_POINT,
        invited_by=secretariat,
    )
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    return {
        "url": live_server.url,
        "invitation": link.split("127.0.0.1:8000")[-1],
        "consultation": consultation,
        "secretariat": secretariat,
    }


def test_invited_focal_point_joins_reads_and_answers(page, browser, site):
    url = site["url"]
    page.goto(url + site["invitation"])
    page.get_by_label("First name").fill("Moussa")
    page.get_by_label("Last name").fill("Sow")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long and unusual passphrase 42")
    page.get_by_label("Password again").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My area")
    page.get_by_role("link", name="Restricted documents").first.click()
    document = page.locator(
        ".document-item", has_text="Draft conclusions of the Steering Committee"
    )
    expect(document).to_be_visible()
    response = page.request.get(
        url + document.get_by_role("link", name="Download").get_attribute("href")
    )
    assert response.status == 200 and response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_role("link", name="Consultation on the next action plan").click()
    page.get_by_label("Answer").fill("Senegal supports the proposal.")
    page.get_by_role("button", name="Send our answer").click()
    expect(page.locator(".message-success")).to_contain_text("answer is saved")

    context = signed_in_context(browser, url, site["secretariat"])
    secretariat_page = context.new_page()
    consultation = Consultation.objects.get(pk=site["consultation"].pk)
    secretariat_page.goto(f"{url}/en/private/consultations/{consultation.pk}/responses/")
    consulted = consultation.addressed_partners().count()
    expect(secretariat_page.locator("#response-rate")).to_have_text(f"{round(100 / consulted)} %")
    expect(secretariat_page.get_by_text("Senegal supports the proposal.")).to_be_visible()
    context.close()
