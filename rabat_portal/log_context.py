"""What the log says about the request behind a line, and what it never says.

Every request gets an id (``RequestIdMiddleware``), sent back as ``X-Request-ID`` and shown on
the error page, so that a person's report of an error leads to its lines in the log. Each line
logged while a request is handled says which: its id, the method, the URL pattern that matched
(not the path, which can carry tokens and names), and the account's number. Nothing else about
the person: no e-mail address (blanked anywhere in the line, tracebacks included, since a
database error quotes the value it refused), no IP address, no query string. Control characters
a request brings (a line break in a path) are escaped, so that no request writes a line of its
own or moves the reader's terminal.
"""

import copy
import logging
import re
import uuid
from contextvars import ContextVar

_current_request = ContextVar("current_request", default=None)

EMAIL_ADDRESS = re.compile(r"[^\s@<>\"'(),;:\[\]]+@[^\s@<>\"'(),;:\[\]]+\.[A-Za-z]{2,}")
UNRESOLVED_PATH_LENGTH = 120
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class RequestIdMiddleware:
    """Give each request an id (``request.id``), answer it in ``X-Request-ID``, and make the
    request known to the log lines written while it is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.id
        return response


def describe(request):
    """``"<id> <method> <URL pattern> user <number>"`` for ``request``; never raises, even
    when the database that would tell who is signed in is what failed."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        where = match.route
    else:  # not resolved (a 404): the path, cut short, is all there is
        where = request.path[:UNRESOLVED_PATH_LENGTH]
    try:
        user = getattr(request, "user", None)
        who = user.pk if user is not None and user.is_authenticated else "anonymous"
    except Exception:
        who = "unknown"
    return f"{getattr(request, 'id', '-')} {request.method} {where} user {who}"


class RequestContextFilter(logging.Filter):
    """Sets ``record.request_context`` on every record: the request it was logged for (the
    record's own, as Django's request loggers attach, or the one being handled), or "-"."""

    def filter(self, record):
        request = getattr(record, "request", None) or _current_request.get()
        record.request_context = describe(request) if _is_request(request) else "-"
        return True


def _is_request(candidate):
    # Django's "django.server" records carry a socket request, not an HttpRequest.
    return candidate is not None and hasattr(candidate, "method") and hasattr(candidate, "path")


def escape_control_characters(text):
    """``text`` with each control character written as its escape (``\\n``, ``\\x1b``)."""
    return CONTROL_CHARACTERS.sub(
        lambda match: match.group().encode("unicode_escape").decode("ascii"), text
    )


class PersonalDataFormatter(logging.Formatter):
    """A formatter that blanks e-mail addresses in the whole line, traceback included, and
    escapes control characters in the message and its request context: the parts a request
    can put text into (a path, a parameter). A traceback keeps its own lines."""

    def format(self, record):
        return EMAIL_ADDRESS.sub("[e-mail]", super().format(record))

    def formatMessage(self, record):
        # A copy: the record is shared with every other handler.
        record = copy.copy(record)
        record.message = escape_control_characters(record.message)
        if isinstance(getattr(record, "request_context", None), str):
            record.request_context = escape_control_characters(record.request_context)
        return super().formatMessage(record)
