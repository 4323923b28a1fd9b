"""Reply-by-e-mail addresses: one per recipient and idea, carrying a signed token.

``ideas+<token>@<REPLY_DOMAIN>``: the token names the person and the idea and is signed with
the portal's secret key, so nobody can forge another person's address, and it expires.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "ideas_lab.reply-address"
LOCAL_PREFIX = "ideas+"


class BadToken(Exception):
    """The token is malformed, forged or expired; ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _signer():
    # HMAC-SHA1 keeps the token short enough for an address's 64-character local part; HMAC
    # does not inherit SHA-1's collision weakness. "." separates, since ":" is not allowed.
    return signing.TimestampSigner(salt=SALT, sep=".", algorithm="sha1")


def make_token(user_id, idea_id):
    return _signer().sign(f"{user_id}x{idea_id}")


def reply_address(user, idea):
    """The address whose replies become ``user``'s comments on ``idea``."""
    return f"{LOCAL_PREFIX}{make_token(user.pk, idea.pk)}@{settings.REPLY_DOMAIN}"


def read_token(token):
    """``(user_id, idea_id)`` from a token; raises ``BadToken`` ("expired" or "invalid")."""
    max_age = timedelta(days=settings.REPLY_TOKEN_MAX_AGE_DAYS)
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken("expired") from error
    except signing.BadSignature as error:
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
