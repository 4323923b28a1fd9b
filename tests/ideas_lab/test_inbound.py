"""Replies by e-mail: what is posted, and every way a reply is refused (nothing posted, one
bounce to the sender)."""

import io
import time
from email.message import EmailMessage
from email.utils import make_msgid
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from ideas_lab import inbound, services
from ideas_lab.inbound import extract_reply, html_to_text, strip_quoted
from ideas_lab.models import Comment, Idea, InboundMessage
from ideas_lab.replies import notification_message_id, reply_address, token_from_address
from tests.ideas_lab.factories import IdeaFactory

pytestmark = pytest.mark.django_db

QUOTE = (
    "\n\nOn Mon, 1 Jun 2026 at 10:00, Rabat Process <noreply@localhost> wrote:\n"
    "> Spain commented on the idea.\n> Reply to this e-mail.\n"
)


@pytest.fixture
def idea(senegal, senegal_focal_point):
    return IdeaFactory(partner=senegal, submitted_by=senegal_focal_point, title="Forum")


def handle_message(raw):
    """The handler, with what it leaves for after the commit (the bounce's sending) run as a
    real commit would: the tests' transaction is never committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return inbound.handle_message(raw)


def reply(
    to, sender, text="We agree, thank you." + QUOTE, *, html=None, message_id=None, **headers
):
    """A mail client's reply to the notification whose Reply-To is ``to``: it names that
    notification in In-Reply-To and References, unless ``headers`` say otherwise (None: left
    out)."""
    token = token_from_address(to)
    if token:
        headers = {
            "In_Reply_To": notification_message_id(token),
            "References": f"<idea-1@reply.localhost> {notification_message_id(token)}",
            **headers,
        }
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: New comment on Forum"
    message["Message-ID"] = message_id or make_msgid(domain="mail.example")
    for name, value in headers.items():
        if value is not None:
            message[name.replace("_", "-")] = value
    if text is not None:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    return message.as_bytes()


def refused(result, reason, bounce_to):
    """Nothing was posted, the refusal is recorded, and the bounce went to ``bounce_to`` only
    (None: no bounce at all)."""
    assert (result.outcome, result.reason) == ("refused", reason)
    assert not Comment.objects.exists()
    assert [m.to for m in mail.outbox] == ([[bounce_to]] if bounce_to else [])
    assert InboundMessage.objects.get().outcome == "refused"


def test_a_reply_posts_only_its_new_text_as_the_sender_comment(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)

    result = handle_message(reply(address, "Spain NFP <NFP@Spain.Example>"))

    comment = Comment.objects.get()
    assert result.outcome == "posted" and result.comment == comment
    assert (comment.author, comment.text, comment.source) == (
        spain_focal_point,
        "We agree, thank you.",
        "email",
    )
    assert services.is_following(spain_focal_point, idea)


def test_the_same_message_never_posts_twice(idea, spain_focal_point):
    raw = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")

    assert handle_message(raw).outcome == "posted"
    assert handle_message(raw).outcome == "duplicate"
    assert Comment.objects.count() == 1 and mail.outbox == []


def test_a_forged_token_is_refused(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea).replace("ideas+", "ideas+x")

    refused(handle_message(reply(address, "nfp@spain.example")), "invalid", None)


def test_a_token_for_another_idea_cannot_be_made_by_editing_it(idea, spain_focal_point, senegal):
    other = IdeaFactory(partner=senegal)
    address = reply_address(spain_focal_point, idea).replace(f"x{idea.pk}.", f"x{other.pk}.", 1)

    refused(handle_message(reply(address, "nfp@spain.example")), "invalid", None)


def test_a_reply_address_works_for_30_days_by_default(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    later = time.time() + 29 * 24 * 3600

    with mock.patch("django.core.signing.time.time", return_value=later):
        assert handle_message(reply(address, "nfp@spain.example")).outcome == "posted"


def test_an_expired_token_is_refused(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    later = time.time() + 31 * 24 * 3600

    with mock.patch("django.core.signing.time.time", return_value=later):
        result = handle_message(reply(address, "nfp@spain.example"))

    refused(result, "expired", "nfp@spain.example")
    assert "expired" in mail.outbox[0].body


def test_a_sender_other_than_the_recipient_is_refused(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)

    result = handle_message(reply(address, "Impostor <nfp@spain.example.evil.org>"))

    # The bounce goes to the address the notification was sent to, never to the sender's.
    refused(result, "sender", "nfp@spain.example")


def test_a_display_name_cannot_smuggle_the_right_address(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)

    result = handle_message(reply(address, '"nfp@spain.example" <attacker@evil.org>'))

    refused(result, "sender", "nfp@spain.example")


def test_a_reply_that_names_no_notification_is_refused(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)

    result = handle_message(reply(address, "nfp@spain.example", In_Reply_To=None, References=None))

    refused(result, "thread", "nfp@spain.example")


def test_a_reply_address_cannot_be_used_in_another_thread(idea, spain_focal_point, senegal):
    address = reply_address(spain_focal_point, idea)
    elsewhere = notification_message_id("another-token")
    raw = reply(
        address,
        "nfp@spain.example",
        In_Reply_To=elsewhere,
        References=f"<idea-{idea.pk}@reply.localhost> {elsewhere} <forged@reply.localhost>",
    )

    refused(handle_message(raw), "thread", "nfp@spain.example")


@pytest.mark.parametrize(
    "kept", [{"References": None}, {"In_Reply_To": "<rewritten-by-the-provider@mail.example>"}]
)
def test_a_client_that_keeps_either_header_can_reply(idea, spain_focal_point, kept):
    address = reply_address(spain_focal_point, idea)

    assert handle_message(reply(address, "nfp@spain.example", **kept)).outcome == "posted"


@pytest.mark.parametrize("change", [{"is_hidden": True}, {"status": Idea.Status.CLOSED}])
def test_a_hidden_or_closed_idea_takes_no_reply(idea, spain_focal_point, change):
    address = reply_address(spain_focal_point, idea)
    Idea.objects.filter(pk=idea.pk).update(**change)

    refused(handle_message(reply(address, "nfp@spain.example")), "idea_closed", "nfp@spain.example")


def test_someone_who_lost_access_cannot_reply(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    spain_focal_point.membership.is_active = False
    spain_focal_point.membership.save()

    refused(handle_message(reply(address, "nfp@spain.example")), "not_allowed", "nfp@spain.example")


def test_an_empty_reply_is_refused(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)

    result = handle_message(reply(address, "nfp@spain.example", text="\n-- \nNFP Spain" + QUOTE))

    refused(result, "empty", "nfp@spain.example")
    assert "No new text" in mail.outbox[0].body


def test_a_message_to_no_reply_address_is_refused_without_a_bounce(idea, spain_focal_point):
    refused(
        handle_message(reply("someone@reply.localhost", "nfp@spain.example")),
        "no_token",
        None,
    )


def test_the_bounce_is_in_the_sender_language(idea, spain_focal_point):
    spain_focal_point.language = "fr"
    spain_focal_point.save()
    address = reply_address(spain_focal_point, idea)
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.CLOSED)

    handle_message(reply(address, "nfp@spain.example"))

    assert mail.outbox[0].subject == "Votre réponse n'a pas été publiée"
    assert "close" in mail.outbox[0].body


def test_automatic_replies_get_no_bounce(idea):
    result = handle_message(
        reply("someone@reply.localhost", "robot@example.org", Auto_Submitted="auto-replied")
    )

    assert (result.outcome, result.reason) == ("refused", "automatic")
    assert mail.outbox == [] and not Comment.objects.exists()


def test_garbage_is_refused_without_error(db):
    assert handle_message(b"\x00\xff not an e-mail").outcome == "refused"
    assert not Comment.objects.exists()


def test_the_token_is_found_in_delivered_to(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    raw = reply(
        "Laboratory <ideas@reply.localhost>",
        "nfp@spain.example",
        Delivered_To=address,
        In_Reply_To=notification_message_id(token_from_address(address)),
    )

    assert handle_message(raw).outcome == "posted"


def test_html_only_replies_are_converted_to_text(idea, spain_focal_point):
    html = (
        "<html><head><style>p{color:red}</style></head><body><div>Yes, <b>we</b> join.</div>"
        "<script>alert(1)</script><div>Best</div>"
        '<div class="gmail_quote">On Mon wrote:<blockquote>old</blockquote></div></body></html>'
    )
    address = reply_address(spain_focal_point, idea)

    handle_message(reply(address, "nfp@spain.example", text=None, html=html))

    assert Comment.objects.get().text == "Yes, we join.\n\nBest"


@pytest.mark.parametrize(
    "body",
    [
        "New text\n\n-----Original Message-----\nFrom: Rabat Process\nSent: Monday\nold",
        "New text\n\n________________________________\nDe : Rabat Process\nEnvoyé : lundi\nold",
        "New text\n\nFrom: Rabat Process <noreply@localhost>\nSent: Monday, 1 June\nTo: me\nold",
        "New text\n\nLe lun. 1 juin 2026 à 10:00, Rabat Process <no@reply> a écrit :\n> old",
        "New text\n\nOn Mon, 1 Jun 2026 at 10:00, Rabat Process\n<noreply@localhost> wrote:\n> old",
        "New text\n-- \nAminata Diop\nNational Focal Point",
        "> old quoted first\nNew text",
    ],
)
def test_quoted_history_and_signatures_are_cut(body):
    assert strip_quoted(body) == "New text"


def test_the_plain_part_is_preferred_to_the_html_one(idea, spain_focal_point):
    from email import message_from_bytes, policy

    raw = reply("a@b.c", "d@e.f", text="Plain words", html="<p>HTML words</p>")

    assert extract_reply(message_from_bytes(raw, policy=policy.default)) == "Plain words"
    assert html_to_text("<p>a</p><p>b &amp; c</p>") == "a\n\nb & c"


def test_the_command_reads_one_message_on_standard_input(idea, spain_focal_point):
    raw = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")
    out = io.StringIO()

    with mock.patch("sys.stdin", io.TextIOWrapper(io.BytesIO(raw))):
        call_command("receive_idea_reply", stdout=out)

    assert "posted" in out.getvalue() and Comment.objects.count() == 1


def test_the_command_processes_a_maildir(idea, spain_focal_point, tmp_path):
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "new" / "1.host").write_bytes(
        reply(reply_address(spain_focal_point, idea), "nfp@spain.example")
    )
    (tmp_path / "new" / "2.host").write_bytes(reply("x@reply.localhost", "nfp@spain.example"))

    call_command("receive_idea_reply", maildir=str(tmp_path), stdout=io.StringIO())

    assert Comment.objects.count() == 1
    assert not list((tmp_path / "new").iterdir())
    assert sorted(p.name for p in (tmp_path / "cur").iterdir()) == ["1.host:2,S", "2.host:2,S"]


@pytest.fixture
def secret(settings):
    settings.INBOUND_EMAIL_SECRET = "s3cret-for-tests"
    return settings.INBOUND_EMAIL_SECRET


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_INBOUND_SECRET": "wrong"}, {"HTTP_AUTHORIZATION": "Bearer wrong"}],
)
def test_the_endpoint_refuses_a_wrong_or_missing_secret(
    client, idea, spain_focal_point, secret, headers
):
    raw = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")

    response = client.post(
        reverse("ideas-inbound-email"), raw, content_type="message/rfc822", **headers
    )

    assert response.status_code == 403
    assert not Comment.objects.exists() and not InboundMessage.objects.exists()


def test_the_endpoint_is_off_without_a_configured_secret(client, idea, spain_focal_point, settings):
    settings.INBOUND_EMAIL_SECRET = ""
    raw = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")

    response = client.post(
        reverse("ideas-inbound-email"), raw, content_type="message/rfc822", HTTP_X_INBOUND_SECRET=""
    )

    assert response.status_code == 403 and not Comment.objects.exists()


def test_the_endpoint_posts_a_raw_body_or_a_form_field(client, idea, spain_focal_point, secret):
    address = reply_address(spain_focal_point, idea)

    raw = client.post(
        reverse("ideas-inbound-email"),
        reply(address, "nfp@spain.example"),
        content_type="message/rfc822",
        HTTP_X_INBOUND_SECRET=secret,
    )
    form = client.post(
        reverse("ideas-inbound-email"),
        {"email": reply(address, "nfp@spain.example").decode()},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert (raw.status_code, raw.content, form.status_code) == (200, b"posted", 200)
    assert Comment.objects.count() == 2


# --- Hostile messages: each is refused and recorded, never an error --------------------------


def raw_message(*headers, body=b"We agree."):
    return b"\r\n".join([*headers, b"", body])


HOSTILE_MESSAGES = {
    "a group syntax in To": raw_message(
        b"From: nfp@spain.example", b"To: a:b:c:;;;<<@>>,,,", b"Message-ID: <1@mail.example>"
    ),
    "a Message-ID that decodes to NUL": raw_message(
        b"From: nfp@spain.example", b"To: x@reply.localhost", b"Message-ID: =?utf-8?q?=00?="
    ),
    "a sender name with NUL": raw_message(
        b"From: =?utf-8?q?a=00b?= <nfp@spain.example>",
        b"To: x@reply.localhost",
        b"Message-ID: <2@mail.example>",
    ),
    "a long non-ASCII Message-ID": raw_message(
        b"From: nfp@spain.example",
        b"To: x@reply.localhost",
        # Varied, so that PostgreSQL cannot compress the index entry below its size limit.
        b"Message-ID: <"
        + "".join(chr(0x4E00 + i * 7919 % 20000) for i in range(990)).encode()
        + b"@mail.example>",
    ),
    "undecodable bytes in headers": raw_message(
        b"From: \xff\xfe <nfp@spain.example>",
        b"To: \xc3(@reply.localhost",
        b"Message-ID: <\xed\xa0\x80@mail.example>",
    ),
}


@pytest.mark.parametrize("raw", HOSTILE_MESSAGES.values(), ids=HOSTILE_MESSAGES.keys())
def test_a_hostile_message_is_recorded_as_refused_without_error(db, raw):
    result = handle_message(raw)

    record = InboundMessage.objects.get()
    assert (result.outcome, record.outcome) == ("refused", "refused")
    assert not Comment.objects.exists()
    assert "\x00" not in record.message_id + record.sender + record.excerpt
    assert 0 < len(record.excerpt) <= InboundMessage.EXCERPT_LENGTH


def test_a_reply_with_hostile_headers_beside_its_reply_address_posts_once(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    notification = notification_message_id(token_from_address(address))
    raw = raw_message(
        b"From: nfp@spain.example",
        b"To: a:b:c:;;;<<@>>,,, " + address.encode(),
        b"Message-ID: =?utf-8?q?=00?=",
        b"In-Reply-To: " + notification.encode(),
        body=b"We agree.\x00",
    )

    assert handle_message(raw).outcome == "posted"
    assert handle_message(raw).outcome == "duplicate"
    assert Comment.objects.get().text == "We agree."
    assert InboundMessage.objects.get().message_id == ""


def test_the_same_hostile_message_is_recorded_once(db):
    raw = HOSTILE_MESSAGES["a group syntax in To"]

    assert handle_message(raw).outcome == "refused"
    assert handle_message(raw).outcome == "duplicate"
    assert InboundMessage.objects.count() == 1


def test_an_unexpected_failure_is_recorded_with_an_excerpt(idea, spain_focal_point):
    raw = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")

    with mock.patch("ideas_lab.inbound.extract_reply", side_effect=RuntimeError("bug")):
        result = handle_message(raw)

    record = InboundMessage.objects.get()
    assert (result.outcome, result.reason) == ("refused", "unreadable")
    assert (record.outcome, record.reason) == ("refused", "unreadable")
    assert "We agree" in record.excerpt and not Comment.objects.exists()


def test_a_bad_message_in_a_maildir_does_not_block_the_next_ones(idea, spain_focal_point, tmp_path):
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "new" / "1.bad").write_bytes(HOSTILE_MESSAGES["a Message-ID that decodes to NUL"])
    (tmp_path / "new" / "2.good").write_bytes(
        reply(reply_address(spain_focal_point, idea), "nfp@spain.example")
    )

    call_command("receive_idea_reply", maildir=str(tmp_path), stdout=io.StringIO())

    assert Comment.objects.count() == 1
    assert not list((tmp_path / "new").iterdir())
    assert InboundMessage.objects.filter(outcome="refused").count() == 1


def test_a_message_the_handler_cannot_take_is_moved_aside_and_the_next_is_processed(
    idea, spain_focal_point, tmp_path
):
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    good = reply(reply_address(spain_focal_point, idea), "nfp@spain.example")
    (tmp_path / "new" / "1.crash").write_bytes(b"From: x@y\r\n\r\ncrash")
    (tmp_path / "new" / "2.good").write_bytes(good)
    real = handle_message

    def crash_on_the_first(raw):
        if raw.endswith(b"crash"):
            raise RuntimeError("the handler failed")
        return real(raw)

    out = io.StringIO()
    with (
        mock.patch(
            "ideas_lab.management.commands.receive_idea_reply.handle_message", crash_on_the_first
        ),
        pytest.raises(CommandError, match="1 message"),
    ):
        call_command("receive_idea_reply", maildir=str(tmp_path), stdout=out)

    assert Comment.objects.count() == 1
    assert not list((tmp_path / "new").iterdir())
    assert [p.name for p in (tmp_path / "quarantine").iterdir()] == ["1.crash"]
    assert "1.crash: quarantined" in out.getvalue()


def test_the_endpoint_answers_400_to_a_form_without_the_message(client, db, secret):
    response = client.post(
        reverse("ideas-inbound-email"), {"other": "x"}, HTTP_X_INBOUND_SECRET=secret
    )

    assert response.status_code == 400 and not InboundMessage.objects.exists()


def test_the_endpoint_takes_the_message_as_a_file_part(client, idea, spain_focal_point, secret):
    upload = io.BytesIO(reply(reply_address(spain_focal_point, idea), "nfp@spain.example"))
    upload.name = "message.eml"

    response = client.post(
        reverse("ideas-inbound-email"), {"email": upload}, HTTP_X_INBOUND_SECRET=secret
    )

    assert (response.status_code, response.content) == (200, b"posted")
    assert Comment.objects.count() == 1


def test_a_reply_longer_than_a_comment_may_be_is_refused_with_a_bounce_saying_so(
    idea, spain_focal_point
):
    address = reply_address(spain_focal_point, idea)
    text = "x" * (Comment.TEXT_MAX_LENGTH + 1)

    result = handle_message(reply(address, "nfp@spain.example", text=text))

    refused(result, "too_long", "nfp@spain.example")
    assert "10000 characters" in mail.outbox[0].body


def test_a_reply_as_long_as_a_comment_may_be_is_posted(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    text = "x" * Comment.TEXT_MAX_LENGTH

    assert handle_message(reply(address, "nfp@spain.example", text=text)).outcome == "posted"


def test_no_way_round_the_form_posts_a_comment_longer_than_the_limit(idea, spain_focal_point):
    with pytest.raises(services.ActionRefused):
        services.add_comment(idea, spain_focal_point, "x" * (Comment.TEXT_MAX_LENGTH + 1))
