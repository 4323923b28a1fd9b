"""The docker compose stack, the image and their configuration, read without Docker."""

import importlib.util
import re

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DEV_ONLY = {"pytest", "pytest-django", "pytest-cov", "pytest-env", "playwright", "ruff"}


def env_example_names():
    """Every NAME of ``NAME=value`` in .env.example, commented-out defaults included."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def names_settings_read():
    text = (ROOT / "rabat_portal" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", text))


def pins(lock):
    text = (ROOT / lock).read_text()
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", text, re.MULTILINE))


def test_the_stack_has_the_portal_and_its_services():
    assert {"web", "worker", "beat", "db", "redis", "mailpit"} <= set(SERVICES)
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"] == "redis:7"
    assert SERVICES["mailpit"]["image"].startswith("axllent/mailpit")
    assert "gunicorn" not in str(SERVICES["web"].get("command", "")), "the image's CMD serves"
    assert "worker" in SERVICES["worker"]["command"]
    assert "beat" in SERVICES["beat"]["command"]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_service_has_a_health_check_or_is_a_one_off(name):
    service = SERVICES[name]
    healthcheck = service.get("healthcheck", {})

    if service.get("restart") == "no":
        # A job that runs once (the migrations) and exits: a health check would never pass.
        assert healthcheck == {"disable": True}
    else:
        assert healthcheck.get("test"), f"{name} has no health check"
        assert healthcheck.get("interval")


def test_the_web_health_check_and_the_image_ask_health():
    script = (ROOT / "docker" / "healthcheck.py").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "/health/" in script
    assert SERVICES["web"]["healthcheck"]["test"] == ["CMD", "python", "docker/healthcheck.py"]
    assert re.search(
        r'^HEALTHCHECK .*\\\n +CMD \["python", "docker/healthcheck.py"\]$', dockerfile, re.M
    )


def test_the_named_volumes_exist_and_hold_the_database_and_both_kinds_of_files():
    declared = set(COMPOSE["volumes"])
    used = {
        mount.split(":")[0]
        for service in SERVICES.values()
        for mount in service.get("volumes", [])
        if not mount.startswith((".", "/"))
    }

    assert used <= declared
    assert {"postgres", "redis", "media", "private_media"} <= declared
    assert "postgres:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/app/media" in SERVICES[name]["volumes"]
        assert "private_media:/app/private_media" in SERVICES[name]["volumes"]


def test_env_example_documents_every_variable_settings_read():
    read = names_settings_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= read, "the regex works"

    missing = read - env_example_names()

    assert not missing, f"Document these in .env.example: {sorted(missing)}"


def test_env_example_documents_every_variable_the_compose_file_uses():
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))

    assert not used - env_example_names()


def test_the_image_has_no_development_dependencies_and_the_tested_versions():
    production, development = pins("requirements-prod.lock"), pins("requirements.lock")
    assert "django" in production

    assert not DEV_ONLY & set(production)
    assert {name: development.get(name) for name in production} == production


def test_the_image_installs_the_runtime_lock_with_hashes_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    final_stage = dockerfile.rsplit("\nFROM ", 1)[1]

    assert "--require-hashes" in dockerfile
    assert "requirements-prod.lock" in dockerfile
    assert final_stage.startswith("python:3.11-slim")
    assert "build-essential" not in final_stage
    assert re.search(r"^USER portal$", final_stage, re.MULTILINE)
    assert "pybabel compile" in final_stage
    assert "collectstatic" in final_stage


def load_healthcheck_script():
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "docker" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("portal.example.org,localhost", "portal.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_container_check_asks_with_a_host_django_accepts(monkeypatch, allowed_hosts, host):
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)

    assert load_healthcheck_script().host() == host


def test_the_container_check_passes_on_200_and_fails_on_503(live_server, monkeypatch, settings):
    from rabat_portal import health

    settings.REDIS_URL = ""
    monkeypatch.setenv("PORT", live_server.url.rsplit(":", 1)[1])
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost")
    script = load_healthcheck_script()

    assert script.main() == 0

    monkeypatch.setattr(health, "check_database", lambda: "error: OperationalError")
    assert script.main() == 1
