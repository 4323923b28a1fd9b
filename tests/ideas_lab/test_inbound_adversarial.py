"""The reply handler against anyone who can send mail to the reply domain: Hypothesis draws raw
bytes, hostile header values (To, From, Message-ID, In-Reply-To, Subject with NUL, control
characters, non-ASCII, undecodable bytes, overlong values) and MIME structures (nested
multiparts, unknown charsets, broken base64 and quoted-printable), alone and around a genuine
reply. Whatever comes in, the handler answers without an error, records the message once, posts
at most the genuine reply's comment, and bounces only to the address the token was issued to.

It runs on the database the run is given (CI gives PostgreSQL, whose text columns refuse NUL
and whose indexes limit an entry's size; SQLite accepts what PostgreSQL refuses). The examples
are derandomised and their database is off, so every run draws the same ones.
"""

import io
import os

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideas_lab import inbound
from ideas_lab.models import Comment, InboundMessage
from ideas_lab.replies import notification_message_id, reply_address, token_from_address
from tests.ideas_lab.factories import IdeaFactory

pytestmark = pytest.mark.django_db

ADVERSARIAL = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

HOSTILE_TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=40),  # NUL and controls
    st.integers(min_value=900, max_value=4000).map(lambda n: "\u4e2d\u00e9x" * (n // 3)),
    st.sampled_from(
        [
            "",
            "\x00",
            "a:b:c:;;;<<@>>,,,",
            "=?utf-8?q?=00?=",
            "=?utf-8?b?AA==?=",
            "=?x-unknown?q?abc?=",
            "=?utf-8?b?!!!?=",
            "<>",
            "<<<<<<<<@>>>>>>>>",
            "undisclosed-recipients:;",
            '"\\"@"@"',
            "(((((((((((((((((((((((((((((comment",
            "\ud800",
            "ideas+@reply.localhost",
            "ideas+not.a.token@reply.localhost",
            "<ideas.0123456789abcdef.0123456789abcdef0123456789abcdef@reply.localhost>",
        ]
    ),
)
# A header value as bytes: hostile text in UTF-8 (lone surrogates kept as they come), or any
# bytes at all but line breaks, which would end the header.
HEADER_VALUE = st.one_of(
    HOSTILE_TEXT.map(lambda value: value.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200).map(lambda value: value.replace(b"\r", b"").replace(b"\n", b"")),
)
HEADER_NAMES = ["To", "From", "Message-ID", "In-Reply-To", "References", "Subject", "Cc"]

CHARSETS = ["utf-8", "iso-8859-1", "x-unknown", "utf-7", "", "utf-8\x00", "cp65001", "ascii"]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"]
SUBTYPES = ["plain", "html", "calendar", "rfc822"]
BODIES = st.one_of(
    st.binary(max_size=300),
    HOSTILE_TEXT.map(lambda value: value.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"!!!not base64!!!", b"YQ", b"=ZZ=0", b"=\r\n=", b"<p>a<blockquote>"]),
)


@st.composite
def leaf_part(draw):
    subtype = draw(st.sampled_from(SUBTYPES))
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from(ENCODINGS))
    headers = (
        f'Content-Type: text/{subtype}; charset="{charset}"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n"
    ).encode("utf-8", "surrogatepass")
    return headers + b"\r\n" + draw(BODIES)


def handle_message(raw):
    """The handler, with its after-commit work (the bounce's sending) run as a commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return inbound.handle_message(raw)


def multipart(children):
    @st.composite
    def build(draw):
        boundary = draw(st.sampled_from(["b1", "b2", "", "a b", "--"]))
        parts = draw(st.lists(children, max_size=4))
        subtype = draw(st.sampled_from(["mixed", "alternative", "related", "digest"]))
        closed = draw(st.booleans())
        head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode()
        body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
        return head + body + (b"--" + boundary.encode() + b"--\r\n" if closed else b"")

    return build()


MIME_PART = st.recursive(leaf_part(), multipart, max_leaves=8)


@st.composite
def hostile_message(draw, reply_to=None):
    """A raw message with hostile headers and body; written to ``reply_to`` (a genuine reply
    address) when given, with every other header still drawn."""
    # Every header the handler reads, each with a drawn value, then some again, in any order.
    names = draw(st.permutations(HEADER_NAMES)) + draw(
        st.lists(st.sampled_from(HEADER_NAMES), max_size=4)
    )
    headers = [name.encode() + b": " + draw(HEADER_VALUE) for name in names]
    if reply_to is not None:
        headers.insert(draw(st.integers(0, len(headers))), b"To: " + reply_to.encode())
    body = draw(st.one_of(MIME_PART, BODIES.map(lambda value: b"\r\n" + value)))
    return b"\r\n".join(headers) + b"\r\n" + body


@pytest.fixture
def idea(senegal, senegal_focal_point):
    return IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)


def counts():
    return Comment.objects.count(), InboundMessage.objects.count()


def check_handled(raw, *, may_post=False, bounce_to=()):
    """``raw`` is handled without an error and recorded once, posts at most one comment (none
    unless ``may_post``), bounces only to ``bounce_to``; a second delivery changes nothing."""
    comments, records = counts()
    mail.outbox = []

    result = handle_message(raw)

    assert result.outcome in {"posted", "refused", "duplicate"}
    new_comments, new_records = counts()
    assert new_comments - comments == (1 if result.outcome == "posted" else 0)
    assert may_post or result.outcome != "posted"
    assert new_records - records == (0 if result.outcome == "duplicate" else 1)
    assert all(message.to[0] in bounce_to for message in mail.outbox)
    assert len(mail.outbox) <= 1
    assert handle_message(raw).outcome == "duplicate"
    assert counts() == (new_comments, new_records)


def test_any_bytes_are_handled(db):
    @ADVERSARIAL
    @given(st.binary(max_size=4000))
    def handle(raw):
        check_handled(raw)

    handle()


def test_hostile_headers_and_mime_structures_are_handled(db):
    @ADVERSARIAL
    @given(hostile_message())
    def handle(raw):
        check_handled(raw)

    handle()


def test_a_genuine_reply_among_hostile_headers_posts_at_most_once(idea, spain_focal_point):
    address = reply_address(spain_focal_point, idea)
    notification = notification_message_id(token_from_address(address)).encode()
    genuine = [b"From: nfp@spain.example", b"In-Reply-To: " + notification]

    @ADVERSARIAL
    @given(hostile_message(reply_to=address), st.lists(st.sampled_from(genuine), unique=True))
    def handle(raw, kept):
        # The genuine headers first: a second From or In-Reply-To drawn later must not win.
        check_handled(
            b"\r\n".join([*kept, raw]), may_post=True, bounce_to={spain_focal_point.email}
        )

    handle()


def test_the_webhook_answers_any_form_or_body_without_an_error(client, db, settings):
    settings.INBOUND_EMAIL_SECRET = "webhook secret"
    url = reverse("ideas-inbound-email")

    @ADVERSARIAL
    @given(
        st.one_of(st.binary(max_size=2000), hostile_message()),
        st.sampled_from(["body", "field", "file", "other field", "no field"]),
        st.sampled_from(["message/rfc822", "text/plain", "application/octet-stream", ""]),
    )
    def post(raw, how, content_type):
        headers = {"HTTP_X_INBOUND_SECRET": "webhook secret"}
        if how == "body":
            response = client.post(url, raw, content_type=content_type, **headers)
        elif how == "file":
            upload = io.BytesIO(raw)
            upload.name = "message.eml"
            response = client.post(url, {"email": upload}, **headers)
        else:
            fields = {
                "field": {"email": raw.decode("utf-8", "replace").replace("\x00", "")},
                "other field": {"to": "x"},
                "no field": {},
            }[how]
            response = client.post(url, fields, **headers)
        assert response.status_code in {200, 400}, response.content

    post()


def test_ci_runs_these_on_postgresql():
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("outside CI the run's own database is used")
    assert django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
