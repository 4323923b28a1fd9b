"""The protections every response carries, and what the log says about attempts on the portal."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = {
    "public": (None, "/en/meetings/"),
    "private": ("senegal_focal_point", "/en/private/"),
    "admin": ("secretariat", "/admin/"),
}


@pytest.fixture(params=PAGES)
def page(request, client):
    who, url = PAGES[request.param]
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return response


def directives(header):
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_every_page_carries_a_strict_content_security_policy(page):
    policy = directives(page["Content-Security-Policy"])

    for name in ("default-src", "script-src", "style-src"):
        assert policy[name] == ["'self'"], name
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "unsafe-eval" not in page["Content-Security-Policy"]


def test_every_page_carries_the_other_security_headers(page):
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = page["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_cookies_are_secure_http_only_and_same_site(client, senegal_focal_point):
    login_page = client.get(reverse("account_login"), secure=True)
    response = client.post(
        reverse("account_login"),
        {"login": "nfp@senegal.example", "password": "correct horse battery staple"},
        secure=True,
    )

    assert response.status_code == 302
    for cookie in (login_page.cookies["csrftoken"], response.cookies["sessionid"]):
        assert cookie["secure"] and cookie["httponly"], cookie.key
        assert cookie["samesite"] == "Lax", cookie.key


def test_the_portal_needs_no_inline_script_or_style(client, seeded):
    """The policy forbids inline code: the pages must not need any."""
    for url in ("/en/", "/fr/meetings/", "/en/action-plan/", "/en/labelled-projects/"):
        html = client.get(url).content.decode()
        assert "<script" not in html and " style=" not in html and "<style" not in html, url


def test_a_failed_login_is_logged_without_the_address(client, senegal_focal_point, caplog):
    with caplog.at_level(logging.WARNING, logger="rabat_portal.security"):
        client.post(reverse("account_login"), {"login": "nfp@senegal.example", "password": "wrong"})

    [record] = [r for r in caplog.records if r.name == "rabat_portal.security"]
    assert record.getMessage().startswith("Failed login: account ")
    assert "senegal" not in record.getMessage() and "@" not in record.getMessage()


def test_a_refusal_is_logged_and_answered_with_the_portal_s_page(client, senegal_staff, caplog):
    client.force_login(senegal_staff)

    with caplog.at_level(logging.WARNING, logger="rabat_portal.security"):
        response = client.get(reverse("focalpoints:directory"))

    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "rabat_portal.security"]
    assert record.getMessage() == (
        f"Refused (403): GET {reverse('focalpoints:directory')}, user {senegal_staff.pk}"
    )
    assert "staff@senegal.example" not in record.getMessage()


def test_a_missing_page_answers_with_the_portal_s_page_in_french(client, db):
    response = client.get("/fr/meetings/no-such-meeting/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


# --- The client's address behind the TLS proxy ----------------------------------------------

PROXY = "10.0.0.2"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def behind_the_proxy(settings):
    """The portal behind the README's proxy (10.0.0.2), counting attempts in a cache of the
    test's own (a Redis shared with other runs could be emptied half-way)."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/30", "fd00::/64"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "behind-the-proxy",
        },
        "local": settings.LOCAL_CACHE,
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def log_in(client, email, password, forwarded_for=None, remote_addr=PROXY):
    client.logout()
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def test_failed_logins_of_one_client_behind_the_proxy_do_not_lock_out_another(
    client, behind_the_proxy, senegal_focal_point, spain_focal_point
):
    for attempt in range(12):
        log_in(client, f"nobody{attempt}@example.org", "wrong", forwarded_for="203.0.113.5")
    locked = log_in(client, "nfp@senegal.example", PASSWORD, forwarded_for="203.0.113.5")

    response = log_in(client, "nfp@spain.example", PASSWORD, forwarded_for="198.51.100.7")

    assert locked.status_code == 200, "the attacker's own address is limited"
    assert response.status_code == 302, "another client behind the same proxy logs in"


def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(
    client, behind_the_proxy, senegal_focal_point
):
    # Forging a new X-Forwarded-For with each attempt does not escape the limit.
    for attempt in range(12):
        log_in(
            client,
            f"nobody{attempt}@example.org",
            "wrong",
            forwarded_for=f"198.51.100.{attempt}",
            remote_addr="192.0.2.66",
        )

    response = log_in(
        client,
        "nfp@senegal.example",
        PASSWORD,
        forwarded_for="203.0.113.9",
        remote_addr="192.0.2.66",
    )

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        ("192.0.2.66", None, "192.0.2.66"),
        ("192.0.2.66", "203.0.113.5", "192.0.2.66"),  # not a proxy of ours: header ignored
        (PROXY, None, PROXY),
        (PROXY, "203.0.113.5", "203.0.113.5"),
        (PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # what the client wrote is not read
        (PROXY, "203.0.113.5, 10.0.0.1", "203.0.113.5"),  # a chain of our proxies
        (PROXY, "10.0.0.1, 10.0.0.3", "10.0.0.1"),  # only proxies: the farthest one
        (PROXY, "not-an-address", PROXY),
        (PROXY, "203.0.113.5, junk", PROXY),
        (PROXY, " 203.0.113.5:4711 ", "203.0.113.5"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        ("2001:db8::66", "203.0.113.5", "2001:db8::66"),
    ],
)
def test_the_client_address_trusts_forwarded_for_only_from_a_trusted_proxy(
    rf, behind_the_proxy, remote_addr, forwarded_for, expected
):
    from portal_lib.client_ip import client_ip

    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for

    assert client_ip(rf.get("/", **headers)) == expected


def test_allauth_reads_the_client_address_through_the_portal_s_rule(rf, behind_the_proxy):
    from allauth.account.adapter import get_adapter

    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"


SIGNED_IN_PAGES = [
    ("senegal_focal_point", "dashboard"),
    ("senegal_focal_point", "focalpoints:profile"),
    ("senegal_focal_point", "consultations:consultations"),
    ("senegal_focal_point", "ideas:home"),
    ("senegal_focal_point", "account_change_password"),
    ("senegal_focal_point", "mfa_index"),
    ("senegal_focal_point", "meetings:list"),  # public, but the page names the account
    ("secretariat", "labelling:review-queue"),
    ("secretariat", "admin:index"),
    ("secretariat", "admin:meetings_meeting_changelist"),
]


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(("who", "name"), SIGNED_IN_PAGES)
def test_a_page_served_to_a_signed_in_person_is_stored_by_no_cache(client, request, who, name):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_public_pages_served_to_anonymous_visitors_stay_cacheable(client, db):
    for name in ("home", "meetings:list", "meetings:documents", "partner-list", "search"):
        response = client.get(reverse(name))

        assert response.status_code == 200
        assert not {"private", "no-store"} & cache_directives(response), name
