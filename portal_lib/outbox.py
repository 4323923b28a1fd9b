"""Sending stored deliveries: claim the pending rows, send them in batches over one connection
each, record what happened. Called by ``portal_lib.tasks``; see ``portal_lib.notifications``.

A row is claimed with a conditional UPDATE (pending, and not claimed by a run still within its
time) that only one of two workers can win, as the digests claim theirs; a row whose worker died
is free again once ``claimed_until`` has passed, and the periodic sweep sends it.
"""

import base64
import datetime
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from portal_lib.emails import send_over_one_connection
from portal_lib.models import Delivery


def as_message(delivery):
    """The e-mail a ``Delivery`` stands for, as it was rendered when its event happened."""
    headers = dict(delivery.headers)
    reply_to = headers.pop("Reply-To", None)
    message = EmailMultiAlternatives(
        delivery.subject,
        delivery.text_body,
        to=[delivery.email],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    if delivery.html_body:
        message.attach_alternative(delivery.html_body, "text/html")
    for attachment in delivery.attachments or ():
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def available(now):
    """Rows no run holds now."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim(ids, token, previous_token=None):
    """Claim the pending deliveries among ``ids`` for the run ``token``: those nobody holds, and
    those the run ``previous_token`` (this task before its retry) held. Returns them."""
    now = timezone.now()
    free = available(now)
    if previous_token:
        free |= Q(claim_token=previous_token)
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).filter(free).update(
        claim_token=token,
        claimed_until=now + settings.NOTIFICATION_CLAIM_TIMEOUT,
        attempts=F("attempts") + 1,
    )
    return list(
        Delivery.objects.filter(pk__in=ids, claim_token=token, status=Delivery.Status.PENDING)
    )


def _mine(ids, token):
    return Delivery.objects.filter(pk__in=ids, claim_token=token, status=Delivery.Status.PENDING)


def send(ids, previous_token=None):
    """Claim and send the pending deliveries among ``ids``, ``NOTIFICATION_BATCH_SIZE`` per
    connection. Those sent are recorded ``sent``; those that failed stay pending and held by
    this run. Returns ``(sent ids, {id: error}, token)``."""
    token = uuid.uuid4().hex
    deliveries = claim(ids, token, previous_token)
    size = settings.NOTIFICATION_BATCH_SIZE
    all_sent, all_failed = [], {}
    for start in range(0, len(deliveries), size):
        batch = deliveries[start : start + size]
        sent, failed = send_over_one_connection([(d.pk, as_message(d)) for d in batch])
        _mine(sent, token).filter(secret=True).update(text_body="", html_body="")
        _mine(sent, token).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), error="", claimed_until=None
        )
        for pk, error in failed.items():
            _mine([pk], token).update(error=error)
        all_sent += sent
        all_failed.update(failed)
    return all_sent, all_failed, token


def hold(ids, token, seconds):
    """Keep the run's failed deliveries from the sweep until its retry in ``seconds``."""
    until = timezone.now() + settings.NOTIFICATION_CLAIM_TIMEOUT
    _mine(ids, token).update(claimed_until=until + datetime.timedelta(seconds=seconds))


def give_up(ids, token):
    """The run's deliveries that failed at every try: recorded ``failed``, with their error."""
    _mine(ids, token).update(status=Delivery.Status.FAILED, claimed_until=None)


def left_pending(limit):
    """Pending deliveries that nobody holds and whose own task should have sent them by now
    (``NOTIFICATION_PENDING_AFTER``): their queueing failed, or their worker died."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            created_at__lt=now - settings.NOTIFICATION_PENDING_AFTER,
        )
        .filter(available(now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
