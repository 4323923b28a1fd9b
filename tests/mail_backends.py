"""A mail server the tests control: it counts the connections opened, and it can be down."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class ControlledBackend(BaseEmailBackend):
    """Delivers to ``mail.outbox`` like Django's test backend, unless ``down``: then every
    message is refused as an SMTP server that has gone away refuses it."""

    down = False
    opened = 0

    def open(self):
        ControlledBackend.opened += 1
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if ControlledBackend.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)
