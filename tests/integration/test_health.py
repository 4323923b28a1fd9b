"""/health/ against the real Redis and a real Celery worker listening on it."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.integration


@pytest.fixture
def celery_worker_on_redis(settings, monkeypatch):
    """A Celery worker, in a thread of this process, consuming from the Redis broker."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set; no broker for a worker")
    from celery.contrib.testing.worker import start_worker
    from celery.fixups.django import DjangoWorkerFixup

    from rabat_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery's Django fixup closes the database connections when a worker starts (a worker
    # process must not share its parent's); here that would be the connection this test's
    # transaction runs on. The threads pool also spares the solo pool's worker_process_init.
    monkeypatch.setattr(DjangoWorkerFixup, "_close_database", lambda self: None)
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False):
        yield


@pytest.mark.django_db
def test_a_running_worker_answers_the_health_check(client, celery_worker_on_redis):
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL

    response = client.get("/health/", {"worker": "required"})

    assert response.json() == {"database": "ok", "redis": "ok", "worker": "ok"}
    assert response.status_code == 200
