"""The Content-Security-Policy forbids inline code: no page of the portal may trip over it."""

import pytest
from django.core.management import call_command

from ideas_lab.models import Idea
from tests.browser.sessions import signed_in_context

pytestmark = pytest.mark.browser

PAGES = {
    None: [
        "/en/",
        "/fr/meetings/",
        "/en/action-plan/",
        "/en/labelled-projects/",
        "/en/accounts/login/",
    ],
    "focal_point": [
        "/en/private/",
        "/en/private/labelling/new/",
        "/en/private/profile/",
        "/en/private/ideas/",
        "/en/private/ideas/new/",
    ],
    "secretariat": [
        "/admin/",
        "/admin/meetings/meeting/add/",
        "/admin/labelling/labellingrequest/",
        "/en/private/labelling/review/",
    ],
}


@pytest.fixture
def site(transactional_db, live_server, senegal_focal_point, secretariat):
    call_command("bootstrap", verbosity=0)
    idea = Idea.objects.published().order_by("pk").first()
    return {
        "idea": idea.get_absolute_url(),
        "url": live_server.url,
        "focal_point": senegal_focal_point,
        "secretariat": secretariat,
    }


def test_no_page_breaks_the_content_security_policy(browser, site):
    url = site["url"]
    violations = []
    pages = {**PAGES, "focal_point": [*PAGES["focal_point"], site["idea"]]}
    for who, paths in pages.items():
        context = signed_in_context(browser, url, site[who] if who else None)
        page = context.new_page()
        page.on(
            "console",
            lambda message, page=page: (
                violations.append((page.url, message.text))
                if "Content Security Policy" in message.text
                else None
            ),
        )
        for path in paths:
            response = page.goto(url + path)
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
        context.close()

    assert violations == []
