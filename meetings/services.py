"""Questions about meetings that several pages (and the stocktaking report) ask."""

import csv
import datetime
import io
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actionplan.models import Action, Domain
from focalpoints.models import Membership
from focalpoints.permissions import active_membership
from meetings.models import (
    DEFAULT_QUESTIONS,
    Delegate,
    Delegation,
    Document,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Meeting,
)
from portal_lib import page_cache
from portal_lib.models import Delivery
from portal_lib.notifications import notify
from portal_lib.refusals import ActionRefused
from portal_lib.slugs import free_slug


class Coverage(NamedTuple):
    domains: list  # Domain rows, each with ``activities``
    actions: list  # Action rows, each with ``activities``


def activity_coverage(plan, start: datetime.date, end: datetime.date) -> Coverage:
    """How many held meetings served each domain and each action of ``plan`` between ``start``
    and ``end`` (inclusive). A meeting that served several actions of one domain counts once for
    that domain. Two queries, whatever the number of meetings."""

    def held(prefix):
        return Q(
            **{
                f"{prefix}status": Meeting.Status.HELD,
                f"{prefix}start_date__gte": start,
                f"{prefix}start_date__lte": end,
            }
        )

    actions = (
        Action.objects.filter(plan=plan)
        .select_related("objective__domain", "plan")
        .annotate(activities=Count("meetings", filter=held("meetings__"), distinct=True))
        .order_by("number")
    )
    domains = (
        Domain.objects.filter(plan=plan)
        .select_related("plan")
        .annotate(
            activities=Count(
                "objectives__actions__meetings",
                filter=held("objectives__actions__meetings__"),
                distinct=True,
            )
        )
        .order_by("number")
    )
    return Coverage(list(domains), list(actions))


def duplicate_meeting(meeting):
    """A planned copy of ``meeting`` to prepare the next one like it: same kind, place, partners,
    actions and objective; no results, participation, documents or history. Returns the copy."""
    with transaction.atomic():
        copy = Meeting.objects.get(pk=meeting.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.slug = free_slug(Meeting, f"{meeting.slug}-copy", fallback="meeting", max_length=105)
        copy.status = Meeting.Status.PLANNED
        copy.status_reason = ""
        for field in ("status_reason_en", "status_reason_fr"):
            setattr(copy, field, "")
        copy.postponed_to = None
        copy.save()
        copy.organisers.set(meeting.organisers.all())
        copy.co_chairs.set(meeting.co_chairs.all())
        copy.actions.set(meeting.actions.all())
    return copy


def add_documents_to_meeting(meeting, files, **fields):
    """One document per uploaded file, linked to ``meeting`` and its actions, in one transaction.

    ``fields`` are the Document fields the files share (category, kind, language, visibility).
    The files must have been checked with ``uploads.inspect_upload``. Returns the documents.
    """
    documents = []
    with transaction.atomic():
        for upload in files:
            title = PurePath(upload.name).stem.replace("_", " ").strip() or upload.name
            slug = free_slug(Document, title, fallback="document", max_length=105)
            document = Document(title=title, slug=slug, file=upload, **fields)
            document.full_clean()
            document.save()
            document.meetings.add(meeting)
            document.actions.set(meeting.actions.all())
            documents.append(document)
    return documents


def reference_domains(user):
    """The domains for which ``user`` may upload their partner's roadmap and progress review:
    those whose reference country is the partner of this active focal point."""
    membership = active_membership(user)
    if membership is None or not membership.is_focal_point:
        return Domain.objects.none()
    return Domain.objects.filter(reference_countries__partner=membership.partner).select_related(
        "plan"
    )


def add_reference_document(user, *, domain, kind, title, language, upload):
    """Store a reference country's roadmap or progress review for ``domain``, restricted to focal
    points until the Secretariat publishes it. Raises ``PermissionDenied`` for anyone who is not
    a focal point of that domain's reference country."""
    if not reference_domains(user).filter(pk=domain.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        document = Document(
            title=title,
            slug=free_slug(Document, title, fallback="document", max_length=105),
            category=Document.Category.MONITORING,
            kind=kind,
            language=language,
            visibility=Document.Visibility.FOCAL_POINTS,
            file=upload,
            uploaded_by=user,
            published_on=timezone.localdate(),
        )
        document.full_clean()
        document.save()
        document.domains.add(domain)
    return document


# --- The meeting run by the portal: invitation, delegations, registration, attendance, evaluation


def focal_points_of(partners):
    """The active focal points and alternates of ``partners`` (ids or rows): whom a partner's
    invitation and reminders go to."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__is_active=True,
            membership__partner__in=partners,
            membership__role__in=Membership.FOCAL_POINT_ROLES,
        )
        .select_related("membership")
        .order_by("email")
    )


def _link(name, language, **kwargs):
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _ics(meeting):
    from meetings.calendars import calendar_bytes

    content = calendar_bytes([meeting], name=meeting.title)
    return [(f"{meeting.slug}.ics", content, "text/calendar")]


def _invitation_of(meeting):
    invitation = getattr(meeting, "invitation", None)
    if invitation is None:
        raise ActionRefused(_("Set the invitation of this meeting first (invited, deadlines)."))
    return invitation


def send_invitations(meeting):
    """Create a delegation for each partner the invitation reaches that has none yet, and send
    each of them, to their focal points in their language, the invitation with the meeting's
    .ics. Sending again reaches only the partners added since. Returns the new delegations."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("invitation")
            .get(pk=meeting.pk)
        )
        invitation = _invitation_of(meeting)
        if not meeting.is_upcoming:
            raise ActionRefused(_("Only an upcoming meeting can be invited to."))
        if timezone.now() > invitation.nomination_deadline:
            raise ActionRefused(_("The nomination deadline has passed: move it first."))
        already = set(meeting.delegations.values_list("partner_id", flat=True))
        partners = [p for p in invitation.invited_partners() if p.pk not in already]
        delegations = Delegation.objects.bulk_create(
            [Delegation(meeting=meeting, partner=partner) for partner in partners]
        )
        # bulk_create sends no signal: the partners' dashboards list their new invitations.
        page_cache.content_changed()
        invitation.sent_at = invitation.sent_at or timezone.now()
        invitation.save(update_fields=["sent_at"])
        by_partner = {delegation.partner_id: delegation for delegation in delegations}
        recipients = focal_points_of(list(by_partner))

        def context(recipient):
            return {
                "meeting": meeting,
                "invitation": invitation,
                "partner": by_partner[recipient.user.membership.partner_id].partner,
                "link": _link("meetings:delegation", recipient.language, slug=meeting.slug),
            }

        notify(
            "meetings.invitation",
            "meeting-invitation",
            recipients,
            context,
            attachments=_ics(meeting) if meeting.start_date else None,
        )
    return delegations


def remind_unanswered(now=None, meeting=None):
    """Remind the focal points of each partner that has not named its delegation to a meeting
    whose nominations are open (``meeting`` only, if given): at most once per the invitation's
    interval. Returns how many delegations were reminded."""
    now = now or timezone.now()
    reminded = 0
    delegations = Delegation.objects.all() if meeting is None else meeting.delegations.all()
    delegations = (
        delegations.unanswered()
        .filter(
            meeting__invitation__sent_at__isnull=False,
            meeting__invitation__nomination_deadline__gte=now,
        )
        .select_related("partner", "meeting__invitation")
    )
    for delegation in delegations:
        invitation = delegation.meeting.invitation
        with transaction.atomic():
            # Claimed with a conditional update: two runs never remind the same partner twice.
            claimed = (
                Delegation.objects.filter(pk=delegation.pk, answered_at__isnull=True)
                .filter(
                    Q(reminded_at__isnull=True)
                    | Q(reminded_at__lte=now - invitation.reminder_interval)
                )
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            meeting = delegation.meeting
            notify(
                "meetings.reminder",
                "meeting-reminder",
                focal_points_of([delegation.partner_id]),
                lambda recipient, meeting=meeting, invitation=invitation: {
                    "meeting": meeting,
                    "invitation": invitation,
                    "link": _link("meetings:delegation", recipient.language, slug=meeting.slug),
                },
            )
            reminded += 1
    return reminded


def delegation_of(user, meeting):
    """The delegation of the partner ``user`` is a focal point of, to ``meeting``, or None."""
    membership = active_membership(user)
    if membership is None or not membership.is_focal_point:
        return None
    return (
        Delegation.objects.filter(meeting=meeting, partner=membership.partner_id)
        .select_related("partner", "meeting__invitation")
        .first()
    )


DELEGATE_FIELDS = [
    "name",
    "email",
    "function",
    "institution",
    "profile",
    "languages",
    "language",
    "mode",
    "needs_visa_letter",
]


def save_delegation(user, meeting, entries):
    """Name the delegation of ``user``'s partner to ``meeting``: ``entries`` are dicts of the
    ``DELEGATE_FIELDS``, with ``pk`` for a delegate already named; those not among them are
    withdrawn. Refused after the nomination deadline or beyond the seats. Returns the delegates.
    """
    with transaction.atomic():
        delegation = delegation_of(user, meeting)
        if delegation is None:
            raise PermissionDenied
        delegation = Delegation.objects.select_for_update(of=("self",)).get(pk=delegation.pk)
        invitation = delegation.meeting.invitation
        if timezone.now() > invitation.nomination_deadline:
            raise ActionRefused(
                _("Nominations closed on %(date)s: write to the Secretariat to change anything.")
                % {"date": date_format(timezone.localtime(invitation.nomination_deadline))}
            )
        current = {d.pk: d for d in delegation.delegates.all()}
        kept = [entry for entry in entries if entry.get("pk") in current]
        new = [entry for entry in entries if not entry.get("pk")]
        seated = sum(
            1
            for entry in kept
            if current[entry["pk"]].status
            not in (Delegate.Status.WAITLISTED, Delegate.Status.DECLINED)
        ) + len(new)
        if seated > invitation.seats_per_delegation:
            raise ActionRefused(
                _("Your delegation has %(seats)s seats: you named %(count)s delegates.")
                % {"seats": invitation.seats_per_delegation, "count": seated}
            )
        kept_pks = {entry["pk"] for entry in kept}
        delegation.delegates.exclude(pk__in=kept_pks).delete()
        for entry in kept:
            delegate = current[entry["pk"]]
            for field in DELEGATE_FIELDS:
                setattr(delegate, field, entry[field])
            delegate.save()
        for entry in new:
            Delegate.objects.create(
                delegation=delegation, **{field: entry[field] for field in DELEGATE_FIELDS}
            )
        delegation.answered_at = timezone.now()
        delegation.save(update_fields=["answered_at"])
    return list(delegation.delegates.all())


def registration_token(delegate):
    return signing.dumps(delegate.pk, salt="meetings.registration")


def evaluation_token(delegate):
    return signing.dumps(delegate.pk, salt="meetings.evaluation")


def delegate_from_token(token, salt):
    """The delegate a personal link names. Refused, in words the person can act on, when the
    link was altered or has expired (``MEETING_LINK_MAX_AGE``), or their data is gone."""
    try:
        pk = signing.loads(
            token,
            salt=f"meetings.{salt}",
            max_age=settings.MEETING_LINK_MAX_AGE,
        )
    except signing.SignatureExpired:
        raise ActionRefused(
            _("This link has expired. Write to the Secretariat for a new one.")
        ) from None
    except signing.BadSignature:
        raise ActionRefused(
            _("This link is not valid: copy the whole address from the e-mail you received.")
        ) from None
    delegate = (
        Delegate.objects.select_related("delegation__partner", "delegation__meeting__invitation")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
    )
    if delegate is None:
        raise ActionRefused(_("This link is no longer valid."))
    return delegate


def decide(delegate, status, reason=""):
    """The Secretariat accepts, wait-lists or declines a nominee (with a reason). An accepted
    delegate receives their personal registration link; a declined or wait-listed one, the
    reason. Refused beyond the delegation's seats."""
    if status not in (
        Delegate.Status.ACCEPTED,
        Delegate.Status.WAITLISTED,
        Delegate.Status.DECLINED,
    ):
        raise ActionRefused(_("Choose to accept, wait-list or decline."))
    with transaction.atomic():
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("delegation__partner", "delegation__meeting__invitation")
            .get(pk=delegate.pk)
        )
        if delegate.status == status:
            raise ActionRefused(_("This decision was already taken."))
        delegation = delegate.delegation
        if status == Delegate.Status.ACCEPTED:
            seats = delegation.meeting.invitation.seats_per_delegation
            accepted = delegation.delegates.accepted().exclude(pk=delegate.pk).count()
            if accepted >= seats:
                raise ActionRefused(
                    _("%(partner)s has no seat left: wait-list or decline another delegate first.")
                    % {"partner": delegation.partner}
                )
        delegate.status = status
        delegate.reason = reason
        delegate.save(update_fields=["status", "reason"])
        meeting = delegation.meeting
        if status == Delegate.Status.ACCEPTED:
            notify(
                "meetings.accepted",
                "meeting-accepted",
                [(delegate.email, delegate.language)],
                lambda recipient: {
                    "meeting": meeting,
                    "delegate": delegate,
                    "link": _link(
                        "meetings:register",
                        recipient.language,
                        token=registration_token(delegate),
                    ),
                },
                secret=True,
            )
        else:
            notify(
                "meetings.decision",
                "meeting-decision",
                [(delegate.email, delegate.language)],
                {"meeting": meeting, "delegate": delegate},
            )
    return delegate


def register(delegate, *, dietary_needs="", accessibility_needs="", arrival=""):
    """An accepted delegate confirms their registration (or updates it) before the deadline,
    and receives the practical information, the meeting's .ics and, if they asked for it, their
    invitation letter for a visa. Returns the delegate."""
    with transaction.atomic():
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("delegation__partner", "delegation__meeting__invitation")
            .get(pk=delegate.pk)
        )
        invitation = delegate.delegation.meeting.invitation
        if delegate.status != Delegate.Status.ACCEPTED:
            raise ActionRefused(_("Your nomination has not been accepted: you cannot register."))
        if not invitation.registration_open:
            raise ActionRefused(
                _("Registration closed on %(date)s.")
                % {"date": date_format(timezone.localtime(invitation.registration_deadline))}
            )
        first = delegate.registered_at is None
        delegate.dietary_needs = dietary_needs
        delegate.accessibility_needs = accessibility_needs
        delegate.arrival = arrival
        delegate.registered_at = delegate.registered_at or timezone.now()
        delegate.save()
        if first:
            meeting = delegate.delegation.meeting
            files = _ics(meeting) if meeting.start_date else []
            if delegate.needs_visa_letter:
                files.append(
                    (
                        f"invitation-letter-{meeting.slug}.pdf",
                        visa_letter_pdf(delegate),
                        "application/pdf",
                    )
                )
            notify(
                "meetings.registered",
                "meeting-registered",
                [(delegate.email, delegate.language)],
                lambda recipient: {
                    "meeting": meeting,
                    "invitation": invitation,
                    "delegate": delegate,
                    "link": _link(
                        "meetings:register", recipient.language, token=registration_token(delegate)
                    ),
                },
                secret=True,
                attachments=files,
            )
    return delegate


def mark_attendance(meeting, delegate_pks, attended=True):
    """Mark the accepted delegates ``delegate_pks`` of ``meeting`` as present (or not). While
    anyone is marked present, its participation figures are counted from the records (and the
    typed ones come back if the last mark is undone). Returns how many were changed."""
    with transaction.atomic():
        changed = (
            Delegate.objects.of_meeting(meeting)
            .accepted()
            .filter(pk__in=delegate_pks)
            .update(attended=attended, checked_in_at=timezone.now() if attended else None)
        )
        if changed:
            recorded = Delegate.objects.of_meeting(meeting).attended().exists()
            # updated_at too: the participation chart is served by its last modification.
            Meeting.objects.filter(pk=meeting.pk).update(
                attendance_recorded=recorded, updated_at=timezone.now()
            )
            # update() sends no signal: the meeting's public page shows these figures.
            page_cache.content_changed()
            meeting.attendance_recorded = recorded
        meeting.__dict__.pop("_participation_figures", None)
    return changed


def evaluation_questions(meeting):
    """The meeting's questionnaire: the one the Secretariat defined, else the default one (what
    the report's evaluation forms asked), created for it."""
    questions = list(meeting.evaluation_questions.all())
    if questions:
        return questions
    for position, (kind, english, french) in enumerate(DEFAULT_QUESTIONS, start=1):
        EvaluationQuestion.objects.create(
            meeting=meeting, position=position, kind=kind, text_en=english, text_fr=french
        )
    return list(meeting.evaluation_questions.all())


def send_evaluations(meeting):
    """After the meeting, send each participant who attended and has not had it yet their
    personal link to the evaluation. Returns how many were sent."""
    if meeting.last_day is None or meeting.last_day > timezone.localdate():
        raise ActionRefused(_("The evaluation is sent once the meeting has taken place."))
    with transaction.atomic():
        evaluation_questions(meeting)
        delegates = list(
            Delegate.objects.of_meeting(meeting)
            .attended()
            .filter(evaluation_sent_at__isnull=True, anonymised_at__isnull=True)
            .select_for_update(of=("self",))
        )
        if not delegates:
            return 0
        by_email = {(d.email, d.language): d for d in delegates}
        notify(
            "meetings.evaluation",
            "meeting-evaluation",
            list(by_email),
            lambda recipient: {
                "meeting": meeting,
                "link": _link(
                    "meetings:evaluate",
                    recipient.language,
                    token=evaluation_token(by_email[(recipient.email, recipient.language)]),
                ),
            },
            secret=True,
        )
        Delegate.objects.filter(pk__in=[d.pk for d in delegates]).update(
            evaluation_sent_at=timezone.now()
        )
    return len(delegates)


def answer_evaluation(delegate, answers):
    """Record a participant's answers (``{question pk: value}``: 1–5, True/False or text),
    apart from who they are; one answer per participant. Returns the response."""
    with transaction.atomic():
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("delegation__meeting")
            .get(pk=delegate.pk)
        )
        if not delegate.attended or delegate.evaluation_sent_at is None:
            raise ActionRefused(_("The evaluation is for the participants who attended."))
        if delegate.evaluated_at is not None:
            raise ActionRefused(_("You have already answered this evaluation: thank you."))
        meeting = delegate.delegation.meeting
        response = EvaluationResponse.objects.create(meeting=meeting)
        rows = []
        for question in meeting.evaluation_questions.all():
            value = answers.get(question.pk)
            if value in (None, ""):
                continue
            row = EvaluationAnswer(response=response, question=question)
            if question.kind == EvaluationQuestion.Kind.RATING:
                row.rating = int(value)
            elif question.kind == EvaluationQuestion.Kind.YES_NO:
                row.yes = bool(value)
            else:
                row.text = str(value)
            rows.append(row)
        EvaluationAnswer.objects.bulk_create(rows)
        delegate.evaluated_at = timezone.now()
        delegate.save(update_fields=["evaluated_at"])
    return response


class QuestionSummary(NamedTuple):
    question: EvaluationQuestion
    answers: int
    average: float | None  # ratings
    yes_share: int | None  # yes/no, a percentage
    texts: list  # free text: for the Secretariat only


class ReactionSummary(NamedTuple):
    responses: int
    attended: int
    response_rate: int | None
    questions: list


def reaction_summary(meeting):
    """The participants' reaction from the evaluation answers: response rate, the average of
    each rating, the share of yes, the free texts (which only the Secretariat sees). Three
    queries, whatever the number of answers; None without answers."""
    responses = meeting.evaluation_responses.count()
    if not responses:
        return None
    attended = Delegate.objects.of_meeting(meeting).attended().count()
    questions = []
    answers = {}
    for answer in EvaluationAnswer.objects.filter(response__meeting=meeting).order_by("pk"):
        answers.setdefault(answer.question_id, []).append(answer)
    for question in meeting.evaluation_questions.all():
        given = answers.get(question.pk, [])
        ratings = [a.rating for a in given if a.rating is not None]
        yeses = [a.yes for a in given if a.yes is not None]
        questions.append(
            QuestionSummary(
                question,
                len(given),
                round(sum(ratings) / len(ratings), 1) if ratings else None,
                round(100 * sum(yeses) / len(yeses)) if yeses else None,
                [a.text for a in given if a.text],
            )
        )
    rate = round(100 * responses / attended) if attended else None
    return ReactionSummary(responses, attended, rate, questions)


def anonymise_past_participants(today=None):
    """Anonymise the participants of meetings that ended ``MEETING_ANONYMISE_AFTER_DAYS`` days
    ago: names, contact details and needs are erased; partner, profile, mode and attendance stay,
    so that the figures do. Returns how many delegates were anonymised."""
    today = today or timezone.localdate()
    before = today - datetime.timedelta(days=settings.MEETING_ANONYMISE_AFTER_DAYS)
    ended = Meeting.objects.filter(
        Q(end_date__lt=before) | Q(end_date__isnull=True, start_date__lt=before)
    )
    due = Delegate.objects.filter(anonymised_at__isnull=True, delegation__meeting__in=ended)
    with transaction.atomic():
        # The e-mails the portal sent them (their name, their links) go too.
        Delivery.objects.filter(
            kind__startswith="meetings.", email__in=due.exclude(email="").values("email")
        ).update(email="", subject="", text_body="", html_body="", attachments=[], headers={})
        return due.update(
            name="",
            email="",
            function="",
            institution="",
            languages="",
            dietary_needs="",
            accessibility_needs="",
            arrival="",
            reason="",
            anonymised_at=timezone.now(),
        )


# --- Documents for the Secretariat: lists, badges, letters, the evaluation's answers


def _letter_fields(delegate):
    meeting = delegate.delegation.meeting
    return {
        "name": delegate.name,
        "function": delegate.function,
        "institution": delegate.institution,
        "partner": str(delegate.delegation.partner),
        "meeting": str(meeting.title),
        "place": str(meeting.place_display),
        "dates": str(meeting.dates_display),
    }


def visa_letter_text(delegate):
    """The Secretariat's letter for ``delegate``, in their language, placeholders filled."""
    invitation = delegate.delegation.meeting.invitation
    with translation.override(delegate.language):
        template = invitation.letter_text()
        fields = _letter_fields(delegate)
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError):
            # A placeholder the letter cannot fill: the text as written, never an error.
            return template


def render_pdf(template, context, language):
    """A PDF of ``template`` (WeasyPrint), rendered in ``language``; it fetches nothing."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Meeting documents fetch nothing: {url!r}")

    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    return HTML(string=html, url_fetcher=NoFetch()).write_pdf()


def visa_letter_pdf(delegate):
    return render_pdf(
        "meetings/pdf/visa_letter.html",
        {
            "delegate": delegate,
            "meeting": delegate.delegation.meeting,
            "text": visa_letter_text(delegate),
            "today": timezone.localdate(),
        },
        delegate.language,
    )


def participants(meeting):
    """The meeting's accepted delegates, by delegation, for the lists and badges."""
    return list(Delegate.objects.of_meeting(meeting).accepted().for_listing())


PARTICIPANT_COLUMNS = [
    ("partner", lambda d: d.delegation.partner.name),
    ("name", lambda d: d.name),
    ("email", lambda d: d.email),
    ("function", lambda d: d.function),
    ("institution", lambda d: d.institution),
    ("profile", lambda d: d.get_profile_display()),
    ("languages", lambda d: d.languages),
    ("mode", lambda d: d.get_mode_display()),
    ("visa_letter", lambda d: "yes" if d.needs_visa_letter else ""),
    ("registered", lambda d: d.registered_at.isoformat() if d.registered_at else ""),
    ("dietary_needs", lambda d: d.dietary_needs),
    ("accessibility_needs", lambda d: d.accessibility_needs),
    ("arrival", lambda d: d.arrival),
    ("attended", lambda d: "yes" if d.attended else ""),
]


def _safe(value):
    """A cell a spreadsheet will not run as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def participants_csv(meeting):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _value in PARTICIPANT_COLUMNS])
    for delegate in participants(meeting):
        writer.writerow([_safe(value(delegate)) for _name, value in PARTICIPANT_COLUMNS])
    return out.getvalue()


def evaluation_csv(meeting):
    """One row per answer, with no trace of who gave it (no name, partner, date or order of
    arrival: the rows are sorted by question and answer)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "rating", "yes", "text"])
    answers = (
        EvaluationAnswer.objects.filter(response__meeting=meeting)
        .select_related("question")
        .order_by("question__position", "question__pk", "rating", "yes", "text")
    )
    for answer in answers:
        writer.writerow(
            [
                _safe(answer.question.text),
                answer.rating if answer.rating is not None else "",
                {True: "yes", False: "no", None: ""}[answer.yes],
                _safe(answer.text),
            ]
        )
    return out.getvalue()


def delegations_overview(meeting):
    """Each invited partner's delegation with its delegates and counts, for the Secretariat:
    who has answered and who has not. Two queries, whatever the number of delegates."""
    return list(
        meeting.delegations.select_related("partner")
        .prefetch_related("delegates")
        .order_by("answered_at", "partner__name")
    )


def register_for_webinar(user, meeting, *, profile, function=""):
    """A member of an invited partner registers for a webinar in one step: accepted and
    registered at once (a webinar has no seats), with the confirmation and the .ics."""
    membership = active_membership(user)
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("meeting__invitation")
            .filter(meeting=meeting, partner=membership.partner_id if membership else None)
            .first()
        )
        if delegation is None or meeting.kind != Meeting.Kind.WEBINAR:
            raise PermissionDenied
        invitation = delegation.meeting.invitation
        if not invitation.registration_open:
            raise ActionRefused(
                _("Registration closed on %(date)s.")
                % {"date": date_format(timezone.localtime(invitation.registration_deadline))}
            )
        if delegation.delegates.filter(email__iexact=user.email).exists():
            raise ActionRefused(_("You are already registered for this webinar."))
        delegate = Delegate.objects.create(
            delegation=delegation,
            name=user.get_full_name() or user.email,
            email=user.email,
            function=function,
            institution=str(delegation.partner),
            profile=profile,
            language=user.language,
            mode=Delegate.Mode.REMOTE,
            status=Delegate.Status.ACCEPTED,
            registered_at=timezone.now(),
        )
        delegation.answered_at = delegation.answered_at or timezone.now()
        delegation.save(update_fields=["answered_at"])
        notify(
            "meetings.registered",
            "meeting-registered",
            [user],
            lambda recipient: {
                "meeting": meeting,
                "invitation": invitation,
                "delegate": delegate,
                "link": _link("meetings:webinar", recipient.language, slug=meeting.slug),
            },
            attachments=_ics(meeting) if meeting.start_date else None,
        )
    return delegate
