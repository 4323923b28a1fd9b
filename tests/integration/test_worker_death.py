"""A worker dies in the middle of a task: the broker hands the task to another worker, which
completes it. Real Redis, real PostgreSQL, workers in their own processes."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command

from rabat_portal.models import GeneratedReport, StocktakingReport
from tests.integration.test_digests import (
    ROOT,
    database_url_for_the_test_database,
    services_or_skip,
    wait_for,
)

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
        handle = log.open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rabat_portal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        return process

    yield start
    for process, _log in workers:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


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
    app.send_task("rabat_portal.tasks.generate_stocktaking_report", args=[queued_report.pk])

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
