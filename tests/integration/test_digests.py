"""Digests on the real services: a Celery worker in its own process, Redis as broker and cache,
PostgreSQL, and an SMTP server on loopback that receives the messages.

The worker is started with the test database's name, so it reads the rows this test commits
(``transactional_db``). It is then killed in the middle of a run; a second worker's run must
complete the deliveries without sending anyone a digest twice.
"""

import asyncio
import os
import signal
import socket
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from digests.models import DigestDelivery
from tests.focalpoints.factories import MembershipFactory, PartnerFactory
from tests.integration.workers import start_celery_worker, stop_workers
from tests.meetings.factories import DocumentFactory

pytestmark = pytest.mark.integration

SITE_URL = "https://digests.example"
RECIPIENTS = 12


def services_or_skip():
    """Skip, saying why, unless PostgreSQL and Redis are both there."""
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not name a PostgreSQL database: the worker needs one")
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the worker needs Redis as its broker")
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        Redis.from_url(settings.REDIS_URL).ping()
    except RedisConnectionError as error:
        pytest.skip(f"Redis does not answer at {settings.REDIS_URL}: {error}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SlowInbox:
    """An aiosmtpd handler that keeps every message; slow at RCPT so that a worker can be
    killed between two messages (a message is kept only once its DATA is accepted)."""

    def __init__(self, delay):
        self.delay = delay
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox():
    from aiosmtpd.controller import Controller

    handler = SlowInbox(delay=0.4)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def database_url_for_the_test_database():
    """DATABASE_URL with the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


@pytest.fixture
def start_worker(tmp_path, inbox):
    workers = []

    def start(**extra_env):
        _handler, port = inbox
        log = tmp_path / f"worker-{len(workers)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_the_test_database(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "SITE_URL": SITE_URL,
            "DIGEST_BATCH_SIZE": "4",
            "DIGEST_RETRY_BACKOFF": "0",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            **extra_env,
        }
        process = start_celery_worker(log, env)
        workers.append(process)
        return process

    yield start
    stop_workers(workers)


@pytest.fixture(autouse=True)
def through_the_broker():
    """This process only sends tasks and waits for their results: nothing runs eagerly here."""
    from rabat_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def send_task(frequency):
    from rabat_portal.celery import app

    return app.send_task("digests.tasks.send_digests", args=[frequency])


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def members(transactional_db):
    services_or_skip()
    cache.clear()
    partner = PartnerFactory(slug="senegal", name="Senegal")
    users = [
        MembershipFactory(
            partner=partner, user__email=f"nfp{n:02d}@senegal.example", user__language=language
        ).user
        for n, language in enumerate(["en", "fr"] * (RECIPIENTS // 2))
    ]
    DocumentFactory(title="Conclusions of the Dakar meeting")
    yield users
    cache.clear()


def parsed(inbox_messages):
    return [
        (recipients, message_from_bytes(content, policy=policy.default))
        for recipients, content in inbox_messages
    ]


def test_a_worker_sends_each_digest_over_smtp_with_both_parts_and_one_click_unsubscribe(
    members, inbox, start_worker, client
):
    handler, _port = inbox
    start_worker()

    result = send_task("weekly").get(timeout=120)

    assert result["sent"] == RECIPIENTS
    received = parsed(handler.messages)
    assert sorted(r[0] for r, _m in received) == sorted(u.email for u in members)
    french = next(m for r, m in received if r == ["nfp01@senegal.example"])
    english = next(m for r, m in received if r == ["nfp00@senegal.example"])
    assert english["To"] == "nfp00@senegal.example"
    assert english["Subject"].strip() == "Rabat Process: your weekly digest"
    assert french["Subject"].strip() == "Processus de Rabat : votre récapitulatif hebdomadaire"
    for message, language in [(english, "en"), (french, "fr")]:
        unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
        assert unsubscribe.startswith(f"{SITE_URL}/{language}/digest/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert (
            "Conclusions of the Dakar meeting" in text
            and "Conclusions of the Dakar meeting" in html
        )
        assert f'href="{SITE_URL}/{language}/documents/' in html
        assert unsubscribe in text and unsubscribe in html

    # The link works as a mail client's one-click POST, without logging in.
    answer = client.post(urlsplit(english["List-Unsubscribe"].strip().strip("<>")).path)
    assert answer.status_code == 200
    members[0].refresh_from_db()
    assert members[0].digest_frequency == "off"
    assert DigestDelivery.objects.filter(status="sent").count() == RECIPIENTS


def test_a_worker_killed_mid_run_leaves_nothing_sent_twice_and_the_next_run_completes(
    members, inbox, start_worker
):
    handler, _port = inbox
    first = start_worker()
    send_task("weekly")
    wait_for(lambda: len(handler.messages) >= 5, 60, "the first messages of the run")
    # Kill while the worker waits on the next message's RCPT: a message the server accepted but
    # whose acceptance never reached the worker is SMTP's own ambiguity, which no sender avoids.
    time.sleep(0.15)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    before = len(handler.messages)
    assert 5 <= before < RECIPIENTS, "the worker was to be killed in the middle of the run"
    assert DigestDelivery.objects.filter(status="claimed").exists()

    # Claims left by the dead worker count as stale at once for the second worker.
    start_worker(DIGEST_CLAIM_TIMEOUT_MINUTES="0")
    result = send_task("weekly").get(timeout=120)

    recipients = [r[0] for r, _m in handler.messages]
    assert sorted(recipients) == sorted(u.email for u in members), "each digest exactly once"
    assert result["sent"] == RECIPIENTS - before
    assert DigestDelivery.objects.filter(status="sent").count() == RECIPIENTS
    assert not DigestDelivery.objects.exclude(status="sent").exists()
    # A third run of the same period sends nothing.
    assert send_task("weekly").get(timeout=60)["sent"] == 0
    assert len(handler.messages) == RECIPIENTS
    assert DigestDelivery.objects.filter(sent_at__lte=timezone.now()).count() == RECIPIENTS
