"""E-mail as a trio of templates (subject, text, HTML), rendered in the recipient's language, and
the one way messages leave: a batch over one connection (``send_over_one_connection``).

Nothing else in the portal opens a mail connection: ``portal_lib.notifications`` sends every
notification through this module, and the digests send their batches with it."""

import contextlib
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def render_email(template, context, language, to, headers=None):
    """An ``EmailMultiAlternatives`` built from ``emails/<template>-subject.txt``,
    ``-body.txt`` and ``-body.html``, rendered in ``language``; not sent."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def send_over_one_connection(messages, *, retries=0, backoff=0.0, on_sent=None):
    """Send ``[(key, message)]`` over one mail connection; returns ``(sent keys, {key: error})``.

    A message the server refuses (or a connection that drops) is tried again up to ``retries``
    times, ``backoff`` seconds later and twice as long each time, over the connection opened
    again; what still fails is returned with its error, for the caller to record and retry
    later. ``on_sent(key)`` is called as each message leaves, before the next one is tried.
    """
    sent, failed = [], {}
    connection = get_connection()
    try:
        # A server that is down is an error of each message, recorded as such, not of the batch.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.open()
        for key, message in messages:
            error = None
            for attempt in range(retries + 1):
                if attempt:
                    time.sleep(backoff * 2 ** (attempt - 1))
                try:
                    message.connection = connection
                    connection.send_messages([message])
                    error = None
                    break
                except (smtplib.SMTPException, OSError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    logger.warning("E-mail %s not sent (try %s): %s", key, attempt, error)
                    connection.close()
                    with contextlib.suppress(smtplib.SMTPException, OSError):
                        connection.open()
            if error:
                failed[key] = error
            else:
                sent.append(key)
                if on_sent:
                    on_sent(key)
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return sent, failed
