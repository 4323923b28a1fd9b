"""axe-core finds no serious or critical accessibility violation on any type of page, public or
private, in English or French; the pages work on a 360-pixel-wide phone and with the keyboard."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.sessions import signed_in_context
from tests.page_set import (
    LANGUAGES,
    admin_pages_to_check,
    forms_with_errors,
    nigeria_focal_point,
    pages,
)

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(transactional_db, live_server, secretariat):
    call_command("bootstrap", verbosity=0)
    focal_point = nigeria_focal_point()
    return {
        "url": live_server.url,
        "focal_point": focal_point,
        "pages": pages(focal_point, secretariat),
        "forms": forms_with_errors(focal_point),
    }


def signed_in(browser, url, who, **options):
    """A browser context of ``who`` (a visitor when None). It bypasses the Content-Security-Policy
    only so that the test can inject axe-core: the portal's pages need no script."""
    return signed_in_context(browser, url, who, bypass_csp=True, **options)


def checked_by_axe(browser, url, who, **options):
    """``signed_in``, with axe-core in each page it opens: given once to the context rather
    than sent to each page (half a megabyte, a fifth of a second a page)."""
    context = signed_in(browser, url, who, **options)
    context.add_init_script(path=AXE)
    return context


def visit(page, url, name, path):
    """Open ``path`` and make sure it is the page itself, not a refusal or a login redirect."""
    response = page.goto(url + path)
    assert response.status == (404 if name.startswith("not found") else 200), name
    assert page.url == url + path, f"{name}: {path} led to {page.url}"


def by_person(site_pages):
    grouped = {}
    for who, name, path in site_pages:
        grouped.setdefault(who, []).append((name, path))
    return grouped.items()


# axe-core with WCAG 2.2's target size (24 by 24 pixels, or that far apart) on, which it leaves
# off by default. Text the very colour of its background (a 1:1 contrast) axe only lists as "to
# review", in case it is meant to be hidden; on these pages it is a button nobody can see.
AXE_RUN = """axe.run(document, {resultTypes: ['violations', 'incomplete'],
                     rules: {'target-size': {enabled: true}}}).then(result => {
    const found = result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(node => node.target.join(' '))}));
    for (const v of result.incomplete.filter(v => v.id === 'color-contrast')) {
        const invisible = v.nodes.filter(node => node.any.some(
            check => check.data && check.data.messageKey === 'equalRatio'));
        if (invisible.length) found.push({id: 'invisible-text', impact: 'serious',
            help: 'Text is the colour of its background',
            targets: invisible.map(node => node.target.join(' '))});
    }
    return found;
})"""


def serious_violations(page, name, path):
    """axe-core's serious and critical findings on ``page`` (of a ``checked_by_axe``
    context), one line each."""
    return [
        f"{name} {path}: {violation['id']} ({violation['impact']}: {violation['help']}) "
        f"at {', '.join(violation['targets'][:5])}"
        for violation in page.evaluate(AXE_RUN)
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe():
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make setup runs npm ci; needs npm)")


def test_no_page_has_a_serious_accessibility_violation(axe, browser, site):
    url = site["url"]
    found = []
    for who, named_paths in by_person(site["pages"]):
        context = checked_by_axe(browser, url, who)
        page = context.new_page()
        for name, path in named_paths:
            visit(page, url, name, path)
            found += serious_violations(page, name, path)
        context.close()
    assert found == [], "axe-core found serious or critical violations:\n" + "\n".join(found)


def test_forms_showing_their_errors_have_no_serious_accessibility_violation(axe, browser, site):
    url = site["url"]
    found = []
    for who, name, path, data, button in site["forms"]:
        context = checked_by_axe(browser, url, who)
        page = context.new_page()
        page.goto(url + path)
        for field, value in data.items():
            if page.locator(f"main [name={field}]:not(button)").count():
                page.locator(f"main [name={field}]:not(button)").fill(value)
        page.locator(button).click()
        expect(page.locator(".errorlist").first).to_be_visible()
        found += serious_violations(page, name, path)
        context.close()
    assert found == [], "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_formatted_fields_preview_has_no_serious_accessibility_violation(
    axe, browser, site, language
):
    url = site["url"]
    context = checked_by_axe(browser, url, site["focal_point"])
    page = context.new_page()
    path = f"/{language}/private/ideas/new/"
    page.goto(url + path)
    page.locator("main textarea[name=description]").fill(
        "### Context\n\n**Diaspora** bonds:\n- Senegal\n- Spain\n\n[More](https://example.org)"
    )
    page.locator("main details.markdown-help summary").click()
    page.locator("main button[name=preview][value=description]").click()
    expect(page.locator("#id_description_preview li")).to_have_count(2)

    found = serious_violations(page, f"idea preview ({language})", path)
    context.close()
    assert found == [], "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_secretariats_admin_pages_have_no_serious_accessibility_violation(
    axe, browser, site, secretariat, language
):
    """The admin is where the Secretariat keeps every record: Django's own screens, the
    portal's additions to them and its own admin views (in French, a sample of each kind: see
    ``admin_pages_to_check``). One test per language, so that two workers share them."""
    url = site["url"]
    found = []
    context = checked_by_axe(browser, url, secretariat, locale=language)
    page = context.new_page()
    for name, path in admin_pages_to_check(secretariat, language):
        visit(page, url, f"{name} ({language})", path)
        assert page.locator("html").get_attribute("lang") == language, path
        found += serious_violations(page, f"{name} ({language})", path)
    context.close()
    assert found == [], "axe-core found serious or critical violations:\n" + "\n".join(found)


PHONE_PAGES = {
    "home",
    "action plan",
    "action",
    "partners",
    "meetings",
    "meeting",
    "calendar",
    "coverage",
    "documents",
    "document",
    "labelled projects",
    "labelled project",
    "search",
    "login",
    "dashboard",
    "consultation",
    "restricted documents",
    "new labelling request",
    "labelling request",
    "ideas",
    "idea",
    "new idea",
    "review queue",
    "delegation",
    "check-in",
    "registration",
    "evaluation",
}

NAVIGATION_FITS = """nav => [...nav.querySelectorAll('a, button')].filter(link => {
    const box = link.getBoundingClientRect();
    return box.width === 0 || box.left < 0 || box.right > window.innerWidth;
}).map(link => link.textContent.trim())"""


# WCAG 2.5.5's enhanced target size, for the links everyone starts from on a phone.
SMALL_TARGETS = """links => links.filter(link => {
    const box = link.getBoundingClientRect();
    return box.height < 44 || box.width < 44;
}).map(link => link.textContent.trim())"""


def test_pages_fit_a_phone_and_their_navigation_is_within_reach(browser, site):
    url = site["url"]
    problems = []
    for who, named_paths in by_person(site["pages"]):
        context = signed_in(browser, url, who, viewport=PHONE)
        page = context.new_page()
        for name, path in named_paths:
            if name.rsplit(" (", 1)[0] not in PHONE_PAGES:
                continue
            visit(page, url, name, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(
                    """limit => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
                    PHONE["width"],
                )
                problems.append(f"{name} {path}: {width}px wide, because of {wide}")
            navigations = page.locator("nav.main-nav, nav.private-nav, nav.account-links")
            for index in range(navigations.count()):
                outside = navigations.nth(index).evaluate(NAVIGATION_FITS)
                if outside:
                    problems.append(f"{name} {path}: links out of reach {outside}")
            small = page.locator("nav.main-nav a").evaluate_all(SMALL_TARGETS)
            if small:
                problems.append(f"{name} {path}: main navigation links under 44 pixels {small}")
        context.close()
    assert problems == [], "\n".join(problems)


FOCUS_IS_VISIBLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return element.matches(':focus-visible') && (outlined || style.boxShadow !== 'none');
}"""


def test_keyboard_alone_skips_to_the_content_and_filters_the_meetings(browser, site):
    context = signed_in(browser, site["url"], None)
    page = context.new_page()
    page.goto(site["url"] + "/en/meetings/")
    before = page.locator("#results-heading").inner_text()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0, "the skip link stays off screen when focused"
    assert skip.bounding_box()["height"] >= 44, "the skip link is a small target"
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    controls = page.locator(
        "form.filters input:not([type=hidden]), form.filters select, form.filters button"
    )
    assert controls.count() >= 3
    for _ in range(40):  # past the introduction's links, into the filters
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('form.filters') !== null"):
            break
    for index in range(controls.count()):
        control = controls.nth(index)
        expect(control).to_be_focused()
        assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on filter {index + 1}"
        if control.get_attribute("name") == "q":
            page.keyboard.type("ministerial")
        if index < controls.count() - 1:
            page.keyboard.press("Tab")
    expect(controls.last).to_have_text("Apply")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]q=ministerial"))
    after = page.locator("#results-heading").inner_text()
    assert after != before
    titles = page.locator("section[aria-labelledby=results-heading] .meeting-item h3")
    assert titles.count() > 0
    for title in titles.all_inner_texts():
        assert "ministerial" in title.lower()
    context.close()
