"""A reply to a notification, end to end: the notification leaves through a real SMTP server on
loopback (aiosmtpd), a mail client's reply to it (multipart, quoted history) is fed to the
inbound handler through the webhook and the command, and the comment appears once."""

import io
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ideas_lab import services
from ideas_lab.models import Comment
from tests.ideas_lab.factories import IdeaFactory


class Inbox:
    """An SMTP server's handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted"

    def to(self, address):
        return [
            message_from_bytes(content, policy=policy.default)
            for recipients, content in self.messages
            if address in recipients
        ]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.INBOUND_EMAIL_SECRET = "loopback-secret"
    yield inbox
    controller.stop()


def client_reply(notification, sender, text):
    """The reply a mail client writes: text and HTML, the notification quoted below."""
    original = notification.get_body(preferencelist=("plain",)).get_content()
    when = format_datetime(timezone.now())
    attribution = f"On {when}, Rabat Process <noreply@localhost> wrote:"
    quoted = "\n".join(f"> {line}" for line in original.splitlines())
    reply = EmailMessage()
    reply["From"] = f"Aminata Diop <{sender}>"
    reply["To"] = notification["Reply-To"]
    reply["Subject"] = f"Re: {notification['Subject']}"
    reply["Message-ID"] = make_msgid(domain="senegal.example")
    reply["In-Reply-To"] = notification["Message-ID"]
    reply["References"] = f"{notification['References']} {notification['Message-ID']}"
    reply["Date"] = when
    reply.set_content(f"{text}\n\nAminata\n\n{attribution}\n{quoted}\n")
    reply.add_alternative(
        f"<div dir='ltr'><p>{text}</p><p>Aminata</p></div>"
        f"<div class='gmail_quote'><div>{attribution}</div>"
        f"<blockquote>{original}</blockquote></div>",
        subtype="html",
    )
    return reply.as_bytes()


def test_a_reply_to_the_notification_posts_the_comment_once(
    client,
    smtp,
    senegal,
    senegal_focal_point,
    spain_focal_point,
    django_capture_on_commit_callbacks,
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point, title="Diaspora forum")
    services.follow(senegal_focal_point, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Spain could co-chair a session.")

    (notification,) = smtp.to("nfp@senegal.example")
    assert "Spain could co-chair a session." in notification.get_body(("plain",)).get_content()
    assert parseaddr(notification["Reply-To"])[1].startswith("ideas+")
    raw = client_reply(notification, "nfp@senegal.example", "Thank you, Spain: agreed.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ideas-inbound-email"),
            raw,
            content_type="message/rfc822",
            HTTP_X_INBOUND_SECRET="loopback-secret",
        )
    assert (response.status_code, response.content) == (200, b"posted")

    with mock.patch("sys.stdin", io.TextIOWrapper(io.BytesIO(raw))):
        out = io.StringIO()
        call_command("receive_idea_reply", stdout=out)
    assert "duplicate" in out.getvalue()

    replies = Comment.objects.filter(author=senegal_focal_point)
    assert [(c.text, c.source) for c in replies] == [
        ("Thank you, Spain: agreed.\n\nAminata", "email")
    ]
    # Spain follows since it commented, and hears of the answer by the same route.
    (answer,) = smtp.to("nfp@spain.example")
    assert "Thank you, Spain: agreed." in answer.get_body(("plain",)).get_content()


def test_the_command_posts_a_reply_read_on_standard_input(
    smtp, senegal, senegal_focal_point, spain_focal_point, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)
    services.follow(senegal_focal_point, idea)
    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(idea, spain_focal_point, "expertise", "Our experts can help.")
    (notification,) = smtp.to("nfp@senegal.example")
    raw = client_reply(notification, "NFP@senegal.example", "Welcome, let us talk.")

    with mock.patch("sys.stdin", io.TextIOWrapper(io.BytesIO(raw))):
        call_command("receive_idea_reply", stdout=io.StringIO())

    assert Comment.objects.get().text == "Welcome, let us talk.\n\nAminata"
