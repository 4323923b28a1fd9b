"""E-mail digests: each member's summary of what changed since their last digest.

A digest is made of sections. Each section is one function registered with ``@section(name)``
that receives a batch of ``Recipient`` (user, membership, since, until) and returns, per
recipient's user id, the items to show, with one query (or a small constant) for the whole
batch. Its templates are ``emails/digest/sections/<name>.txt`` and ``.html``. Adding a section
(the laboratory of ideas, labelling decisions) is one function and one template pair.

A run (``run_digests``) claims one ``DigestDelivery`` row per recipient and period before
sending: the insert fails for a row that exists, and stale or failed rows are taken back with a
conditional UPDATE, so re-runs, concurrent runs and killed workers never send a digest twice.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from digests.models import DigestDelivery
from ideas_lab.models import Comment, Follow, Idea, Interest
from labelling.models import LabellingEvent, State
from meetings.models import Document, Meeting, MeetingResult
from portal_lib.emails import render_email, send_over_one_connection

User = get_user_model()
PERIODS = {"weekly": datetime.timedelta(days=7), "daily": datetime.timedelta(days=1)}
# The salt of the links already sent: it names where this module was when they were signed.
UNSUBSCRIBE_SALT = "rabat_portal.digests.unsubscribe"
DECISIONS = [State.APPROVED, State.REJECTED, State.CHANGES_REQUESTED]


@dataclass
class Recipient:
    """Someone a digest is built for, and the window of changes it covers: (since, until]."""

    user: object
    since: datetime.datetime
    until: datetime.datetime
    delivery_id: int | None = None
    period: str = ""

    @property
    def partner(self):
        return self.user.membership.partner


@dataclass
class Item:
    """One line of a section. ``is_news`` False marks a reminder (a meeting already announced):
    it is shown in a digest that has news, but never makes a digest worth sending by itself."""

    obj: object
    is_news: bool = True
    extra: dict = field(default_factory=dict)


@dataclass
class Section:
    name: str
    title: object
    function: object

    @property
    def text_template(self):
        return f"emails/digest/sections/{self.name}.txt"

    @property
    def html_template(self):
        return f"emails/digest/sections/{self.name}.html"


SECTIONS = {}


def section(name, title):
    """Register a section function ``f(recipients) -> {user_id: [Item, …]}``; sections appear
    in the digest in the order they are registered."""

    def register(function):
        SECTIONS[name] = Section(name, title, function)
        return function

    return register


def _window(recipients):
    return min(r.since for r in recipients), max(r.until for r in recipients)


@section("ideas", _("Laboratory of ideas"))
def ideas_section(recipients):
    """Ideas published since the last digest, and the comments and interest others added to
    the ideas the recipient follows, grouped by idea."""
    since, until = _window(recipients)
    user_ids = [r.user.pk for r in recipients]
    published = list(
        Idea.objects.published()
        .filter(is_hidden=False, published_at__gt=since, published_at__lte=until)
        .select_related("partner")
        .order_by("-published_at")
    )
    followed = {}
    for user_id, idea_id in Follow.objects.filter(
        user_id__in=user_ids, is_active=True, idea__is_hidden=False, idea__is_draft=False
    ).values_list("user_id", "idea_id"):
        followed.setdefault(user_id, set()).add(idea_id)
    followed_ideas = set().union(*followed.values()) if followed else set()
    comments = list(
        Comment.objects.filter(
            idea_id__in=followed_ideas, is_hidden=False, created_at__gt=since, created_at__lte=until
        )
        .select_related("idea", "author")
        .order_by("created_at")
    )
    interests = list(
        Interest.objects.filter(
            idea_id__in=followed_ideas, created_at__gt=since, created_at__lte=until
        )
        .select_related("idea", "partner")
        .order_by("created_at")
    )
    by_user = {}
    for recipient in recipients:
        user = recipient.user
        ideas = {}

        def entry(idea, ideas=ideas):
            return ideas.setdefault(idea.pk, Item(idea, extra={"comments": [], "interests": []}))

        for idea in published:
            if recipient.since < idea.published_at <= recipient.until and (
                idea.submitted_by_id != user.pk
            ):
                entry(idea).extra["new"] = True
        mine = followed.get(user.pk, set())
        for comment in comments:
            if (
                comment.idea_id in mine
                and comment.author_id != user.pk
                and recipient.since < comment.created_at <= recipient.until
            ):
                entry(comment.idea).extra["comments"].append(comment)
        for interest in interests:
            if (
                interest.idea_id in mine
                and interest.expressed_by_id != user.pk
                and recipient.since < interest.created_at <= recipient.until
            ):
                entry(interest.idea).extra["interests"].append(interest)
        by_user[user.pk] = list(ideas.values())
    return by_user


@section("labelling", _("Your labelling requests"))
def labelling_section(recipients):
    """The Secretariat's decisions since the last digest on the requests of the recipient's
    partner: approved, rejected, or changes asked for."""
    since, until = _window(recipients)
    decisions = list(
        LabellingEvent.objects.filter(
            to_state__in=DECISIONS,
            created_at__gt=since,
            created_at__lte=until,
            request__lead_partner_id__in={r.partner.pk for r in recipients},
        )
        .select_related("request")
        .order_by("created_at")
    )
    return {
        recipient.user.pk: [
            Item(event)
            for event in decisions
            if event.request.lead_partner_id == recipient.partner.pk
            and recipient.since < event.created_at <= recipient.until
        ]
        for recipient in recipients
    }


@section("documents", _("New documents"))
def documents_section(recipients):
    """Documents added since the last digest; restricted ones for those who may see them."""
    since, until = _window(recipients)
    found = list(
        Document.objects.filter(created_at__gt=since, created_at__lte=until)
        .only("pk", "title", "visibility", "created_at", "kind", "published_on")
        .order_by("-created_at")
    )
    result = {}
    for recipient in recipients:
        result[recipient.user.pk] = [
            Item(document)
            for document in found
            if recipient.since < document.created_at <= recipient.until
            and document.is_visible_to(recipient.user)
        ]
    return result


@section("meetings", _("Meetings"))
def meetings_section(recipients):
    """Meetings in the next 30 days (news when they came into that window or were added since
    the last digest) and results published since the last digest, grouped by meeting."""
    days = settings.DIGEST_MEETING_DAYS
    since, until = _window(recipients)
    today = timezone.localdate(until)
    upcoming = list(
        Meeting.objects.upcoming(today)
        .filter(start_date__lte=today + datetime.timedelta(days=days))
        .select_related("host_country")
        .order_by("start_date", "title")
    )
    results = list(
        MeetingResult.objects.filter(created_at__gt=since, created_at__lte=until)
        .select_related("meeting")
        .order_by("meeting__start_date", "meeting_id", "position")
    )
    by_user = {}
    for recipient in recipients:
        last_seen = timezone.localdate(recipient.since)
        items = [
            Item(
                meeting,
                is_news=meeting.created_at > recipient.since
                or meeting.start_date > last_seen + datetime.timedelta(days=days),
                extra={"kind": "upcoming"},
            )
            for meeting in upcoming
        ]
        outcomes = {}
        for result in results:
            if recipient.since < result.created_at <= recipient.until:
                outcomes.setdefault(result.meeting, []).append(result)
        items += [
            Item(meeting, extra={"kind": "results", "results": found})
            for meeting, found in outcomes.items()
        ]
        by_user[recipient.user.pk] = items
    return by_user


@section("consultations", _("Open consultations"))
def consultations_section(recipients):
    """Every open consultation addressed to the recipient's partner, with whether the partner
    answered. News, while the partner has not answered, when it opened since the last digest or
    came within ``DIGEST_CONSULTATION_DAYS`` of closing since then."""
    days = settings.DIGEST_CONSULTATION_DAYS
    _since, until = _window(recipients)
    today = timezone.localdate(until)
    consultations = list(
        Consultation.objects.open_on(today)
        .prefetch_related("answers")
        .order_by("closes_on", "title")
    )
    if not consultations:
        return {}
    # One query per consultation closing soon (a handful), whatever the number of recipients.
    addressed = {
        consultation.pk: set(consultation.addressed_partners().values_list("pk", flat=True))
        for consultation in consultations
    }

    by_user = {}
    for recipient in recipients:
        partner_id = recipient.user.membership.partner_id
        last_seen = timezone.localdate(recipient.since)
        items = []
        for consultation in consultations:
            if partner_id not in addressed[consultation.pk]:
                continue
            answered = any(a.partner_id == partner_id for a in consultation.answers.all())
            closing_soon = consultation.closes_on <= today + datetime.timedelta(days=days)
            came_in = consultation.opens_on > last_seen or (
                closing_soon and consultation.closes_on > last_seen + datetime.timedelta(days=days)
            )
            items.append(
                Item(
                    consultation,
                    is_news=came_in and not answered,
                    extra={"answered": answered},
                )
            )
        by_user[recipient.user.pk] = items
    return by_user


@dataclass
class Digest:
    recipient: Recipient
    frequency: str
    sections: list

    @property
    def has_news(self):
        return any(item.is_news for _section, items in self.sections for item in items)


def build_digests(recipients, frequency):
    """The digests of a batch of recipients, sections with nothing to show left out."""
    contents = {r.user.pk: [] for r in recipients}
    for registered in SECTIONS.values():
        found = registered.function(recipients) if recipients else {}
        for recipient in recipients:
            items = found.get(recipient.user.pk)
            if items:
                contents[recipient.user.pk].append((registered, items))
    return [Digest(r, frequency, contents[r.user.pk]) for r in recipients]


def unsubscribe_token(user):
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token):
    """The user a token was made for, or None for a bad signature or an unknown user."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("user")).first()


def render_digest(digest):
    """The digest as a multipart e-mail in the recipient's language, with one-click unsubscribe
    headers (RFC 8058); not sent."""
    user = digest.recipient.user
    with translation.override(user.language):
        unsubscribe_url = settings.SITE_URL + reverse(
            "digest-unsubscribe", kwargs={"token": unsubscribe_token(user)}
        )
        preferences_url = settings.SITE_URL + reverse("focalpoints:profile")
    context = {
        "user": user,
        "frequency": digest.frequency,
        "sections": [
            {
                "section": s,
                "title": s.title,
                "items": items,
                "text": s.text_template,
                "html": s.html_template,
            }
            for s, items in digest.sections
        ],
        "since": digest.recipient.since,
        "until": digest.recipient.until,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": preferences_url,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return render_email("digest/digest", context, user.language, [user.email], headers)


def eligible_recipients(frequency):
    """Members who asked for this frequency: active accounts with an active membership."""
    return (
        User.objects.filter(is_active=True, membership__is_active=True, digest_frequency=frequency)
        .exclude(email="")
        .select_related("membership__partner")
        .order_by("pk")
    )


def period_key(frequency, now):
    local = timezone.localtime(now)
    if frequency == "weekly":
        year, week, _weekday = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{local.date().isoformat()}"


def _prepare(users, frequency, now):
    """Recipients for ``users`` with their window: since the end of their last digest (sent or
    with nothing new), or one period back for a first digest."""
    last = dict(
        DigestDelivery.objects.filter(
            recipient__in=[u.pk for u in users],
            status__in=[DigestDelivery.Status.SENT, DigestDelivery.Status.NOTHING_NEW],
        )
        .values("recipient")
        .annotate(last=Max("until"))
        .values_list("recipient", "last")
    )
    for user in users:
        # permissions.active_membership caches here: no query per recipient.
        user._active_membership = user.membership
    return [Recipient(user, last.get(user.pk) or now - PERIODS[frequency], now) for user in users]


def _sent_marker(recipient):
    return f"digest-sent:{recipient.period}:{recipient.user.pk}"


def _claim(recipients, key, token):
    """Claim the recipients' deliveries for ``key``; returns those this run now owns.

    New rows are inserted (a conflict means another run has them); rows left ``claimed`` by a
    run older than ``DIGEST_CLAIM_TIMEOUT`` and ``failed`` rows with attempts left are taken
    back with a conditional UPDATE, which only one of two concurrent runs can win.
    """
    now = timezone.now()
    by_user = {r.user.pk: r for r in recipients}
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(
                recipient_id=r.user.pk,
                period=key,
                status=DigestDelivery.Status.CLAIMED,
                claim_token=token,
                attempts=1,
                since=r.since,
                until=r.until,
                claimed_at=now,
            )
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    stale = now - settings.DIGEST_CLAIM_TIMEOUT
    DigestDelivery.objects.filter(period=key, recipient__in=list(by_user)).filter(
        Q(status=DigestDelivery.Status.CLAIMED, claimed_at__lt=stale)
        | Q(status=DigestDelivery.Status.FAILED, attempts__lt=settings.DIGEST_MAX_ATTEMPTS)
    ).update(
        status=DigestDelivery.Status.CLAIMED,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    owned = list(
        DigestDelivery.objects.filter(period=key, claim_token=token, status="claimed").values(
            "pk", "recipient_id", "since", "until", "attempts"
        )
    )
    claimed = []
    for row in owned:
        recipient = by_user[row["recipient_id"]]
        recipient.since, recipient.until = row["since"], row["until"]
        recipient.delivery_id, recipient.period = row["pk"], key
        claimed.append(recipient)
    return claimed


def _finish(token, ids, **values):
    if ids:
        DigestDelivery.objects.filter(pk__in=ids, claim_token=token, status="claimed").update(
            **values
        )


@dataclass
class RunResult:
    sent: int = 0
    nothing_new: int = 0
    failed: int = 0
    skipped: int = 0
    # Counts only: a run of thousands keeps no message in memory once it is sent.
    would_send: int = 0


def _send_batch(pairs):
    """Send ``[(digest, message)]`` over one connection (``portal_lib.emails``), retrying each
    failure with exponential back-off; returns (sent delivery ids, {delivery id: error})."""
    recipients = {digest.recipient.delivery_id: digest.recipient for digest, _message in pairs}

    def mark_sent(delivery_id):
        # Known to the cache at once: if this worker dies before the batch's UPDATE, the run
        # that takes the row back sees the mark and does not send it again.
        cache.set(_sent_marker(recipients[delivery_id]), 1, timeout=14 * 24 * 3600)

    return send_over_one_connection(
        [(digest.recipient.delivery_id, message) for digest, message in pairs],
        retries=settings.DIGEST_SEND_RETRIES,
        backoff=settings.DIGEST_RETRY_BACKOFF,
        on_sent=mark_sent,
    )


def run_digests(frequency, *, now=None, email=None, dry_run=False, on_digest=None):
    """Send the digests of ``frequency`` ("weekly" or "daily") owed for the period of ``now``.

    Recipients go in batches of ``DIGEST_BATCH_SIZE``; each batch costs the same number of
    queries whatever its size. Safe to run again and to run twice at once: a recipient's digest
    for a period is sent at most once, and a re-run sends what is still owed. With ``dry_run``
    nothing is claimed or sent; ``on_digest(digest, message)`` sees each digest built.
    """
    if frequency not in PERIODS:
        raise ValueError(f"Unknown digest frequency: {frequency}")
    now = now or timezone.now()
    key = period_key(frequency, now)
    result = RunResult()
    users = eligible_recipients(frequency)
    if email:
        users = users.filter(email__iexact=email)
    last_pk = 0
    while True:
        batch = list(users.filter(pk__gt=last_pk)[: settings.DIGEST_BATCH_SIZE])
        if not batch:
            break
        last_pk = batch[-1].pk
        recipients = _prepare(batch, frequency, now)
        if dry_run:
            for digest in build_digests(recipients, frequency):
                if digest.has_news:
                    message = render_digest(digest)
                    result.would_send += 1
                    if on_digest:
                        on_digest(digest, message)
                else:
                    result.nothing_new += 1
            continue
        token = uuid.uuid4().hex
        claimed = _claim(recipients, key, token)
        result.skipped += len(recipients) - len(claimed)
        if not claimed:
            continue
        already = cache.get_many([_sent_marker(r) for r in claimed])
        done = [r.delivery_id for r in claimed if _sent_marker(r) in already]
        claimed = [r for r in claimed if r.delivery_id not in done]
        empty, pairs = [], []
        for digest in build_digests(claimed, frequency):
            if digest.has_news:
                pairs.append((digest, render_digest(digest)))
                if on_digest:
                    on_digest(digest, pairs[-1][1])
            else:
                empty.append(digest.recipient.delivery_id)
        _finish(token, empty, status=DigestDelivery.Status.NOTHING_NEW, sent_at=None)
        result.nothing_new += len(empty)
        sent, failed = _send_batch(pairs) if pairs else ([], {})
        _finish(token, sent + done, status=DigestDelivery.Status.SENT, sent_at=timezone.now())
        result.sent += len(sent)
        errors = {}
        for delivery_id, error in failed.items():
            errors.setdefault(error, []).append(delivery_id)
        for error, ids in errors.items():
            _finish(token, ids, status=DigestDelivery.Status.FAILED, error=error)
        result.failed += len(failed)
    return result


def preview(user, frequency=None, now=None):
    """The digest ``user`` would get next (their preference's frequency unless given), as
    ``(digest, message)``; the message is None when there is nothing new. Nothing is recorded."""
    frequency = frequency or (
        user.digest_frequency if user.digest_frequency in PERIODS else "weekly"
    )
    now = now or timezone.now()
    user = User.objects.select_related("membership__partner").get(pk=user.pk)
    (recipient,) = _prepare([user], frequency, now)
    (digest,) = build_digests([recipient], frequency)
    return digest, render_digest(digest) if digest.has_news else None


def due_frequencies(now=None, schedule=None):
    """The frequencies whose run is due at ``now`` by the Secretariat's schedule: the daily one
    from its hour each day, the weekly one from its day and hour until the week ends. Runs are
    idempotent per period, so a run missed at the hour (a worker down) happens at the next tick."""
    from digests.models import DigestSchedule

    schedule = schedule or DigestSchedule.load()
    local = timezone.localtime(now or timezone.now())
    due = []
    if local.hour >= schedule.daily_hour:
        due.append("daily")
    if (local.weekday(), local.hour) >= (schedule.weekly_weekday, schedule.weekly_hour):
        due.append("weekly")
    return due
