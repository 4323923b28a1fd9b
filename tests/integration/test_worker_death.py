"""A worker dies in the middle of a task: the broker hands the task to another worker, which
completes it. Real Redis, real PostgreSQL, workers in their own processes."""

import os
import signal

import pytest
from django.conf import settings
from django.core.management import call_command

from stocktaking.models import GeneratedReport, StocktakingReport
from tests.integration.test_digests import (
    database_url_for_the_test_database,
    services_or_skip,
    wait_for,
)
from tests.integration.workers import start_celery_worker, stop_workers

pytestmark = pytest.mark.integration

# Short enough for a test: the broker restores an unacknowledged task after this many seconds,
# and the report's claim may be taken over after as many.
VISIBILITY_TIMEOUT = "4"


@pytest.fixture
def start_worker(tmp_path):
    workers = []

    def start():
        log = tmp_path / f"worker-{len(workers)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_the_test_database(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
            "REPORT_CLAIM_TIMEOUT_SECONDS": VISIBILITY_TIMEOUT,
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
        }
        process = start_celery_worker(log, env)
        workers.append(process)
        return process

    yield start
    stop_workers(workers)


@pytest.fixture
def queued_report(transactional_db):
    services_or_skip()
    from redis import Redis

    Redis.from_url(settings.REDIS_URL).flushdb()  # no task left over from another test
    call_command("bootstrap", verbosity=0)
    report = StocktakingReport.objects.create(
        title_en="Stocktaking 2018-2020",
        period_start="2018-05-01",
        period_end="2020-10-31",
    )
    return GeneratedReport.objects.create(report=report, language="en")


def test_a_task_whose_worker_dies_is_completed_by_another(start_worker, queued_report):
    from rabat_portal.celery import app

    first = start_worker()
    app.send_task("stocktaking.tasks.generate_stocktaking_report", args=[queued_report.pk])

    def status():
        queued_report.refresh_from_db()
        return queued_report.status

    wait_for(lambda: status() != GeneratedReport.Status.QUEUED, 60, "the first worker to start")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert status() in (GeneratedReport.Status.ASSEMBLING, GeneratedReport.Status.RENDERING), (
        "the worker was killed in the middle of the task"
    )

    start_worker()

    wait_for(lambda: status() == GeneratedReport.Status.DONE, 120, "another worker to finish it")
    queued_report.refresh_from_db()
    assert queued_report.page_count and queued_report.file
