"""The production image's steps, rehearsed without Docker (no Docker engine runs on CI's
machine, so the image itself is never built here): the runtime lock alone installs and is
complete, the build's translation and static-file steps run on the files the image holds, and
the image's command serves the portal with production settings on PostgreSQL and Redis.
What only a build shows (the Debian packages of the base image) is checked by name."""

import fcntl
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# One worker builds the module's virtualenv once and runs every test on it.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("image-rehearsal")]

ROOT = Path(settings.BASE_DIR)
DOCKERFILE = (ROOT / "Dockerfile").read_text()
HOST = "portal.example.org"
# The build step of the Dockerfile, as the rehearsal runs it (the test checks it is there).
COMPILE = "pybabel compile --domain django --directory locale"
COLLECT = "python manage.py collectstatic --no-input --verbosity 0"


def image_files():
    """The repository's files that ``COPY . .`` puts in the image, .dockerignore applied."""
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        parts = Path(name).parts
        if not any(
            parts[0] == pattern or (pattern.startswith("**/") and pattern[3:] in parts)
            for pattern in ignored
        ):
            yield name


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, **headers):
    """``(status, headers, body)`` of a GET to the server, redirects not followed."""
    server = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        server.request("GET", path, headers={"Host": HOST, **headers})
        response = server.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        server.close()


@pytest.fixture(scope="session")
def image(tmp_path_factory):
    """``(folder laid out as the image's /app, its python)``: a virtualenv of the runtime lock
    alone, then the image's build step run in the folder. Made once per run, whichever worker
    asks first (the others wait for it): it is the costliest set-up of the suite."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    folder = shared / "image"
    with open(shared / "image.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            build_image(folder)
            (folder / "built").touch()
    return folder / "app", folder / "venv" / "bin" / "python"


def build_image(folder):
    app = folder / "app"
    for name in image_files():
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, app / name)
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            # What is rehearsed is that the lock installs and is complete, not byte-compiling.
            "--no-compile",
            "--require-hashes",
            "-r",
            str(app / "requirements-prod.lock"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    build_env = {
        "PATH": f"{python.parent}:{os.environ['PATH']}",
        "HOME": str(folder),
        "SECRET_KEY": "collectstatic-only",
        "DEBUG": "false",
        "STATIC_MANIFEST": "true",
    }
    for step in (COMPILE, COLLECT):
        done = subprocess.run(
            step, shell=True, cwd=app, env=build_env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{step}:\n{done.stdout}{done.stderr}"


def production_environment(app, python, port):
    database = settings.DATABASES["default"]
    return {
        "PATH": f"{python.parent}:/usr/bin:/bin",
        "HOME": str(app),
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(app / "media"),
        "PRIVATE_MEDIA_ROOT": str(app / "private_media"),
    }


def test_the_dockerfile_runs_the_steps_rehearsed_here():
    assert COMPILE in DOCKERFILE
    assert re.search(r"STATIC_MANIFEST=true \\\n +" + re.escape(COLLECT), DOCKERFILE)
    assert "pip wheel --require-hashes --wheel-dir /wheels -r /tmp/requirements-prod.lock" in (
        DOCKERFILE
    )
    assert "FROM python:3.11-slim" in DOCKERFILE and sys.version_info[:2] == (3, 11)


def test_the_base_images_debian_packages_exist_by_those_names():
    """python:3.11-slim is Debian bookworm, as this machine: the packages WeasyPrint loads must
    be known to its package index under the names the Dockerfile installs."""
    final_stage = DOCKERFILE.rsplit("FROM python:3.11-slim", 1)[1]
    names = re.search(r"--no-install-recommends \\\n\s+([^\\]+)\\", final_stage).group(1).split()
    assert names, "the final stage installs no package"
    if shutil.which("apt-cache") is None:
        pytest.skip("apt-cache is not on this machine: not Debian")
    for name in names:
        shown = subprocess.run(["apt-cache", "show", name], capture_output=True, text=True)
        assert shown.returncode == 0 and f"Package: {name}" in shown.stdout, name


def assert_the_runtime_lock_alone_is_complete_and_holds_no_test_tool(python):
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    for tool in ("pytest", "factory_boy", "moto", "locust", "playwright"):
        shown = subprocess.run([str(python), "-m", "pip", "show", tool], capture_output=True)
        assert shown.returncode != 0, f"{tool} would be in the image"


def test_the_image_holds_its_runtime_lock_alone_and_serves_the_portal_in_production(
    image, transactional_db
):
    """One test for both, so that the image's virtualenv (the suite's costliest set-up) is
    built by one worker while the other runs other tests."""
    if connection.vendor != "postgresql":
        pytest.skip("the image runs on PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the image's health check asks Redis")
    app, python = image
    assert_the_runtime_lock_alone_is_complete_and_holds_no_test_tool(python)
    port = free_port()
    environment = production_environment(app, python, port)
    deploy = subprocess.run(
        [str(python), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=app,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr

    command = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE).group(1))
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        command, cwd=app, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(120):
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped: {server.stdout.read().decode()}")
            try:
                status, _headers, body = get(port, "/health/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer within a minute")
        assert status == 200, body
        assert json.loads(body)["database"] == "ok" and json.loads(body)["redis"] == "ok"

        healthcheck = subprocess.run(
            [str(python), "docker/healthcheck.py"], cwd=app, env=environment, timeout=30
        )
        assert healthcheck.returncode == 0

        # Behind the proxy that terminates TLS, as in production.
        status, headers, body = get(port, "/fr/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "Strict-Transport-Security" in headers
        stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "pages link the hashed (manifest) name of the stylesheet"
        status, headers, _body = get(
            port,
            stylesheet.group(1).decode(),
            **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
        )
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers["Cache-Control"]
        status, headers, _body = get(port, "/en/")
        assert status == 301 and headers["Location"].startswith("https://"), "plain HTTP"
    finally:
        server.terminate()
        server.wait(timeout=30)
