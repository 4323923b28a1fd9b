"""Replies by e-mail: a raw RFC 5322 message in, at most one comment out.

The handler trusts nothing in the message but the signed token of the address it was sent to:
the token names the person and the idea, the sender must be that person, the idea must still
take comments from them, and only the new text is kept (quoted history, attribution lines,
Outlook header blocks and signatures are cut). Every message is recorded by its Message-ID, so a
message delivered twice posts once. A refusal posts nothing and is answered with one bounce
e-mail saying why, sent only to the address the token was issued to: never to the message's
sender, whom nothing proves (without a genuine token, nobody is answered), and never for
automatic messages, so two robots cannot loop. A reply must also answer the notification
itself (In-Reply-To or References naming one of its Message-IDs, see ``ideas_lab.replies``),
so a reply address alone posts nothing.
"""

import contextlib
import hashlib
import logging
import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ideas_lab import permissions, services
from ideas_lab.models import Comment, Idea, InboundMessage
from ideas_lab.notifications import idea_url
from ideas_lab.replies import BadToken, answers_notification, read_token, token_from_address
from portal_lib.notifications import notify
from portal_lib.richtext import plain_text

logger = logging.getLogger(__name__)

ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")

REASONS = {
    "unreadable": _("Your message could not be read as an e-mail."),
    "no_token": _("The address you wrote to is not a reply address of the laboratory of ideas."),
    "invalid": _("The reply address is not valid. Reply to a notification you received."),
    "expired": _(
        "The reply address has expired. Reply to a more recent notification, or comment on "
        "the idea's page."
    ),
    "sender": _(
        "Your reply came from another address than the one the notification was sent to. "
        "Reply from that address."
    ),
    "thread": _(
        "Your reply does not answer the notification whose reply address it was sent to. "
        "Use your mail program's Reply on that notification, or comment on the idea's page."
    ),
    "idea_closed": _("This idea no longer takes comments: it is closed or hidden."),
    "not_allowed": _("Your account may no longer comment on this idea."),
    "empty": _("No new text was found in your reply, above the quoted message."),
    "too_long": format_lazy(
        _(
            "Your reply is longer than a comment may be ({limit} characters). Shorten it and "
            "send it again, or comment on the idea's page."
        ),
        limit=Comment.TEXT_MAX_LENGTH,
    ),
}


@dataclass
class InboundResult:
    """What became of a message: ``posted`` (with its comment), ``refused`` (with a reason
    code of ``REASONS``, or "automatic"), or ``duplicate`` (seen before, nothing done)."""

    outcome: str
    reason: str = ""
    comment: Comment | None = None


def handle_message(raw):
    """Process one raw message (bytes); see the module's docstring. Returns an ``InboundResult``.

    Nothing a message holds makes this fail: a message that cannot be handled is recorded as
    refused ("unreadable") with the start of its text, so that a mailbox or a webhook keeps
    going. Only the database being out of reach raises."""
    message, message_id, sender = _read(raw)
    try:
        with transaction.atomic():
            result, bounce = _process(message, raw, message_id, sender)
    except Exception:  # whatever the message held, it is recorded and the next one comes
        logger.warning("Inbound message could not be handled", exc_info=True)
        result, bounce = _refuse(message_id, sender, "unreadable", raw), None
    if bounce is not None:
        try:
            _bounce(*bounce)
        except Exception:  # the refusal is recorded; a lost bounce must not undo that
            logger.warning("The bounce of an inbound message was not sent", exc_info=True)
    return result


def _read(raw):
    """``(message, message_id, sender)``; ``message`` is None when the bytes are no e-mail."""
    fallback = f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound>"
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        return message, _message_id(message) or fallback, _sender(message)
    except Exception:  # hostile bytes: keep them identifiable by their hash
        logger.warning("Unreadable inbound message", exc_info=True)
        return None, fallback, ""


def _process(message, raw, message_id, sender):
    """``(result, bounce)`` for a readable message; ``bounce`` is the arguments of ``_bounce``,
    or None. Runs in a transaction: any failure leaves nothing behind."""
    if message is None:
        return _refuse(message_id, sender, "unreadable", raw), None
    if InboundMessage.objects.filter(digest=digest(message_id)).exists():
        return InboundResult("duplicate"), None
    if _is_automatic(message):
        return _refuse(message_id, sender, "automatic", raw), None

    # The person the token was issued to: the only one a bounce may go to, since the From
    # header proves nothing (a bounce to it would let anyone make the portal mail anyone).
    user = idea = None
    reason = None
    token = _find_token(message)
    if token is None:
        reason = "no_token"
    else:
        try:
            user_id, idea_id = read_token(token)
        except BadToken as error:
            reason = error.reason
            user = _active_user(error.user_id)
        else:
            user = _active_user(user_id)
            idea = Idea.objects.select_related("partner").filter(pk=idea_id).first()
            if user is None or idea is None:
                reason = "invalid"
            elif sender.lower() != user.email.lower():
                reason = "sender"
            elif not answers_notification(token, _references(message)):
                reason = "thread"
            elif not idea.accepts_contributions:
                reason = "idea_closed"
            elif not permissions.can_comment(user, idea):
                reason = "not_allowed"
    text = "" if reason else extract_reply(message)
    if not reason and not text:
        reason = "empty"
    elif len(text) > Comment.TEXT_MAX_LENGTH:
        reason = "too_long"
    if reason:
        return _refuse_and_bounce(message_id, sender, reason, raw, user, idea)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                message_id=_one_line(message_id, 998),
                digest=digest(message_id),
                sender=_one_line(sender, 320),
                outcome=InboundMessage.Outcome.POSTED,
            )
            comment = services.add_comment(idea, user, text, source=Comment.Source.EMAIL)
            record.comment = comment
            record.save(update_fields=["comment"])
    except IntegrityError:
        return InboundResult("duplicate"), None  # the same message, delivered twice at once
    except services.ActionRefused:
        return _refuse_and_bounce(message_id, sender, "not_allowed", raw, user, idea)
    return InboundResult("posted", comment=comment), None


def _active_user(pk):
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def _references(message):
    """The Message-IDs the message answers, as text (In-Reply-To, then References)."""
    return " ".join(_header_values(message, "In-Reply-To") + _header_values(message, "References"))


def _refuse_and_bounce(message_id, sender, reason, raw, user, idea):
    """Record the refusal; the bounce goes to ``user``, to whom the token was issued, when
    there is one and this process recorded the message first."""
    result = _refuse(message_id, sender, reason, raw)
    if result.outcome == "duplicate" or user is None:
        return result, None
    return result, (user, reason, idea)


def digest(message_id):
    """What identifies a message among those received: a hash of its whole Message-ID."""
    return hashlib.sha256(message_id.encode("utf-8", "surrogatepass")).hexdigest()


def _refuse(message_id, sender, reason, raw):
    """Record a refusal with the start of the message; "duplicate" when another process
    recorded this message first."""
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                message_id=_one_line(message_id, 998),
                digest=digest(message_id),
                sender=_one_line(sender, 320),
                outcome=InboundMessage.Outcome.REFUSED,
                reason=reason,
                excerpt=excerpt(raw),
            )
    except IntegrityError:
        return InboundResult("duplicate")
    return InboundResult("refused", reason)


# NUL, other control characters and lone surrogates (from bytes that are no UTF-8): no database
# column takes NUL, and PostgreSQL's driver cannot encode a surrogate.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _one_line(value, limit):
    """``value`` as one line of storable text, at most ``limit`` characters."""
    return " ".join(UNSTORABLE.sub("", value).split())[:limit]


def excerpt(raw):
    """The start of a raw message as storable text, at most ``EXCERPT_LENGTH`` characters."""
    limit = InboundMessage.EXCERPT_LENGTH
    text = raw[: limit * 4].decode("utf-8", errors="replace")
    return UNSTORABLE.sub("", text)[:limit]


# Longer header values are read as they are, without parsing: no reply needs one, and the
# parser's time grows with them.
HEADER_PARSE_LIMIT = 8000


def _header_values(message, name):
    """The values of header ``name``: decoded where they can be, as written where they cannot
    (a syntax the parser chokes on must not stop the message being handled)."""
    values = []
    for key, value in message.raw_items():
        if key.lower() != name.lower():
            continue
        value = str(value)
        if len(value) <= HEADER_PARSE_LIMIT:
            # Hostile syntax raises anything from the parser: the value is then kept as written.
            with contextlib.suppress(Exception):
                value = str(message.policy.header_fetch_parse(key, value))
        values.append(value)
    return values


def _addresses(message, names):
    """Every address in the headers ``names``, in order."""
    for name in names:
        for value in _header_values(message, name):
            try:
                pairs = getaddresses([value])
            except Exception:  # hostile syntax: no address can be read from this value
                continue
            for _name, address in pairs:
                if address:
                    yield address


def _sender(message):
    return next((address for address in _addresses(message, ["From"]) if "@" in address), "")


def _message_id(message):
    values = _header_values(message, "Message-ID")
    return values[0].strip() if values else ""


def _is_automatic(message):
    auto = " ".join(_header_values(message, "Auto-Submitted")).strip().lower() or "no"
    precedence = " ".join(_header_values(message, "Precedence")).strip().lower()
    return auto != "no" or precedence in {"bulk", "junk", "auto_reply", "list"}


def _find_token(message):
    for address in _addresses(message, ADDRESS_HEADERS):
        token = token_from_address(address)
        if token:
            return token
    return None


def _bounce(user, reason, idea):
    """Tell ``user`` why a reply was not posted, at their account's address."""
    may_see = idea is not None and permissions.can_see_idea(user, idea)
    notify(
        "ideas.reply_refused",
        "idea-reply-refused",
        [user],
        {
            "reason": REASONS[reason],
            "idea": idea if may_see else None,
            "idea_url": idea_url(idea, user.language) if may_see else "",
        },
        headers={"Auto-Submitted": "auto-replied"},
    )


# --- The new text of a reply ---------------------------------------------------------------

ATTRIBUTION = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,300}\ba\s+écrit\s*:\s*$", re.IGNORECASE),
]
ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(Original Message|Message d'origine|Forwarded message|Message transféré)\s*-{2,}",
    re.IGNORECASE,
)
HEADER_FROM = re.compile(r"^\s*\*?(From|De)\s*:\*?\s*\S", re.IGNORECASE)
HEADER_NEXT = re.compile(r"^\s*\*?(Sent|Date|Envoyé|To|À|Subject|Objet)\s*:", re.IGNORECASE)
OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")


def extract_reply(message):
    """The new text of a reply: text/plain preferred, HTML-only converted to text, then cut
    where the quoted history or the signature begins. Empty when nothing new is left."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        text = _content(part)
    else:
        part = message.get_body(preferencelist=("html",))
        text = html_to_text(_content(part)) if part is not None else ""
    return plain_text(UNSTORABLE.sub("", strip_quoted(text)))


def _content(part):
    try:
        return part.get_content()
    except (LookupError, UnicodeError, KeyError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def strip_quoted(text):
    """Cut ``text`` at the first attribution line ("On … wrote:", "Le … a écrit :"), Outlook
    header block or separator, or signature ("-- "); drop the lines quoted with ">"."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.rstrip() == "--" or line == "-- ":
            break
        if ORIGINAL_MESSAGE.match(line) or OUTLOOK_RULE.match(line):
            break
        if any(p.match(line) for p in ATTRIBUTION):
            break
        # Mail clients wrap a long attribution line in two.
        if any(p.match(f"{line} {following}") for p in ATTRIBUTION) and not following.startswith(
            ">"
        ):
            break
        if HEADER_FROM.match(line) and any(
            HEADER_NEXT.match(candidate) for candidate in lines[index + 1 : index + 4]
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    text = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements become line breaks; script, style and the quoted
    history of common mail clients are left out (nothing is ever rendered or run)."""

    SKIPPED = {"script", "style", "head", "title", "template", "blockquote"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
    QUOTE_MARKERS = (
        "gmail_quote",
        "divrplyfwdmsg",
        "appendonsend",
        "moz-cite-prefix",
        "yahoo_quoted",
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip_depth = 0
        self.stopped = False

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        marks = " ".join((value or "") for name, value in attrs if name in ("class", "id")).lower()
        if any(marker in marks for marker in self.QUOTE_MARKERS):
            self.stopped = True  # everything from here on is the quoted history
            return
        if tag in self.SKIPPED:
            self.skip_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if tag in self.SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.stopped and not self.skip_depth:
            self.parts.append(data)


def html_to_text(value):
    parser = _TextExtractor()
    parser.feed(value or "")
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
