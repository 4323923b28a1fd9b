"""Reply-by-e-mail addresses: one per recipient and idea, carrying a signed token.

``ideas+<token>@<REPLY_DOMAIN>``: the token names the person and the idea and is signed with
the portal's secret key, so nobody can forge another person's address, and it expires.

A reply address alone is not enough: the notification that carries it gets Message-IDs bound
to its token (``notification_message_id``), and a reply must name one of them in In-Reply-To or
References, as mail clients do. An address copied out of a forwarded or archived message then
posts nothing from a message that does not answer the notification itself.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "ideas_lab.reply-address"
LOCAL_PREFIX = "ideas+"


class BadToken(Exception):
    """The token is malformed, forged or expired; ``reason`` says which. An expired token was
    still ours: ``user_id`` names the person it was issued to (None otherwise)."""

    def __init__(self, reason, user_id=None):
        super().__init__(reason)
        self.reason = reason
        self.user_id = user_id


def _signer():
    # HMAC-SHA1 keeps the token short enough for an address's 64-character local part; HMAC
    # does not inherit SHA-1's collision weakness. "." separates, since ":" is not allowed.
    return signing.TimestampSigner(salt=SALT, sep=".", algorithm="sha1")


def make_token(user_id, idea_id):
    return _signer().sign(f"{user_id}x{idea_id}")


def address_for(token):
    """The reply address carrying ``token``."""
    return f"{LOCAL_PREFIX}{token}@{settings.REPLY_DOMAIN}"


def reply_address(user, idea):
    """The address whose replies become ``user``'s comments on ``idea``."""
    return address_for(make_token(user.pk, idea.pk))


def read_token(token):
    """``(user_id, idea_id)`` from a token; raises ``BadToken`` ("expired" or "invalid")."""
    max_age = timedelta(days=settings.REPLY_TOKEN_MAX_AGE_DAYS)
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        # The signature is good, only old: say whose it was, so they alone hear of it.
        user_id, _x, _idea_id = _signer().unsign(token).partition("x")
        raise BadToken("expired", int(user_id) if user_id.isdigit() else None) from error
    except (signing.BadSignature, ValueError) as error:
        raise BadToken("invalid") from error
    user_id, _x, idea_id = value.partition("x")
    if not user_id.isdigit() or not idea_id.isdigit():
        raise BadToken("invalid")
    return int(user_id), int(idea_id)


def token_from_address(address):
    """The token in a reply address of ours, or None for any other address."""
    local, _at, domain = address.strip().rpartition("@")
    if domain.lower() != settings.REPLY_DOMAIN.lower():
        return None
    if not local.lower().startswith(LOCAL_PREFIX):
        return None
    return local[len(LOCAL_PREFIX) :] or None


def thread_id(idea):
    """A Message-ID shared by an idea's notifications, so mail clients thread them."""
    return f"<idea-{idea.pk}@{settings.REPLY_DOMAIN}>"


THREAD_SALT = "ideas_lab.reply-thread"
BOUND_MESSAGE_ID = re.compile(r"<ideas\.([0-9a-f]{16})\.([0-9a-f]{32})@([^<>\s]+)>")


def _thread_mac(nonce, token):
    return salted_hmac(THREAD_SALT, f"{nonce}.{token}", algorithm="sha256").hexdigest()[:32]


def notification_message_id(token):
    """A new Message-ID, unique, that only the portal can make and that names ``token``: the
    notification whose Reply-To carries ``token`` is sent with such identifiers."""
    nonce = secrets.token_hex(8)
    return f"<ideas.{nonce}.{_thread_mac(nonce, token)}@{settings.REPLY_DOMAIN}>"


def answers_notification(token, references):
    """Whether the text ``references`` (a reply's In-Reply-To and References) names a
    Message-ID made by ``notification_message_id(token)``."""
    for nonce, mac, domain in BOUND_MESSAGE_ID.findall(references):
        if domain.lower() == settings.REPLY_DOMAIN.lower() and constant_time_compare(
            mac, _thread_mac(nonce, token)
        ):
            return True
    return False
