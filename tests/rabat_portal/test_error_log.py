"""Errors reach the log with the request they happened in, and without personal data; the
person who met the error gets a reference that leads to those lines."""

import logging
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from rabat_portal.log_context import RequestContextFilter

SECRET_TOKEN = "s3cr3t-t0k3n"


@pytest.fixture
def log_lines():
    """The lines the portal's console handler writes while the test runs, as it writes them."""
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    collect = Collect()
    collect.filters = list(console.filters)
    collect.setFormatter(console.formatter)
    logging.getLogger().addHandler(collect)
    yield lines
    logging.getLogger().removeHandler(collect)


@pytest.mark.urls("tests.rabat_portal.failing_urls")
def test_an_error_is_logged_with_its_request_and_quoted_on_the_error_page(
    senegal_focal_point, log_lines
):
    client = Client(raise_request_exception=False)
    client.force_login(senegal_focal_point)

    response = client.get(f"/en/failing/{SECRET_TOKEN}/?q=nfp@senegal.example")

    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", reference)
    page = response.content.decode()
    assert f"<code>{reference}</code>" in page and "Something went wrong" in page
    [line] = [line for line in log_lines if "Internal Server Error" in line]
    assert f"[{reference} GET en/failing/<str:token>/ user {senegal_focal_point.pk}]" in line
    assert "Traceback" in line and "ValueError: duplicate key value: (email)=([e-mail])" in line
    # The line names the URL pattern, not the path: no token, no query string, no address.
    assert "senegal.example" not in line and "?q=" not in line


def test_a_line_written_during_a_request_names_it(client, senegal_focal_point, log_lines):
    response = client.post(
        "/en/accounts/login/", {"login": "nfp@senegal.example", "password": "not the password"}
    )

    [line] = [line for line in log_lines if "Failed login" in line]
    assert f"[{response['X-Request-ID']} POST en/accounts/login/ user anonymous]" in line
    assert "senegal.example" not in line


def test_a_page_not_found_is_logged_with_a_short_path(client, db, log_lines):
    response = client.get("/en/no-such-page/" + "x" * 500)

    assert response.status_code == 404
    [line] = [line for line in log_lines if "Not Found" in line]
    assert f"[{response['X-Request-ID']} GET /en/no-such-page/xxx" in line
    context = line.split("[", 1)[1].split("]", 1)[0]
    assert len(context) < 200


def test_every_response_has_its_own_request_id(client, db):
    ids = {client.get("/en/")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_a_line_outside_any_request_says_so(log_lines):
    logging.getLogger("rabat_portal.tasks").warning("Digest run for ngozi@nigeria.example")

    assert "[-] Digest run for [e-mail]" in log_lines[-1]


def test_the_context_never_fails_the_line_even_when_the_account_cannot_be_read(rf):
    class BrokenUser:
        @property
        def is_authenticated(self):
            raise ConnectionError("the database is down")

    request = rf.get("/en/")
    request.user = BrokenUser()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", None, None)
    record.request = request

    RequestContextFilter().filter(record)

    assert record.request_context.endswith("GET /en/ user unknown")


def test_control_characters_from_a_request_are_escaped_in_the_line(client, db, log_lines):
    response = client.get("/en/no-such-page/%0A2026-01-01 ERROR forged%1B[2J%0D")

    assert response.status_code == 404
    [line] = [line for line in log_lines if "Not Found" in line]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "/en/no-such-page/\\n2026-01-01 ERROR forged\\x1b[2J\\r" in line


def test_a_refusal_s_path_cannot_start_a_line_of_its_own(rf, log_lines):
    from rabat_portal.security import log_refusal

    request = rf.get("/en/private/%0A2026-01-01 INFO forged/")
    request.user = AnonymousUser()

    log_refusal(request, 403)

    assert "\n" not in log_lines[-1]
    assert "/en/private/\\n2026-01-01 INFO forged/" in log_lines[-1]


def test_a_traceback_keeps_its_lines(log_lines):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("rabat_portal.tasks").exception("Task failed")

    assert "Task failed\nTraceback" in log_lines[-1]
