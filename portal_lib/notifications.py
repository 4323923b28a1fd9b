"""The one way the portal sends e-mail: ``notify`` (Hypha's ``messenger``, healthchecks' trio).

A process (a labelling decision, an invitation, a comment…) calls ``notify`` inside its
transaction. Each recipient gets a ``Delivery`` row, rendered in their language, or a
``skipped`` one when their account is disabled or their preference says no. Once the
transaction commits, a Celery task sends that call's deliveries over one connection per batch,
retries with back-off what the server refuses, and records ``sent`` or ``failed``.

Mail never makes the process fail: a server or a broker that is down leaves the deliveries
pending or failed, for the task's retries, the periodic sweep (``send_pending_deliveries``) or
the Secretariat's "send again" to send later. Nothing is sent when the transaction rolls back.
"""

import base64
import functools
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal_lib.emails import render_email
from portal_lib.models import Delivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Where one message goes: an account's address and language, or, for someone without an
    account yet (an invitation), an address and a language alone (``user`` None)."""

    email: str
    language: str
    user: object = None


def _recipient(entry):
    if isinstance(entry, Recipient):
        return entry
    if isinstance(entry, tuple | list):
        email, language = entry
        return Recipient(email, language)
    return Recipient(entry.email, entry.language, entry)


def _skipped(recipient, preference):
    user = recipient.user
    if not recipient.email:
        return True
    if user is None:
        return False
    return not user.is_active or (preference is not None and not preference(user))


def _stored(attachments):
    """``[(filename, content, mimetype)]`` as a Delivery keeps them (content in base64)."""
    stored = []
    for filename, content, mimetype in attachments or ():
        raw = content.encode() if isinstance(content, str) else bytes(content)
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(raw).decode("ascii"),
            }
        )
    return stored


def notify(
    kind,
    template,
    recipients,
    context,
    *,
    preference=None,
    headers=None,
    secret=False,
    attachments=None,
):
    """E-mail ``recipients`` the template trio ``emails/<template>-…``; returns the
    ``Delivery`` rows recorded, one per recipient.

    ``recipients``: users, or ``(email, language)`` pairs for people without an account.
    ``context``: a dict (given ``recipient``, the user, as well), or a function of the
    ``Recipient`` returning the context of that person's message (their own links, tokens).
    ``preference``: a function of a user, False when they do not want this kind of e-mail.
    ``headers``: a dict, or a function of the ``Recipient`` (a ``Reply-To`` of their own).
    ``secret``: the body holds a secret (a link that logs in or sets a password): it is not
    kept once the message has left.
    ``attachments``: ``[(filename, content, mimetype)]`` (content str or bytes), or a function
    of the ``Recipient`` returning that list (a letter of their own); sent with the message.
    Inactive accounts and those the preference excludes get a ``skipped`` row.
    """
    now = timezone.now()
    rows = []
    for entry in recipients:
        recipient = _recipient(entry)
        row = Delivery(
            kind=kind,
            recipient=recipient.user,
            email=recipient.email,
            language=recipient.language,
            secret=secret,
            created_at=now,
        )
        if _skipped(recipient, preference):
            row.status = Delivery.Status.SKIPPED
        else:
            values = (
                context(recipient)
                if callable(context)
                else {**context, "recipient": recipient.user}
            )
            extra = headers(recipient) if callable(headers) else dict(headers or {})
            message = render_email(template, values, recipient.language, [recipient.email], extra)
            row.subject = message.subject
            row.text_body = message.body
            row.html_body = message.alternatives[0][0] if message.alternatives else ""
            row.headers = extra
            files = attachments(recipient) if callable(attachments) else attachments
            row.attachments = _stored(files)
        rows.append(row)
    Delivery.objects.bulk_create(rows)
    pending = [row.pk for row in rows if row.status == Delivery.Status.PENDING]
    if pending:
        transaction.on_commit(functools.partial(queue, pending))
    return rows


def queue(ids):
    """Hand the deliveries ``ids`` to a Celery worker. A broker that is down is logged, not
    raised: the event has happened, and the periodic sweep sends what was left pending."""
    from portal_lib.tasks import send_deliveries

    try:
        send_deliveries.delay(ids)
    except Exception:  # the broker, or (eager) the sending itself: never the person's action
        logger.exception("Deliveries %s could not be queued; the periodic sweep sends them", ids)


def send_again(deliveries):
    """Put failed deliveries back to pending and queue them; returns how many."""
    ids = list(deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, claimed_until=None, claim_token=""
    )
    if ids:
        transaction.on_commit(functools.partial(queue, ids))
    return len(ids)
