"""The laboratory of ideas in the browser: one focal point submits an idea, another partner's
comments and expresses interest, the first sees both and moves the idea on; and no payload
typed into any field runs or injects an element."""

import contextlib

import pytest
from django.core import mail
from playwright.sync_api import expect

from ideas_lab import services
from ideas_lab.models import Idea
from tests.actionplan.factories import DomainFactory
from tests.browser.sessions import signed_in_page
from tests.ideas_lab.xss import PAYLOADS

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, live_server, senegal_focal_point, spain_focal_point):
    domain = DomainFactory(title="Development benefits of migration")
    return {"url": live_server.url, "domain": domain}


def test_submit_comment_express_interest_and_change_the_status(
    browser, site, senegal_focal_point, spain_focal_point
):
    url = site["url"]
    senegal = signed_in_page(browser, url, senegal_focal_point)
    senegal.goto(f"{url}/en/private/")
    senegal.get_by_role("link", name="Laboratory of ideas").first.click()
    senegal.get_by_role("link", name="Submit an idea").click()
    senegal.get_by_label("Kind").select_option(label="Request for technical assistance")
    senegal.get_by_label("Title").fill("Support for the diaspora forum")
    senegal.get_by_role("button", name="Publish").click()
    # Publishing without the rest keeps what was typed and says what is missing, by field.
    expect(senegal.get_by_label("Title")).to_have_value("Support for the diaspora forum")
    expect(senegal.locator(".errorlist")).to_have_count(3)
    senegal.get_by_label("Summary").fill("Mali's diaspora forum needs logistics and experts.")
    senegal.get_by_label("Description").fill(
        "Two days in Bamako, **200** guests. We need:\n- logistics\n- experts"
    )
    senegal.get_by_label("Domain").select_option(label=str(site["domain"]))
    senegal.get_by_role("button", name="Publish").click()
    expect(senegal.get_by_role("heading", level=1)).to_have_text("Support for the diaspora forum")
    expect(senegal.locator(".rich-text strong")).to_have_text("200")
    expect(senegal.locator(".rich-text li")).to_have_text(["logistics", "experts"])
    idea_url = senegal.url

    spain = signed_in_page(browser, url, spain_focal_point)
    spain.goto(f"{url}/en/private/ideas/")
    spain.get_by_role("link", name="Support for the diaspora forum").click()
    spain.get_by_label("Your comment").fill("Spain can send two experts.")
    spain.get_by_role("button", name="Post the comment").click()
    expect(spain.locator(".message-success")).to_contain_text("comment is posted")
    spain.get_by_label("Taking part through").select_option(label="Expertise")
    spain.get_by_label("Message").fill("Our consular network knows the diaspora well.")
    spain.get_by_role("button", name="Express my partner's interest").click()
    expect(spain.locator(".message-success")).to_contain_text("interest is recorded")

    senegal.goto(idea_url)
    expect(senegal.locator(".comment-item")).to_contain_text("Spain can send two experts.")
    expect(senegal.locator(".interest-item")).to_contain_text("Spain: Expertise")
    senegal.get_by_label("New status").select_option(label="Partners found")
    senegal.get_by_role("button", name="Change the status").click()
    expect(senegal.locator("#idea-status")).to_have_text("Partners found")
    expect(senegal.locator(".history")).to_contain_text("Open → Partners found")
    # The author was told of the comment and of the interest, with a reply address each.
    assert [m.to for m in mail.outbox] == [["nfp@senegal.example"]] * 2
    assert all(m.reply_to[0].startswith("ideas+") for m in mail.outbox)


def test_no_payload_runs_or_injects_an_element(
    browser, site, senegal, senegal_focal_point, spain_focal_point
):
    payload = " ".join(PAYLOADS)
    idea = Idea(kind=Idea.Kind.PROJECT_PROPOSAL, title=f"XSS {payload}", summary=payload)
    idea.description = f"Intro\n\n{payload}"
    idea.domain = site["domain"]
    services.save_idea(idea, senegal_focal_point, publish=True)
    for single in PAYLOADS:
        with contextlib.suppress(services.ActionRefused):  # nothing left once cleaned
            services.add_comment(idea, spain_focal_point, f"Comment {single}")
    services.express_interest(idea, spain_focal_point, "joining", payload)

    page = signed_in_page(browser, site["url"], senegal_focal_point)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (f"/en/private/ideas/{idea.pk}/", "/en/private/ideas/"):
        page.goto(site["url"] + path)
        page.wait_for_load_state("load")
        main = page.locator("main")
        for selector in ("script", "img", "iframe", "svg", "math", "details", "[style]"):
            expect(main.locator(selector)).to_have_count(0)
        expect(page.locator("[id^='xss']")).to_have_count(0)
        expect(
            main.locator("[onerror], [onload], [ontoggle], a[href^='javascript'], a[href^='data']")
        ).to_have_count(0)
        assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    page.goto(f"{site['url']}/en/private/ideas/{idea.pk}/")
    # The harmless text of the payloads is shown, as text.
    expect(page.locator(".comment-item").first).to_contain_text("Comment")
    expect(page.locator(".rich-text")).to_contain_text("Intro")
