"""Labelling: partners ask for the "Rabat Process" label for projects and events that implement
actions of the Action Plan; the Secretariat reviews them; approved ones are published.

The request's state changes only through the transition methods of ``LabellingRequest``
(``submit``, ``start_review``, ``request_changes``, ``approve``, ``reject``, ``withdraw``). Each
one checks who is asking and the current state on a locked row, in one transaction, writes a
``LabellingEvent`` and sends its e-mails once the transaction commits.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from actionplan.models import LABELLED_PROJECT_COLUMNS, Action, ActivitiesQuerySet
from focalpoints.models import Partner
from focalpoints.permissions import active_membership, is_secretariat
from meetings.models import Meeting, MeetingDateChange, span_text
from portal_lib import page_cache
from portal_lib.refusals import ActionRefused
from portal_lib.slugs import free_slug
from portal_lib.storage import PrivateFileField, random_file_name
from portal_lib.uploads import store_by_detected_type, validate_upload


class TransitionRefused(ActionRefused):
    """The transition is not allowed to this person in this state; the message says why."""


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the applicant may still change what they wrote.
EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED)
# States before a decision: the applicant may withdraw, the Secretariat's queue shows them.
OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.CHANGES_REQUESTED)


@dataclass(frozen=True)
class Transition:
    """One arrow of the workflow: its name, the states it leaves, the state it reaches, who
    makes it (``"applicant"`` or ``"secretariat"``) and whether a comment is required."""

    name: str
    label: str
    sources: tuple
    target: str
    by: str
    comment_required: bool = False
    button_class: str = ""


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            _("Submit for review"),
            (State.DRAFT, State.CHANGES_REQUESTED),
            State.SUBMITTED,
            "applicant",
        ),
        Transition(
            "start_review",
            _("Start the review"),
            (State.SUBMITTED,),
            State.UNDER_REVIEW,
            "secretariat",
        ),
        Transition(
            "request_changes",
            _("Ask for changes"),
            (State.SUBMITTED, State.UNDER_REVIEW),
            State.CHANGES_REQUESTED,
            "secretariat",
            comment_required=True,
        ),
        Transition(
            "approve",
            _("Approve and label"),
            (State.UNDER_REVIEW,),
            State.APPROVED,
            "secretariat",
            button_class="primary",
        ),
        Transition(
            "reject",
            _("Reject"),
            (State.UNDER_REVIEW,),
            State.REJECTED,
            "secretariat",
            comment_required=True,
            button_class="danger",
        ),
        Transition(
            "withdraw",
            _("Withdraw the request"),
            OPEN_STATES,
            State.WITHDRAWN,
            "applicant",
            button_class="danger",
        ),
    ]
}


# What a labelled project's row shows in a public list: named in actionplan, whose action page
# lists projects too and may not import this app.
PUBLIC_ROW_COLUMNS = LABELLED_PROJECT_COLUMNS


class LabellingRequestQuerySet(ActivitiesQuerySet):
    def labelled(self):
        """Approved requests: the public's labelled projects and events."""
        return self.filter(state=State.APPROVED)

    def labelled_during(self, start, end):
        """Labelled projects that belong to the period from ``start`` to ``end`` (dates): labelled
        in it, or taking place or planned in it, by their own dates or their meeting's."""
        return (
            self.labelled()
            .filter(
                models.Q(decided_at__date__range=(start, end))
                | models.Q(decided_at__isnull=True, created_at__date__range=(start, end))
                | models.Q(start_date__range=(start, end))
                | models.Q(meeting__start_date__range=(start, end))
                # An event postponed out of the period still belongs to it, as in the report.
                | models.Q(meeting__date_changes__previous_start__range=(start, end))
            )
            .distinct()
        )

    def of_partner(self, partner):
        return self.filter(lead_partner=partner)

    def visible_to(self, user):
        """Every request for the Secretariat; the requests of their own partner for an active
        member; none for anyone else (another partner's request answers 404)."""
        if is_secretariat(user):
            return self
        membership = active_membership(user)
        if membership is None:
            return self.none()
        return self.of_partner(membership.partner)

    def for_listing(self):
        return self.select_related("lead_partner", "meeting").prefetch_related(
            models.Prefetch("actions", queryset=Action.objects.with_domain().order_by("number"))
        )

    def for_public_list(self):
        """What a public list's row shows (``labelling.listing.project_rows``), and no more: the
        columns of its line and its meeting's dates with their postponements (which the dates
        of a meeting without a start date read). Not the texts in both languages, most of the
        fetch; not the actions as records (``project_rows`` reads their numbers alone): a
        project serves many actions, and building them was most of the list's time."""
        return (
            self.select_related("lead_partner", "meeting")
            .only(*PUBLIC_ROW_COLUMNS)
            .prefetch_related(
                models.Prefetch(
                    "meeting__date_changes",
                    queryset=MeetingDateChange.objects.order_by("previous_start"),
                    to_attr="postponements",
                )
            )
        )

    def for_private_list(self):
        """What a row of the private list of requests shows (``labelling.listing.request_rows``):
        the columns of its line and its lead partner's name, not its texts."""
        return self.select_related("lead_partner").only(
            "kind", "title", "state", "updated_at", "submitted_at", "lead_partner__name"
        )

    def for_review_queue(self):
        """``for_private_list``, with what the Secretariat's queue adds to a row: whether the
        request was sent back for changes before (``resubmitted``: now resubmitted, not new)
        and what the applicant answered when they resubmitted last (``last_reply``)."""
        return self.for_private_list().annotate(
            resubmitted=models.Exists(
                LabellingEvent.objects.filter(
                    request=models.OuterRef("pk"), to_state=State.CHANGES_REQUESTED
                )
            ),
            last_reply=models.Subquery(
                LabellingEvent.objects.filter(
                    request=models.OuterRef("pk"),
                    from_state=State.CHANGES_REQUESTED,
                    to_state=State.SUBMITTED,
                )
                .exclude(comment="")
                .order_by("-created_at", "-pk")
                .values("comment")[:1]
            ),
        )

    def state_counts(self):
        """{state: how many requests are in it}, in one query."""
        # No ordering: the model's would be grouped by too, a group per request.
        return dict(
            self.order_by()
            .values_list("state")
            .annotate(total=models.Count("pk"))
            .values_list("state", "total")
        )


def _domains_of(actions):
    """The domains of ``actions`` (with their objective and domain), in order, each once."""
    domains = {action.objective.domain for action in actions}
    return sorted(domains, key=lambda domain: (domain.plan_id, domain.number))


@dataclass(frozen=True)
class RelatedFacts:
    """A request's relations as its page shows them (``LabellingRequest.related_facts``)."""

    actions: list
    domains: list
    co_implementing_partners: list
    funding_partners: list
    countries: list


class LabellingRequestManager(models.Manager.from_queryset(LabellingRequestQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def attachment_file_name(attachment, filename):
    return random_file_name("labelling", filename)


class LabellingRequest(models.Model):
    """A partner's request for the "Rabat Process" label, and once approved the labelled project
    or event with, later, its results."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral project")
        MULTILATERAL = "multilateral", _("Multilateral project")
        REGIONAL = "regional", _("Regional project")
        EVENT = "event", _("Meeting or event")

    State = State

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="labelling_requests",
        verbose_name=_("actions implemented"),
        help_text=_("The actions of the Action Plan that the project or event implements."),
    )
    lead_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="labelling_requests",
        verbose_name=_("lead partner"),
    )
    co_implementing_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="co_implemented_labelling_requests",
        verbose_name=_("co-implementing partners"),
    )
    funding_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="funded_labelling_requests",
        verbose_name=_("funding partners"),
    )
    other_organisations = models.TextField(
        _("other implementing organisations"),
        blank=True,
        help_text=_("Organisations that are not partners of the Dialogue, one per line."),
    )
    countries = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="labelling_requests_concerning",
        limit_choices_to={"kind": Partner.Kind.COUNTRY},
        verbose_name=_("countries concerned"),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("For an event: its planned date.")
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", blank=True)
    funding_sources = models.TextField(_("funding sources"), blank=True)
    publish_budget = models.BooleanField(
        _("publish the budget"),
        default=False,
        help_text=_("Show the budget on the public page once the label is granted."),
    )
    results_sharing = models.TextField(
        _("how the results will be shared with the Dialogue"), blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    publish_contact = models.BooleanField(
        _("publish the contact person"),
        default=False,
        help_text=_("Show the contact person and e-mail address on the public page."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labelling_requests",
        verbose_name=_("meeting record"),
        help_text=_("For an event: the meeting it became in the Dialogue's records."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    # The applicant's answer to a change request while they edit: it becomes the comment of
    # their next submission (the audit trail), and is emptied then.
    reply_draft = models.TextField(_("reply to the Secretariat (not sent yet)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    # Results, reported after approval by the applicant or the Secretariat.
    results_summary = models.TextField(_("results"), blank=True)
    results_meetings = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="labelled_results",
        verbose_name=_("meetings where the results were presented"),
    )
    results_reported_at = models.DateTimeField(
        _("results reported"), null=True, blank=True, editable=False
    )

    objects = LabellingRequestManager()

    # Who changed what, and when, shown on the record's admin page (django-simple-history):
    # registered in translation.py, once the translated fields exist.

    class Meta:
        verbose_name = _("labelling request")
        verbose_name_plural = _("labelling requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            # The labelled projects' list, latest decided first: its page read in order, not
            # every labelled project sorted.
            models.Index(fields=["state", "-decided_at", "-start_date"]),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(LabellingRequest, self.title, fallback="request")
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    def get_absolute_url(self):
        """The public page when labelled, the private one otherwise."""
        if self.state == State.APPROVED:
            return reverse("labelling:project", kwargs={"slug": self.slug})
        return self.get_private_url()

    def get_private_url(self):
        return reverse("labelling:request", kwargs={"pk": self.pk})

    @property
    def is_event(self):
        return self.kind == self.Kind.EVENT

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_labelled(self):
        return self.state == State.APPROVED

    def domains(self):
        """The domains of the actions it implements, in order, each once."""
        return _domains_of(self.actions.all())

    def related_facts(self):
        """What its page shows of its relations (``labelling/request_facts.html``), each in one
        query: its actions, with their objective, domain and plan (the actions' and the
        domains' addresses read their plan), their domains, and the names of its
        co-implementing partners, funding partners and countries. For one request, asking
        for each costs less than prefetching them (a list's way)."""
        actions = list(
            self.actions.select_related("plan", "objective__domain__plan")
            # What the links show and need: not the plans' and the domains' every text.
            .only(
                "number",
                "title",
                "plan__slug",
                "objective__domain__number",
                "objective__domain__title",
                "objective__domain__plan__slug",
            )
            .order_by("number")
        )
        return RelatedFacts(
            actions=actions,
            domains=_domains_of(actions),
            co_implementing_partners=list(
                self.co_implementing_partners.values_list("name", flat=True)
            ),
            funding_partners=list(self.funding_partners.values_list("name", flat=True)),
            countries=list(self.countries.values_list("name", flat=True)),
        )

    @property
    def dates_display(self):
        """Its dates; for an event recorded as a meeting, the meeting's (which keep up with
        postponements)."""
        if self.meeting_id and (self.meeting.start_date or not self.start_date):
            return self.meeting.dates_display
        if not self.start_date:
            return ""
        # Formatted once per process for each span and language, as a meeting's dates are.
        return span_text(self.start_date, self.end_date, "day", get_language())

    def attachment_versions(self):
        """The files by kind, in the kinds' order: for each, its label, the current file (the
        latest uploaded) and the earlier versions it replaced, newest first."""
        by_kind = {}
        for attachment in sorted(
            self.attachments.all(), key=lambda item: (item.uploaded_at, item.pk), reverse=True
        ):
            by_kind.setdefault(attachment.kind, []).append(attachment)
        return [
            {"label": label, "current": files[0], "earlier": files[1:]}
            for kind, label in LabellingAttachment.Kind.choices
            if (files := by_kind.get(kind))
        ]

    @property
    def may_be_deleted(self):
        """A draft that was never submitted: nothing of it is in the audit trail."""
        return self.state == State.DRAFT and self.submitted_at is None

    def other_organisation_list(self):
        return [line.strip() for line in self.other_organisations.splitlines() if line.strip()]

    def missing_for_submission(self):
        """What must be completed before the request can be submitted: {field: message}."""
        required = _("This is needed before the request can be submitted.")
        missing = {}
        for field in (
            "summary",
            "objectives",
            "expected_results",
            "results_sharing",
            "contact_name",
            "contact_email",
        ):
            if not getattr(self, field).strip():
                missing[field] = required
        if self.pk is None or not self.actions.exists():
            missing["actions"] = _("Choose at least one action of the Action Plan.")
        if not self.start_date and not self.meeting_id:
            missing["start_date"] = (
                _("Give the planned date of the event.")
                if self.is_event
                else _("Give the start date of the project.")
            )
        return missing

    # The workflow ---------------------------------------------------------------------------

    def is_applicant(self, user):
        """An active member (staff or focal point) of the lead partner."""
        membership = active_membership(user)
        return membership is not None and membership.partner_id == self.lead_partner_id

    def allowed_transitions(self, user):
        """The transitions ``user`` may make now, in the workflow's order."""
        return [
            transition
            for transition in TRANSITIONS.values()
            if self.state in transition.sources and self._may_make(transition, user)
        ]

    def _may_make(self, transition, user):
        if transition.by == "secretariat":
            return is_secretariat(user)
        return self.is_applicant(user)

    def submit(self, by, comment="", expected_state=None):
        return self._transition("submit", by, comment, expected_state)

    def start_review(self, by, comment="", expected_state=None):
        return self._transition("start_review", by, comment, expected_state)

    def request_changes(self, by, comment="", expected_state=None):
        return self._transition("request_changes", by, comment, expected_state)

    def approve(self, by, comment="", expected_state=None):
        return self._transition("approve", by, comment, expected_state)

    def reject(self, by, comment="", expected_state=None):
        return self._transition("reject", by, comment, expected_state)

    def withdraw(self, by, comment="", expected_state=None):
        return self._transition("withdraw", by, comment, expected_state)

    def make_transition(self, name, by, comment="", expected_state=None):
        """Run the transition called ``name`` (one of ``TRANSITIONS``); see ``_transition``."""
        if name not in TRANSITIONS:
            raise TransitionRefused(gettext("This is not a step of the labelling workflow."))
        return getattr(self, name)(by, comment=comment, expected_state=expected_state)

    def _transition(self, name, by, comment, expected_state):
        """Move the request along ``TRANSITIONS[name]`` on behalf of ``by``; return the
        ``LabellingEvent`` written.

        The row is locked and read again inside the transaction, so of two people deciding at
        once the second sees the first one's decision and is refused. ``expected_state`` is the
        state the person saw on their page: if it has changed since, nothing happens and they
        are told. Raises ``TransitionRefused`` with a message for the person; nothing changes
        then.
        """
        from labelling import notifications

        transition = TRANSITIONS[name]
        comment = (comment or "").strip()
        with transaction.atomic():
            current = LabellingRequest.objects.select_for_update().get(pk=self.pk)
            if not current._may_make(transition, by):
                raise TransitionRefused(
                    gettext("Only the Secretariat can do this.")
                    if transition.by == "secretariat"
                    else gettext("Only the applicant partner's members can do this.")
                )
            if expected_state and current.state != expected_state:
                raise TransitionRefused(self._changed_meanwhile_message(current))
            if current.state not in transition.sources:
                raise TransitionRefused(
                    gettext("This cannot be done to a request that is “%(state)s”.")
                    % {"state": current.get_state_display()}
                )
            if transition.comment_required and not comment:
                raise TransitionRefused(
                    gettext("Say what the applicant should know: a comment is required.")
                )
            if name == "submit":
                missing = current.missing_for_submission()
                if missing:
                    raise TransitionRefused(
                        gettext("The request is not complete yet: %(fields)s.")
                        % {
                            "fields": ", ".join(
                                str(current._meta.get_field(field).verbose_name)
                                for field in missing
                            )
                        }
                    )
            now = timezone.now()
            previous = current.state
            current.state = transition.target
            updates = {"state": transition.target, "updated_at": now}
            if name == "submit":
                updates["submitted_at"] = now
                # The reply written on the edit page goes with the submission, once.
                comment = comment or current.reply_draft.strip()
                updates["reply_draft"] = ""
            if transition.target in (State.APPROVED, State.REJECTED):
                updates["decided_at"] = now
            LabellingRequest.objects.filter(pk=self.pk).update(**updates)
            # update() sends no signal; a decision changes the public list of labelled projects.
            page_cache.content_changed()
            event = LabellingEvent.objects.create(
                request=current,
                actor=by,
                from_state=previous,
                to_state=transition.target,
                comment=comment,
                created_at=now,
            )
            # Recorded with the event; sent by a worker once the decision is committed.
            notifications.send_transition_emails(event)
        for field, value in updates.items():
            setattr(self, field, value)
        return event

    def _changed_meanwhile_message(self, current):
        last = current.events.select_related("actor").order_by("-created_at", "-pk").first()
        if last is None:
            return gettext("This request has changed since you opened it. Check it again.")
        return gettext(
            "This request was moved to “%(state)s” by %(person)s at %(time)s, after you opened "
            "it. Check it again."
        ) % {
            "state": current.get_state_display(),
            "person": last.actor or gettext("the Secretariat"),
            "time": timezone.localtime(last.created_at).strftime("%H:%M"),
        }


class LabellingEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The labelling audit trail cannot be changed.")

    def delete(self):
        raise TypeError("The labelling audit trail cannot be deleted.")


class LabellingEvent(models.Model):
    """One step of a request's history: who moved it, when, from which state to which, and what
    they said. Written by the transitions only; never changed or deleted."""

    request = models.ForeignKey(
        LabellingRequest,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("labelling request"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = LabellingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("labelling audit entry")
        verbose_name_plural = _("labelling audit trail")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request}: {self.get_from_state_display()} → {self.get_to_state_display()}"

    @property
    def is_reply(self):
        """A resubmission after a change request, with the applicant's answer to it."""
        return bool(
            self.comment
            and self.from_state == State.CHANGES_REQUESTED
            and self.to_state == State.SUBMITTED
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A labelling audit entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A labelling audit entry cannot be deleted.")


class LabellingAttachment(models.Model):
    """A file that goes with a request: its concept note, an agenda, later its final report.

    Concept notes and agendas are seen by the applicant partner and the Secretariat; a labelled
    project's final report is public."""

    class Kind(models.TextChoices):
        CONCEPT_NOTE = "concept_note", _("Concept note")
        AGENDA = "agenda", _("Agenda")
        FINAL_REPORT = "final_report", _("Final report")

    PUBLIC_KINDS = (Kind.FINAL_REPORT,)

    request = models.ForeignKey(
        LabellingRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("labelling request"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = PrivateFileField(
        _("file"),
        upload_to=attachment_file_name,
        validators=[validate_upload],
    )
    original_filename = models.CharField(_("file name"), max_length=255, editable=False)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), editable=False, default=0)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_filename}"

    @property
    def is_public(self):
        return self.kind in self.PUBLIC_KINDS and self.request.is_labelled

    def save(self, *args, **kwargs):
        store_by_detected_type(self, "file")
        super().save(*args, **kwargs)

    def get_download_url(self):
        return reverse(
            "labelling:attachment", kwargs={"pk": self.request_id, "attachment_pk": self.pk}
        )
