"""Replies by e-mail: a raw RFC 5322 message in, at most one comment out.

The handler trusts nothing in the message but the signed token of the address it was sent to:
the token names the person and the idea, the sender must be that person, the idea must still
take comments from them, and only the new text is kept (quoted history, attribution lines,
Outlook header blocks and signatures are cut). Every message is recorded by its Message-ID, so a
message delivered twice posts once. A refusal posts nothing and answers the sender with one
bounce e-mail saying why (never for automatic messages, so two robots cannot loop).
"""

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
from django.utils.translation import gettext_lazy as _

from focalpoints.emails import send_email
from ideas_lab import permissions, services
from ideas_lab.models import Comment, Idea, InboundMessage
from ideas_lab.notifications import idea_url
from ideas_lab.replies import BadToken, read_token, token_from_address
from ideas_lab.sanitise import plain_text

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
    "idea_closed": _("This idea no longer takes comments: it is closed or hidden."),
    "not_allowed": _("Your account may no longer comment on this idea."),
    "empty": _("No new text was found in your reply, above the quoted message."),
}


@dataclass
class InboundResult:
    """What became of a message: ``posted`` (with its comment), ``refused`` (with a reason
    code of ``REASONS``, or "automatic"), or ``duplicate`` (seen before, nothing done)."""

    outcome: str
    reason: str = ""
    comment: Comment | None = None


def handle_message(raw):
    """Process one raw message (bytes); see the module's docstring. Returns an ``InboundResult``."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        sender = _sender(message)
        message_id = _message_id(message, raw)
    except Exception:  # a malformed message must not stop the mailbox being processed
        logger.warning("Unreadable inbound message", exc_info=True)
        return InboundResult("refused", "unreadable")
    if InboundMessage.objects.filter(message_id=message_id).exists():
        return InboundResult("duplicate")
    if _is_automatic(message):
        _record(message_id, sender, "automatic")
        return InboundResult("refused", "automatic")

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
        else:
            user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            idea = Idea.objects.select_related("partner").filter(pk=idea_id).first()
            if user is None or idea is None:
                reason = "invalid"
            elif sender.lower() != user.email.lower():
                reason = "sender"
            elif not idea.accepts_contributions:
                reason = "idea_closed"
            elif not permissions.can_comment(user, idea):
                reason = "not_allowed"
    text = "" if reason else extract_reply(message)
    if not reason and not text:
        reason = "empty"
    if reason:
        if _record(message_id, sender, reason):
            _bounce(sender, reason, user if reason != "sender" else None, idea)
        return InboundResult("refused", reason)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                message_id=message_id, sender=sender, outcome=InboundMessage.Outcome.POSTED
            )
            comment = services.add_comment(idea, user, text, source=Comment.Source.EMAIL)
            record.comment = comment
            record.save(update_fields=["comment"])
    except IntegrityError:
        return InboundResult("duplicate")  # the same message, delivered twice at once
    except services.ActionRefused:
        if _record(message_id, sender, "not_allowed"):
            _bounce(sender, "not_allowed", user, idea)
        return InboundResult("refused", "not_allowed")
    return InboundResult("posted", comment=comment)


def _record(message_id, sender, reason):
    """Record a refusal; False when another process recorded this message first."""
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                message_id=message_id,
                sender=sender[:320],
                outcome=InboundMessage.Outcome.REFUSED,
                reason=reason,
            )
    except IntegrityError:
        return False
    return True


def _sender(message):
    addresses = getaddresses([str(value) for value in message.get_all("From", [])])
    return next((address for _name, address in addresses if "@" in address), "")


def _message_id(message, raw):
    value = str(message.get("Message-ID", "")).strip()
    # Without a Message-ID, the message's own bytes identify it.
    return value[:998] or f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound>"


def _is_automatic(message):
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return auto != "no" or precedence in {"bulk", "junk", "auto_reply", "list"}


def _find_token(message):
    for header in ADDRESS_HEADERS:
        values = [str(value) for value in message.get_all(header, [])]
        for _name, address in getaddresses(values):
            token = token_from_address(address)
            if token:
                return token
    return None


def _bounce(sender, reason, user, idea):
    if not sender or "@" not in sender:
        return
    if user is None:
        user = get_user_model().objects.filter(email__iexact=sender).first()
    language = user.language if user else "en"
    may_see = user is not None and idea is not None and permissions.can_see_idea(user, idea)
    send_email(
        "idea-reply-refused",
        {
            "reason": REASONS[reason],
            "idea": idea if may_see else None,
            "idea_url": idea_url(idea, language) if may_see else "",
        },
        language,
        to=[sender],
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
    return plain_text(strip_quoted(text))


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
