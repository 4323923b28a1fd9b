"""What the portal writes to the log about attempts on it: failed logins and refused requests.

The log carries no personal data: no e-mail address, no IP address. A failed login names the
account only by a keyed hash, enough to see many attempts on one account without saying whose."""

import hashlib
import hmac
import logging

from django.conf import settings

logger = logging.getLogger("rabat_portal.security")


def pseudonym(value):
    """A short keyed hash of ``value``: equal for equal values, meaningless without the key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, str(value).strip().lower().encode(), hashlib.sha256).hexdigest()[:12]


def log_failed_login(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    logger.warning(
        "Failed login: account %s, path %s",
        pseudonym(login) if login else "unknown",
        request.path if request is not None else "-",
    )


def log_refusal(request, status):
    user = getattr(request, "user", None)
    logger.warning(
        "Refused (%s): %s %s, user %s",
        status,
        request.method,
        request.path,
        user.pk if user is not None and user.is_authenticated else "anonymous",
    )
