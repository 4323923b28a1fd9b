"""/health/: what the load balancer and the containers' health checks read."""

import os
import socket

import pytest
from django.db.backends.utils import CursorWrapper

from rabat_portal import health
from rabat_portal.celery import app as celery_app

URL = "/health/"


def closed_port():
    """A local TCP port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_without_redis_the_database_alone_makes_a_healthy_answer(client, settings):
    settings.REDIS_URL = ""

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "redis": "not configured",
        "worker": "not configured",
    }
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "max-age=0" in cache_control
    assert "public" not in cache_control, "a cache between must never answer for the portal"


@pytest.mark.django_db
def test_the_answer_is_the_same_without_a_language_prefix_or_https(client, settings):
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(URL)

    assert response.status_code == 200, "the load balancer asks over plain HTTP"


@pytest.mark.django_db
def test_a_database_that_does_not_answer_makes_it_unavailable_without_details(
    client, settings, monkeypatch
):
    settings.REDIS_URL = ""

    def refuse(self, sql, params=None):
        raise RuntimeError("connection to server at db.internal (10.0.0.5) failed: password")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["database"] == "error: RuntimeError"
    assert b"10.0.0.5" not in response.content
    assert b"password" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_redis_that_does_not_answer_makes_it_unavailable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get(URL)

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("error: ")
    assert body["worker"] == "error: Redis unavailable"
    assert "127.0.0.1" not in response.content.decode()


@pytest.fixture
def redis_answers(settings, monkeypatch):
    """Redis said to answer, and tasks going to workers, whatever this machine runs."""
    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_redis", lambda: health.OK)


@pytest.mark.django_db
def test_a_missing_worker_is_reported_but_does_not_take_the_web_process_out(
    client, redis_answers, monkeypatch
):
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout, limit: [])

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["worker"] == "error: no worker answered"


@pytest.mark.django_db
def test_a_missing_worker_makes_it_unavailable_when_the_monitor_requires_one(
    client, redis_answers, monkeypatch
):
    timeouts = []
    monkeypatch.setattr(
        celery_app.control, "ping", lambda timeout, limit: timeouts.append(timeout) or []
    )

    response = client.get(URL, {"worker": "required"})

    assert response.status_code == 503
    assert timeouts == [1.0], "a short timeout, so a health check never hangs"


@pytest.mark.django_db
def test_an_answering_worker_satisfies_a_monitor_that_requires_one(
    client, redis_answers, monkeypatch
):
    monkeypatch.setattr(
        celery_app.control, "ping", lambda timeout, limit: [{"celery@worker-1": {"ok": "pong"}}]
    )

    response = client.get(URL, {"worker": "required"})

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_on_the_real_redis_everything_answers(client, settings):
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("REDIS_URL is not set; no Redis to check against")
    settings.REDIS_URL = redis_url

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["redis"] == "ok"


def test_only_get_is_answered(client):
    assert client.post(URL).status_code == 405
