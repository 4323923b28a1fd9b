"""The laboratory of ideas: proposals and requests for assistance, and what partners say of them."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan.models import Action, ActivitiesQuerySet, Domain
from focalpoints.models import Partner
from focalpoints.permissions import active_membership, is_secretariat
from portal_lib.dates import date_format
from portal_lib.richtext import plain_text, render_markdown
from portal_lib.rows import address_pattern, columns_in_turn, first_filled
from portal_lib.storage import PrivateFileField, random_file_name
from portal_lib.uploads import store_by_detected_type, validate_upload


class IdeaQuerySet(ActivitiesQuerySet):
    def published(self):
        return self.filter(is_draft=False)

    def published_during(self, start, end):
        """Published ideas not hidden, published (or, for those recorded without a publication
        date, created) between the dates ``start`` and ``end``: what the coverage counts."""
        return self.published().filter(
            Q(published_at__date__range=(start, end))
            | Q(published_at__isnull=True, created_at__date__range=(start, end)),
            is_hidden=False,
        )

    def visible_to(self, user):
        """The ideas ``user`` may open: published ones (hidden ones only for the Secretariat
        and the submitting partner), and drafts of their own partner."""
        if is_secretariat(user):
            return self
        membership = active_membership(user)
        if membership is None:
            return self.none()
        return self.filter(Q(partner=membership.partner_id) | Q(is_draft=False, is_hidden=False))

    def for_listing(self):
        return self.select_related("partner", "domain__plan", "submitted_by").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("plan").order_by("number"))
        )

    def as_rows(self):
        """The ideas as a row of the laboratory's list shows them (``ideas_lab/home.html``):
        plain rows (dicts) in this queryset's order, each with its ``pk``, ``url``, ``title``,
        ``summary``, ``is_draft``, ``is_hidden``, ``kind_label``, ``status_label``,
        ``partner`` (its short name where it has one), ``domain`` (as the domain names
        itself), ``actions_label`` ("Action 3, Action 12") and ``activity_label``, in the
        active language.

        Two queries, without a model instance per idea, partner, domain and action: texts fall
        back between languages as the fields themselves do, addresses and labels are made once
        for the rows, a day is formatted once."""
        titles, summaries = columns_in_turn("title"), columns_in_turn("summary")
        short_names = columns_in_turn("short_name", "partner__")
        names = columns_in_turn("name", "partner__")
        domain_titles = columns_in_turn("title", "domain__")
        rows = list(
            self.values(
                "pk",
                "kind",
                "status",
                "is_draft",
                "is_hidden",
                "last_activity_at",
                "domain__number",
                *titles,
                *summaries,
                *short_names,
                *names,
                *domain_titles,
            )
        )
        numbers = {}
        for idea, number in (
            Idea.actions.through.objects.filter(idea_id__in=[row["pk"] for row in rows])
            .order_by("action__number")
            .values_list("idea_id", "action__number")
        ):
            numbers.setdefault(idea, []).append(number)
        kinds = {value: str(label) for value, label in Idea.Kind.choices}
        statuses = {value: str(label) for value, label in Idea.Status.choices}
        action, domain = gettext("Action %(number)s"), gettext("Domain %(number)s: %(title)s")
        activity = gettext("last activity %(when)s")
        address = address_pattern("ideas:detail", "pk")
        days = {}
        for row in rows:
            row["url"] = address.format(pk=row["pk"])
            row["title"] = first_filled(row, titles)
            row["summary"] = first_filled(row, summaries)
            row["partner"] = first_filled(row, short_names + names)
            row["kind_label"] = kinds.get(row["kind"], row["kind"])
            row["status_label"] = statuses.get(row["status"], row["status"])
            number = row["domain__number"]
            row["domain"] = (
                ""
                if number is None
                else domain % {"number": number, "title": first_filled(row, domain_titles)}
            )
            row["actions_label"] = ", ".join(
                action % {"number": number} for number in numbers.get(row["pk"], ())
            )
            day = timezone.localtime(row["last_activity_at"]).date()
            if day not in days:
                days[day] = activity % {"when": date_format(day, "DATE_FORMAT")}
            row["activity_label"] = days[day]
        return rows

    def serving(self, action):
        return self.filter(actions=action)


class IdeaManager(models.Manager.from_queryset(IdeaQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def idea_file_name(instance, filename):
    return random_file_name("ideas", filename)


class Idea(models.Model):
    """A partner's proposal, request for assistance or offer of expertise, put to the others."""

    class Kind(models.TextChoices):
        PROJECT_PROPOSAL = "proposal", _("Project proposal")
        TECHNICAL_ASSISTANCE = "technical", _("Request for technical assistance")
        FINANCIAL_ASSISTANCE = "financial", _("Request for financial assistance")
        EXPERTISE_OFFER = "expertise", _("Offer of expertise or good practice")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_DISCUSSION = "discussion", _("In discussion")
        PARTNERS_FOUND = "partners_found", _("Partners found")
        IN_IMPLEMENTATION = "implementation", _("In implementation")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, null=True, blank=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), max_length=1000, blank=True, help_text=_("Two or three sentences.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "Formatted text written in Markdown: an empty line between paragraphs, **bold**, "
            "*italics*, lists, links, quotations and headings."
        ),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("submitted by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas_submitted",
        verbose_name=_("person who submitted it"),
    )
    domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("domain"),
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="ideas", verbose_name=_("actions served")
    )
    countries = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="ideas_concerning",
        verbose_name=_("countries concerned"),
        limit_choices_to={"kind": Partner.Kind.COUNTRY},
    )
    budget = models.DecimalField(
        _("estimated budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Three letters, such as EUR or XOF.")
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    is_draft = models.BooleanField(
        _("draft"),
        default=True,
        help_text=_("A draft is seen only by its partner's members and the Secretariat."),
    )
    is_hidden = models.BooleanField(_("hidden by the Secretariat"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    last_activity_at = models.DateTimeField(
        _("last activity"), default=timezone.now, editable=False, db_index=True
    )

    objects = IdeaManager()

    # Who changed what, and when, shown on the record's admin page (django-simple-history):
    # registered in translation.py, once the translated fields exist.

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-last_activity_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="idea_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("ideas:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        # Each language's text on its own: through the translated attribute, a French text
        # not written yet would be filled with the English one it falls back to.
        for suffix in ("", *(f"_{code}" for code, _name in settings.LANGUAGES)):
            for name, clean in (
                ("title", plain_text),
                ("summary", plain_text),
                ("description", plain_text),
            ):
                value = self.__dict__.get(f"{name}{suffix}")
                if value:
                    self.__dict__[f"{name}{suffix}"] = clean(value)
        self.currency = self.currency.upper()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.budget is not None and not self.currency:
            raise ValidationError({"currency": _("Give the budget's currency.")})

    def publication_errors(self):
        """What a draft still lacks before it can be published, by field (empty when ready)."""
        errors = {}
        if not plain_text(self.summary):
            errors["summary"] = _("A published idea needs a summary.")
        if not plain_text(render_markdown(self.description)):
            errors["description"] = _("A published idea needs a description.")
        if self.domain_id is None:
            errors["domain"] = _("Choose the domain the idea serves.")
        return errors

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def accepts_contributions(self):
        """Comments and interest are taken while the idea is published, shown and not closed."""
        return not self.is_draft and not self.is_hidden and not self.is_closed

    def touch(self):
        """Record activity now, so the idea moves to the top of the laboratory."""
        self.last_activity_at = timezone.now()
        Idea.objects.filter(pk=self.pk).update(last_activity_at=self.last_activity_at)


class IdeaStatusChange(models.Model):
    """One change of an idea's status: its history, shown on its page."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("idea")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Idea.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Idea.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.idea}: {self.get_to_status_display()}"


class IdeaAttachment(models.Model):
    """A file attached to an idea, checked by the same rules as the library's documents."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("idea")
    )
    file = PrivateFileField(
        _("file"),
        upload_to=idea_file_name,
        validators=[validate_upload],
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB at most."),
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_filename or PurePath(self.file.name).name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            store_by_detected_type(self, "file")
            self.original_filename = plain_text(self.original_filename)[:255]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("ideas:attachment", kwargs={"pk": self.idea_id, "attachment_pk": self.pk})

    get_download_url = get_absolute_url


class CommentQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_hidden=False)

    def as_thread(self):
        """The comments as an idea's page shows them: plain rows (dicts) in this queryset's
        order, each with its ``pk``, ``text``, ``source``, ``edited_at``, ``is_hidden`` and
        ``hidden_reason``, and its ``byline``: its author's name (or "Former member"), their
        partner's name and when it was posted, in the active language.

        One query, without a model instance per comment, author and partner (an idea's thread
        may hold hundreds): names fall back between languages as the partner's own fields do,
        and a date and time is formatted once per distinct minute."""
        partner = "author__membership__partner__"
        short_names = columns_in_turn("short_name", partner)
        names = columns_in_turn("name", partner)
        rows = list(
            self.values(
                "pk",
                "text",
                "source",
                "created_at",
                "edited_at",
                "is_hidden",
                "hidden_reason",
                "author_id",
                "author__first_name",
                "author__last_name",
                "author__email",
                *short_names,
                *names,
            )
        )
        former = gettext("Former member")
        formatted = {}
        for row in rows:
            if row["author_id"] is None:
                parts = [former]
            else:
                full_name = f"{row['author__first_name']} {row['author__last_name']}".strip()
                parts = [full_name or row["author__email"] or former]
                # The partner's display name: its short name where it has one, else its name.
                shown = first_filled(row, short_names + names)
                if shown:
                    parts.append(shown)
            when = timezone.localtime(row["created_at"]).replace(second=0, microsecond=0)
            if when not in formatted:
                formatted[when] = date_format(when, "DATETIME_FORMAT")
            parts.append(formatted[when])
            row["byline"] = " · ".join(parts)
        return rows


class Comment(models.Model):
    """What someone says about an idea, on its page or by replying to a notification."""

    class Source(models.TextChoices):
        WEB = "web", _("On the portal")
        EMAIL = "email", _("By e-mail")

    # The form, the processes and the replies by e-mail all hold comments to this length.
    TEXT_MAX_LENGTH = 10000

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="idea_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    source = models.CharField(_("sent"), max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by the Secretariat"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=255, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    objects = CommentQuerySet.as_manager()

    # Who changed what, and when, shown on the record's admin page (django-simple-history).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.text = plain_text(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.is_hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": _("Say why the comment is hidden.")})


class Interest(models.Model):
    """A partner says it wants to take part in an idea: co-funding, expertise, or joining it."""

    class Kind(models.TextChoices):
        CO_FUNDING = "co_funding", _("Co-funding")
        EXPERTISE = "expertise", _("Expertise")
        JOINING = "joining", _("Joining the initiative")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="interests", verbose_name=_("idea")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="idea_interests",
        verbose_name=_("partner"),
    )
    kind = models.CharField(_("taking part through"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=5000, blank=True)
    expressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("expressed by"),
    )
    created_at = models.DateTimeField(_("expressed"), default=timezone.now)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["partner__name", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "partner", "kind"],
                name="interest_once_per_partner_and_kind",
                violation_error_message=_("This partner has already expressed this interest."),
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.message = plain_text(self.message)
        super().save(*args, **kwargs)


class Follow(models.Model):
    """A person follows an idea and hears of its comments and interest by e-mail.

    Stopping keeps the row (``is_active`` off), so that commenting again does not quietly
    subscribe the person once more.
    """

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="follows", verbose_name=_("idea")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idea_follows",
        verbose_name=_("person"),
    )
    is_active = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="follow_once_per_person")
        ]

    def __str__(self):
        return f"{self.user} → {self.idea}"


class InboundMessage(models.Model):
    """An e-mail received for the laboratory, by its Message-ID: none is processed twice."""

    class Outcome(models.TextChoices):
        POSTED = "posted", _("Posted as a comment")
        REFUSED = "refused", _("Refused")

    # How much of a refused message is kept for the Secretariat to read.
    EXCERPT_LENGTH = 2000

    # The Message-ID is whatever the sender wrote: it is kept to read, and a hash of it is what
    # identifies the message, since a unique index on arbitrary text can exceed PostgreSQL's
    # limit for an index entry.
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    digest = models.CharField(_("Message-ID digest"), max_length=64, unique=True)
    sender = models.CharField(_("from"), max_length=320, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
    )
    excerpt = models.TextField(_("start of the message"), blank=True)

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at"]

    def __str__(self):
        return self.message_id
