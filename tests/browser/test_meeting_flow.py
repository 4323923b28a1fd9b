"""A meeting run by the portal, in the browser: the Secretariat invites, Senegal's focal point
names two delegates (in French, on a phone), one registers by their link, attendance is marked
at the door, the evaluation is answered, and the public page shows the figures counted from
the records and their chart, and no one's name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from focalpoints.models import Partner
from meetings import services
from meetings.models import Delegate, Meeting
from tests.browser.sessions import signed_in_context
from tests.meetings.factories import upcoming_meeting

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def site(transactional_db, live_server, secretariat, senegal_focal_point):
    meeting = upcoming_meeting(slug="border-management-2027", title="Border management meeting")
    meeting.invitation.partners.add(Partner.objects.get(slug="senegal"))
    return {"url": live_server.url, "meeting": meeting}


def test_from_invitation_to_the_computed_figures(browser, site, secretariat, senegal_focal_point):
    url, meeting = site["url"], site["meeting"]
    secretariat_page = signed_in_context(browser, url, secretariat).new_page()
    delegations = url + reverse("meetings:delegations", kwargs={"slug": meeting.slug})

    # 1. The Secretariat sends the invitation.
    secretariat_page.goto(delegations)
    secretariat_page.get_by_role("button", name="Send the invitation").click()
    expect(secretariat_page.get_by_text("Invitation sent to 1 partners.")).to_be_visible()

    # 2. The focal point names two delegates, in French, on a phone.
    phone = signed_in_context(browser, url, senegal_focal_point, **PHONE).new_page()
    with translation.override("fr"):
        phone.goto(url + reverse("meetings:delegation", kwargs={"slug": meeting.slug}))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Votre délégation")
    for index, (name, email, profile) in enumerate(
        [
            ("Awa Ndiaye", "awa@interior.sn", "national_technical_expert"),
            ("Moussa Fall", "moussa@mfa.sn", "diplomatic"),
        ]
    ):
        phone.locator(f'[name="delegates-{index}-name"]').fill(name)
        phone.locator(f'[name="delegates-{index}-email"]').fill(email)
        phone.locator(f'[name="delegates-{index}-profile"]').select_option(profile)
    phone.get_by_role("button", name="Enregistrer la délégation").click()
    expect(phone.get_by_text("Votre délégation est enregistrée.")).to_be_visible()

    # 3. The Secretariat accepts them; Awa registers by her personal link.
    secretariat_page.goto(delegations)
    for name in ("Awa Ndiaye", "Moussa Fall"):
        row = secretariat_page.locator("tr", has_text=name)
        row.get_by_label("Decision").select_option("accepted")
        row.get_by_role("button", name="Record").click()
        expect(secretariat_page.get_by_text(f"Decision recorded: {name} is told.")).to_be_visible()
    awa = Delegate.objects.get(email="awa@interior.sn")
    visitor = browser.new_context().new_page()
    registration = url + reverse(
        "meetings:register", kwargs={"token": services.registration_token(awa)}
    )
    visitor.goto(registration)
    expect(visitor.get_by_text("meet.example.org/secret-room")).to_have_count(0)
    visitor.get_by_label("Dietary needs").fill("Vegetarian")
    visitor.get_by_role("button", name="Confirm my registration").click()
    expect(visitor.get_by_text("You are registered.")).to_be_visible()
    expect(visitor.get_by_role("link", name="https://meet.example.org/secret-room")).to_be_visible()

    # 4. At the door, on a phone: the Secretariat finds Awa and checks her in.
    door = signed_in_context(browser, url, secretariat, **PHONE).new_page()
    door.goto(url + reverse("meetings:check-in", kwargs={"slug": meeting.slug}))
    door.get_by_label("Search by name, institution or delegation").fill("awa")
    door.get_by_role("search", name="Search the participants").get_by_role(
        "button", name="Search"
    ).click()
    expect(door.get_by_text("Moussa Fall")).to_have_count(0)
    door.get_by_role("button", name="Check in Awa Ndiaye").click()
    expect(door.get_by_role("button", name="Undo check-in Awa Ndiaye")).to_be_visible()

    # 5. The meeting has taken place: the evaluation is sent and answered.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_date=yesterday, end_date=yesterday, status=Meeting.Status.HELD
    )
    secretariat_page.goto(delegations)
    secretariat_page.get_by_role("button", name="Send the evaluation").click()
    expect(
        secretariat_page.get_by_text("The evaluation was sent to 1 participants.")
    ).to_be_visible()
    questions = list(Meeting.objects.get(pk=meeting.pk).evaluation_questions.all())
    visitor.goto(
        url + reverse("meetings:evaluate", kwargs={"token": services.evaluation_token(awa)})
    )
    visitor.locator(f'[name="q{questions[0].pk}"][value="5"]').check()
    visitor.locator(f'[name="q{questions[1].pk}"][value="yes"]').check()
    visitor.locator(f'[name="q{questions[2].pk}"][value="4"]').check()
    visitor.get_by_role("button", name="Send my answers").click()
    expect(visitor.get_by_text("You have answered this evaluation: thank you.")).to_be_visible()

    # 6. The public page: figures counted from the records, the chart, the evaluation; no name.
    public = browser.new_context().new_page()
    public.goto(url + meeting.get_absolute_url())
    expect(
        public.get_by_text("Counted from the attendance records of the meeting.")
    ).to_be_visible()
    figures = public.locator("section[aria-labelledby=participation] dl")
    expect(figures).to_contain_text("Participants1")
    chart = public.get_by_role("img", name="Participants by profile")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(public.get_by_text("1 answers from 1 participants (100 %).")).to_be_visible()
    content = public.content()
    assert "Awa" not in content and "secret-room" not in content
