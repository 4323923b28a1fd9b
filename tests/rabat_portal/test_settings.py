import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from rabat_portal.celery import app as celery_app


def run_django(env_overrides, code="import django; django.setup(); print('started')"):
    """Start Django in a fresh process with the test run's environment less what settings read."""
    read_by_settings = {
        "SECRET_KEY",
        "DEBUG",
        "REDIS_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "SECURE_SSL_REDIRECT",
        "STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' setting, never production's
        "TRUSTED_PROXIES",
    }
    env = {k: v for k, v in os.environ.items() if k not in read_by_settings}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "rabat_portal.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_start_up_without_a_secret_key_fails_with_a_clear_message():
    result = run_django({"DEBUG": "false"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_development_starts_without_a_secret_key():
    result = run_django({"DEBUG": "true"})

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_defaults_secure_cookies_and_headers():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)"
    )
    result = run_django({"DEBUG": "false", "SECRET_KEY": "x" * 50}, code)

    assert result.stdout.split() == ["True", "True", "True", "True", "True", "DENY"]


def test_without_redis_celery_runs_tasks_in_process_and_the_cache_is_local():
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], "
        "s.SESSION_ENGINE.rsplit('.', 1)[1])"
    )
    result = run_django({"DEBUG": "true"}, code)

    # Sessions in the database alone: a cache per process could outlive a logout elsewhere.
    assert result.stdout.split() == ["True", "LocMemCache", "db"]


def test_with_redis_celery_uses_it_as_broker_and_it_is_the_cache():
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.SESSION_ENGINE.rsplit('.', 1)[1])"
    )
    result = run_django({"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"}, code)

    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/3", "RedisCache", "cached_db"]


def test_celery_is_configured_from_the_django_settings():
    conf = celery_app.conf

    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_time_limit > conf.task_soft_time_limit > 0


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models have changes without a migration:\n{out.getvalue()}")


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-like-" + "k3y-" * 16,
    "ALLOWED_HOSTS": "portal.rabat-process.example",
}
DEPLOYMENT_CHECKS = (
    "import django, sys; django.setup(); from django.core.management import "
    "call_command; call_command('check', deploy=True, fail_level='WARNING')"
)


def test_the_deployment_checklist_is_clean_with_production_settings():
    result = run_django(
        {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/15"}, code=DEPLOYMENT_CHECKS
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_warns_that_without_redis_rate_limits_are_per_worker():
    result = run_django(PRODUCTION, code=DEPLOYMENT_CHECKS)

    assert result.returncode != 0
    assert "rabat_portal.W001" in result.stderr and "per worker" in result.stderr


@pytest.mark.parametrize(
    ("backend", "warned"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", True),
        ("django.core.cache.backends.dummy.DummyCache", True),
        ("django.core.cache.backends.filebased.FileBasedCache", True),
        ("django.core.cache.backends.redis.RedisCache", False),
        ("portal_lib.redis_cache.RedisCache", False),
    ],
)
def test_only_a_shared_cache_passes_the_rate_limit_check(settings, backend, warned):
    from rabat_portal.checks import check_shared_cache

    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/unused"}}

    assert [w.id for w in check_shared_cache(None)] == (["rabat_portal.W001"] if warned else [])


def test_trusted_proxies_are_read_from_the_environment():
    code = "from django.conf import settings as s; print(s.TRUSTED_PROXIES)"

    result = run_django(
        {**PRODUCTION, "TRUSTED_PROXIES": " 10.0.0.2, 172.16.0.0/12,fd00::/8"}, code
    )

    assert result.stdout.strip() == "['10.0.0.2', '172.16.0.0/12', 'fd00::/8']", result.stderr


def test_a_malformed_trusted_proxy_stops_start_up_with_a_clear_message():
    result = run_django({**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.2,proxy.local"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXIES: 'proxy.local' is not an IP" in result.stderr
