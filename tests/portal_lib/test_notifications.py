"""notify(): one Delivery per recipient, in their language, sent after the commit over one
connection per batch; retried, then recorded failed; sent later when the server is back."""

import datetime
import logging
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from portal_lib import tasks
from portal_lib.models import Delivery
from portal_lib.notifications import notify, send_again
from tests.focalpoints.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"reason": "The idea is closed.", "idea": None, "idea_url": ""}


def bounce(recipients, **options):
    """A notification whose templates need no record: the bounce of a refused reply."""
    return notify("test.bounce", "idea-reply-refused", recipients, CONTEXT, **options)


def test_each_recipient_gets_the_message_in_their_language(
    smtp, django_capture_on_commit_callbacks
):
    english = UserFactory(email="en@example.org", language="en")
    french = UserFactory(email="fr@example.org", language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        bounce([english, french])

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "en@example.org": "Your reply was not posted",
        "fr@example.org": "Votre réponse n'a pas été publiée",
    }
    html = {message.to[0]: message.alternatives[0][0] for message in mail.outbox}
    assert "The idea is closed." in html["en@example.org"]
    rows = Delivery.objects.order_by("email")
    assert [(d.recipient, d.language, d.status) for d in rows] == [
        (english, "en", "sent"),
        (french, "fr", "sent"),
    ]
    assert all(d.sent_at and d.attempts == 1 and d.kind == "test.bounce" for d in rows)


def test_people_without_an_account_are_written_to_at_their_address_in_their_language(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bounce([("new@example.org", "fr")])

    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["new@example.org"],
        "Votre réponse n'a pas été publiée",
    )
    assert Delivery.objects.get().recipient is None


def test_those_whose_preference_says_no_are_skipped_and_it_is_recorded(
    smtp, django_capture_on_commit_callbacks
):
    wants = UserFactory(email="yes@example.org")
    refuses = UserFactory(email="no@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        bounce([wants, refuses], preference=lambda user: user.email.startswith("yes"))

    assert [m.to for m in mail.outbox] == [["yes@example.org"]]
    skipped = Delivery.objects.get(recipient=refuses)
    assert (skipped.status, skipped.subject, skipped.attempts) == ("skipped", "", 0)


def test_disabled_accounts_are_skipped(smtp, django_capture_on_commit_callbacks):
    disabled = UserFactory(email="gone@example.org", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        bounce([disabled])

    assert mail.outbox == []
    assert Delivery.objects.get().status == "skipped"


def test_a_call_s_messages_go_over_one_connection_per_batch(
    settings, smtp, django_capture_on_commit_callbacks
):
    people = [UserFactory(email=f"p{n}@example.org") for n in range(5)]

    with django_capture_on_commit_callbacks(execute=True):
        bounce(people)
    assert (len(mail.outbox), smtp.opened) == (5, 1)

    settings.NOTIFICATION_BATCH_SIZE = 2
    with django_capture_on_commit_callbacks(execute=True):
        bounce(people)
    assert (len(mail.outbox), smtp.opened) == (10, 1 + 3)


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(
    smtp, django_capture_on_commit_callbacks
):
    person = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        bounce([person])
        raise RuntimeError("the process failed after notifying")

    assert (mail.outbox, callbacks) == ([], [])
    assert not Delivery.objects.exists()


def test_nothing_leaves_before_the_commit(smtp):
    bounce([UserFactory()])

    assert mail.outbox == []
    assert Delivery.objects.get().status == "pending"


def test_a_refused_message_is_retried_then_recorded_failed_with_the_error(
    smtp, django_capture_on_commit_callbacks
):
    smtp.down = True

    with django_capture_on_commit_callbacks(execute=True):
        bounce([UserFactory()])

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3), "one try and two retries"
    assert delivery.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.sent_at is None and mail.outbox == []


def test_the_retries_wait_longer_each_time(settings):
    settings.NOTIFICATION_RETRY_DELAY = 60

    assert [tasks.retry_delay(retries) for retries in range(4)] == [60, 120, 240, 480]


def test_failed_messages_are_sent_again_once_the_server_is_back(
    smtp, django_capture_on_commit_callbacks
):
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        bounce([UserFactory(email="a@example.org"), UserFactory(email="b@example.org")])
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}

    smtp.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert send_again(Delivery.objects.all()) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert set(Delivery.objects.values_list("status", "error")) == {("sent", "")}


def test_a_broker_that_is_down_does_not_fail_the_action_and_the_sweep_sends_later(
    smtp, django_capture_on_commit_callbacks, caplog
):
    person = UserFactory()
    with (
        mock.patch.object(tasks.send_deliveries, "delay", side_effect=ConnectionError("broker")),
        caplog.at_level(logging.ERROR, logger="portal_lib.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        bounce([person])

    assert "could not be queued" in caplog.text
    assert Delivery.objects.get().status == "pending" and mail.outbox == []
    assert tasks.send_pending_deliveries.delay().get() == 0, "too recent for the sweep"

    Delivery.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    assert tasks.send_pending_deliveries.delay().get() == 1

    assert [m.to for m in mail.outbox] == [[person.email]]
    assert Delivery.objects.get().status == "sent"


def test_a_delivery_is_sent_once_however_often_its_task_runs(smtp):
    (delivery,) = bounce([UserFactory()])

    tasks.send_deliveries.delay([delivery.pk])
    tasks.send_deliveries.delay([delivery.pk])

    assert len(mail.outbox) == 1


def test_a_delivery_another_worker_holds_is_left_to_it(smtp):
    (delivery,) = bounce([UserFactory()])
    Delivery.objects.update(
        claim_token="other", claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )

    tasks.send_deliveries.delay([delivery.pk])
    assert mail.outbox == []

    Delivery.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    tasks.send_deliveries.delay([delivery.pk])
    assert len(mail.outbox) == 1


def test_a_secret_body_is_not_kept_once_sent(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bounce([("new@example.org", "en")], secret=True)

    (message,) = mail.outbox
    assert "The idea is closed." in message.body
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.text_body, delivery.html_body) == ("sent", "", "")
    assert delivery.subject == "Your reply was not posted"


def test_headers_and_reply_to_are_kept_for_every_try(smtp, django_capture_on_commit_callbacks):
    headers = {"Message-ID": "<1@example.org>", "Reply-To": "ideas+token@reply.localhost"}
    with django_capture_on_commit_callbacks(execute=True):
        bounce([UserFactory()], headers=headers)

    (message,) = mail.outbox
    assert message.reply_to == ["ideas+token@reply.localhost"]
    assert message.extra_headers == {"Message-ID": "<1@example.org>"}
    assert Delivery.objects.get().headers == headers


def test_attachments_go_with_the_message_and_its_retries(smtp, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        bounce([("new@example.org", "en")], attachments=[("meeting.ics", ics, "text/calendar")])
    assert not mail.outbox
    smtp.down = False
    send_again(Delivery.objects.all())
    tasks.send_deliveries.delay(list(Delivery.objects.values_list("pk", flat=True)))

    (message,) = mail.outbox
    assert message.attachments == [("meeting.ics", ics, "text/calendar")]


def test_each_recipient_may_get_an_attachment_of_their_own(
    smtp, django_capture_on_commit_callbacks
):
    def letter(recipient):
        return [
            (f"{recipient.email}.pdf", b"%PDF-1.7 " + recipient.email.encode(), "application/pdf")
        ]

    with django_capture_on_commit_callbacks(execute=True):
        bounce([("a@example.org", "en"), ("b@example.org", "fr")], attachments=letter)

    files = {message.to[0]: message.attachments for message in mail.outbox}
    assert files["b@example.org"] == [
        ("b@example.org.pdf", b"%PDF-1.7 b@example.org", "application/pdf")
    ]
