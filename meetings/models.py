"""Meetings of the Dialogue, what they produced, who took part, and the document library."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actionplan.models import Action, Domain
from focalpoints import permissions
from focalpoints.models import Chairmanship, Partner
from portal_lib import page_cache
from portal_lib.storage import PrivateFileField, random_file_name
from portal_lib.uploads import store_by_detected_type, validate_upload


class DatePrecision(models.TextChoices):
    """How much of a meeting's date is known: the report often gives only a month or a quarter."""

    DAY = "day", _("Exact dates")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")


QUARTER_NAMES = {
    1: _("first quarter of %(year)s"),
    2: _("second quarter of %(year)s"),
    3: _("third quarter of %(year)s"),
    4: _("last quarter of %(year)s"),
}
HALF_NAMES = {1: _("first half of %(year)s"), 2: _("second half of %(year)s")}


def format_span(start, end, precision):
    """A date or span as precisely as it is known: "1–2 July 2019", "March 2020", "first quarter
    of 2021", in the active language."""
    if start is None:
        return _("date not known")
    if precision == DatePrecision.YEAR:
        return str(start.year)
    if precision == DatePrecision.HALF:
        return HALF_NAMES[1 if start.month <= 6 else 2] % {"year": start.year}
    if precision == DatePrecision.QUARTER:
        return QUARTER_NAMES[(start.month - 1) // 3 + 1] % {"year": start.year}
    if precision == DatePrecision.MONTH:
        return date_format(start, "YEAR_MONTH_FORMAT")
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    # Both languages write the day first ("1–2 July 2019", "1–2 juillet 2019").
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Meetings the public may see: every recorded meeting is public; drafts are not kept."""
        return self

    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status__in=[Meeting.Status.PLANNED, Meeting.Status.POSTPONED],
        ).filter(Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today))

    def next_upcoming(self, count):
        """The next ``count`` upcoming meetings, soonest first.

        Which ones they are is kept until the content or the day changes: found among
        thousands of past meetings once, not on every home page, list and dashboard.
        """
        today = timezone.localdate()
        ids = page_cache.cached_for_content(
            f"upcoming-meetings:{today.isoformat()}:{count}",
            lambda: list(
                Meeting.objects.upcoming(today)
                .order_by("start_date", "pk")
                .values_list("pk", flat=True)[:count]
            ),
        )
        return self.filter(pk__in=ids).order_by("start_date", "pk")

    def past(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(pk__in=self.upcoming(today).values("pk"))

    def in_period(self, start, end):
        """Meetings whose dates fall within [start, end], both inclusive."""
        return self.filter(start_date__gte=start, start_date__lte=end)

    def serving_domain(self, domain):
        return self.filter(actions__objective__domain=domain).distinct()

    def for_listing(self):
        """What a list of meetings shows (host country, actions, domains), fetched up front."""
        return self.select_related("host_country", "participation").prefetch_related(
            models.Prefetch("actions", queryset=Action.objects.with_domain().order_by("number"))
        )

    def with_outcomes(self):
        """What a meeting's page shows, fetched up front."""
        return (
            self.for_listing()
            .prefetch_related(
                "organisers",
                "co_chairs",
                "results",
                "date_changes",
                models.Prefetch(
                    "side_events", queryset=Meeting.objects.select_related("host_country")
                ),
            )
            .select_related("parent", "postponed_to")
        )

    def in_year(self, year):
        """Meetings dated in ``year``, and those that were planned for it before being moved."""
        # The postponements as a subquery rather than a join: a meeting comes once without
        # DISTINCT, which compared every column of every row (the long texts too).
        moved = MeetingDateChange.objects.filter(previous_start__year=year).values("meeting_id")
        return self.filter(Q(start_date__year=year) | Q(pk__in=moved))

    def for_calendar(self):
        """What a row of the calendar shows, fetched up front: hundreds of rows a year, so only
        the columns it needs (not the summary, objective and deliberations in each language),
        and the postponements as a plain list in ``postponements``: filling the related
        manager's cache instead builds a queryset per meeting, a third of the page's time."""
        return (
            self.select_related("host_country")
            .only(
                "slug",
                "kind",
                "title",
                "start_date",
                "end_date",
                "date_precision",
                "city",
                "format",
                "status",
                "host_country__name",
            )
            .prefetch_related(
                models.Prefetch(
                    "date_changes",
                    queryset=MeetingDateChange.objects.order_by("previous_start"),
                    to_attr="postponements",
                )
            )
        )


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Meeting(models.Model):
    """A meeting of the Dialogue, of any kind, from a ministerial conference to a webinar."""

    class Kind(models.TextChoices):
        MINISTERIAL_CONFERENCE = "ministerial", _("Ministerial conference")
        SENIOR_OFFICIALS = "som", _("Senior Officials' Meeting")
        STEERING_COMMITTEE = "steering_committee", _("Steering Committee")
        THEMATIC = "thematic", _("Thematic meeting")
        WORKSHOP = "workshop", _("Technical workshop")
        WEBINAR = "webinar", _("Webinar")
        SIDE_EVENT = "side_event", _("Side event")
        CONSULTATION = "consultation", _("Consultation round")
        OTHER = "other", pgettext_lazy("meeting kind", "Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(
        _("start"),
        null=True,
        blank=True,
        help_text=_(
            "The date planned or held. Empty when it is not known, or when a postponed meeting "
            "has no new date yet."
        ),
    )
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("For a meeting of several days.")
    )
    date_precision = models.CharField(
        _("precision of the dates"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "Where only a month, quarter or year is known, enter its first day and choose it here."
        ),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    host_country = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    organisers = models.ManyToManyField(
        Partner, blank=True, related_name="organised_meetings", verbose_name=_("organisers")
    )
    co_chairs = models.ManyToManyField(
        Partner, blank=True, related_name="co_chaired_meetings", verbose_name=_("co-chairs")
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    status_reason = models.CharField(
        _("reason"),
        max_length=255,
        blank=True,
        help_text=_("Why it was postponed or cancelled, e.g. the COVID-19 pandemic."),
    )
    postponed_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
        help_text=_("The meeting record that took its place, if another one was created."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="side_events",
        verbose_name=_("held in the margins of"),
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="meetings", verbose_name=_("actions served")
    )
    summary = models.TextField(_("summary"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    deliberations = models.TextField(
        _("deliberations and conclusions"),
        blank=True,
        help_text=_("What was discussed and decided (Steering Committee meetings in particular)."),
    )
    reaction = models.TextField(_("participants' reaction"), blank=True)
    reaction_source = models.CharField(
        _("source of the reaction"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the evaluation forms completed by the participants."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # The primary key last: French titles are often empty, and rows that tie must still
        # come in one order, or a page of the list would repeat or skip some.
        ordering = [models.F("start_date").desc(nulls_last=True), "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["kind", "status"]),
            # The next meetings (meetings list, home page, dashboard): planned or postponed
            # meetings are few, so the scan skips the thousands already held.
            models.Index(
                fields=["start_date"],
                condition=Q(status__in=["planned", "postponed"]),
                name="meeting_upcoming_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A meeting cannot be its own side event.")})
        if self.postponed_to_id and self.postponed_to_id == self.pk:
            raise ValidationError({"postponed_to": _("A meeting cannot replace itself.")})

    @property
    def dates_display(self):
        return format_span(self.start_date, self.end_date, self.date_precision)

    @property
    def first_planned_date(self):
        """The first date it was planned for, or None. Uses the postponements fetched up front:
        the list that ``for_calendar`` fetches, else a prefetch of ``date_changes``."""
        changes = getattr(self, "postponements", None)
        if changes is None:
            changes = list(self.date_changes.all())
        return changes[0].previous_start if changes else self.start_date

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def is_upcoming(self):
        return self.status in (self.Status.PLANNED, self.Status.POSTPONED) and (
            self.last_day is None or self.last_day >= timezone.localdate()
        )

    @property
    def place_display(self):
        if self.format == self.Format.VIRTUAL and not self.city:
            return _("Online")
        host = self.host_country.name if self.host_country_id else ""
        return ", ".join(part for part in (self.city, host) if part)

    @cached_property
    def chairmanship(self):
        """The chairmanship the meeting fell under (by its first day), or None."""
        if self.start_date is None:
            return None
        return Chairmanship.objects.troika(on=self.start_date).current

    @cached_property
    def domains(self):
        """The domains of the actions it served, in their order (uses prefetched actions)."""
        seen = {}
        for action in self.actions.all():
            seen.setdefault(action.objective.domain.pk, action.objective.domain)
        return sorted(seen.values(), key=lambda domain: domain.number)


class MeetingPartManager(models.Manager):
    """Looks up a part of a meeting by the meeting's slug and the part's own key."""

    key_field = None

    def get_by_natural_key(self, meeting_slug, *key):
        lookup = {"meeting__slug": meeting_slug}
        if self.key_field:
            lookup[self.key_field] = key[0]
        return self.get(**lookup)


class MeetingDateChangeManager(MeetingPartManager):
    key_field = "previous_start"


class MeetingResultManager(MeetingPartManager):
    key_field = "position"


class MeetingDateChange(models.Model):
    """A postponement: the dates a meeting had before it was moved, and why it was moved."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="date_changes", verbose_name=_("meeting")
    )
    previous_start = models.DateField(_("previously planned start"))
    previous_end = models.DateField(_("previously planned end"), null=True, blank=True)
    previous_precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    previous_city = models.CharField(_("previously planned city"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)

    objects = MeetingDateChangeManager()

    class Meta:
        verbose_name = _("postponement")
        verbose_name_plural = _("postponements")
        ordering = ["meeting", "previous_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "previous_start"],
                name="meeting_date_change_once_per_date",
                violation_error_message=_("This meeting was already moved from that date."),
            )
        ]

    def __str__(self):
        return self.previous_display

    def natural_key(self):
        return (self.meeting.slug, self.previous_start)

    natural_key.dependencies = ["meetings.meeting"]

    @property
    def previous_display(self):
        return format_span(self.previous_start, self.previous_end, self.previous_precision)


class MeetingResult(models.Model):
    """One result of a meeting, in the order the report lists them."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="results", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("result"))
    # When the result was published on the portal: the digests announce results added since
    # the recipient's last digest. Results recorded before this field existed have none.
    created_at = models.DateTimeField(
        _("published"), null=True, blank=True, default=timezone.now, editable=False
    )

    objects = MeetingResultManager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="meeting_result_unique_position",
                violation_error_message=_("Another result of this meeting has this position."),
            )
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return (self.meeting.slug, self.position)

    natural_key.dependencies = ["meetings.meeting"]


class Participation(models.Model):
    """Who took part in a meeting: the figures the report gives, and only those."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="participation", verbose_name=_("meeting")
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    delegations = models.PositiveIntegerField(_("delegations"), null=True, blank=True)
    partner_countries = models.PositiveIntegerField(_("partner countries"), null=True, blank=True)
    african_countries = models.PositiveIntegerField(_("of which African"), null=True, blank=True)
    european_countries = models.PositiveIntegerField(_("of which European"), null=True, blank=True)
    organisations = models.PositiveIntegerField(_("organisations"), null=True, blank=True)
    national_technical_experts = models.PositiveIntegerField(
        _("national technical experts"), null=True, blank=True
    )
    external_experts = models.PositiveIntegerField(_("external experts"), null=True, blank=True)
    government_representatives = models.PositiveIntegerField(
        _("government representatives"), null=True, blank=True
    )
    organisation_representatives = models.PositiveIntegerField(
        _("organisation representatives"), null=True, blank=True
    )
    non_technical_profile = models.PositiveIntegerField(
        _("non-technical (diplomatic) profile"), null=True, blank=True
    )
    reported_technical_share = models.PositiveSmallIntegerField(
        _("technical profile (%)"),
        null=True,
        blank=True,
        help_text=_("The share of technical profiles as reported, where no breakdown is known."),
    )
    reported_non_technical_share = models.PositiveSmallIntegerField(
        _("non-technical profile (%)"), null=True, blank=True
    )
    profile = models.TextField(
        _("profile of the participants"),
        blank=True,
        help_text=_("E.g. magistrates, police, border guards, researchers."),
    )
    organisations_present = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("organisations present"),
    )

    objects = MeetingPartManager()

    PROFILE_FIELDS = [
        "national_technical_experts",
        "external_experts",
        "government_representatives",
        "organisation_representatives",
        "non_technical_profile",
    ]

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_technical_share__lte=100)
                & Q(reported_non_technical_share__lte=100),
                name="participation_shares_are_percentages",
                violation_error_message=_("A share is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    def natural_key(self):
        return (self.meeting.slug,)

    natural_key.dependencies = ["meetings.meeting"]

    @property
    def profile_breakdown(self):
        """(label, count) for each profile the figures give, in a fixed order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.PROFILE_FIELDS
            if getattr(self, name) is not None
        ]

    @property
    def profile_shares(self):
        """(label, percentage) pairs from the reported shares, where no breakdown is known."""
        if self.reported_technical_share is not None:
            share = self.reported_technical_share
            return [(_("Technical profile"), share), (_("Other profiles"), 100 - share)]
        if self.reported_non_technical_share is not None:
            share = self.reported_non_technical_share
            return [(_("Non-technical profile"), share), (_("Other profiles"), 100 - share)]
        return []

    @property
    def technical_share(self):
        """Percentage of participants with a technical profile: as reported, else derived from
        the breakdown (national technical and external experts among all participants)."""
        if self.reported_technical_share is not None:
            return self.reported_technical_share
        technical = [self.national_technical_experts, self.external_experts]
        if self.participants and any(value is not None for value in technical):
            return round(100 * sum(value or 0 for value in technical) / self.participants)
        return None


def document_file_name(document, filename):
    return random_file_name("documents", filename)


class DocumentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Document.Visibility.PUBLIC)

    def restricted(self):
        return self.exclude(visibility=Document.Visibility.PUBLIC)

    def visible_to(self, user):
        """The documents ``user`` may see: of each visibility, if its rule lets them."""
        return self.filter(visibility__in=Document.audiences_of(user))

    def with_date(self):
        """Each document with ``dated``: its publication, or else the first day of the latest
        meeting it comes from (minutes and conclusions often have no date of their own)."""
        if "dated" in self.query.annotations:
            return self
        latest_meeting = (
            Meeting.objects.filter(documents=models.OuterRef("pk"))
            .order_by(models.F("start_date").desc(nulls_last=True))
            .values("start_date")[:1]
        )
        return self.annotate(dated=Coalesce("published_on", models.Subquery(latest_meeting)))

    def newest_first(self):
        """Newest first by the document's date (``with_date``)."""
        return self.with_date().order_by(models.F("dated").desc(nulls_last=True), "title", "pk")

    def for_listing(self):
        """What a list of documents shows: the row alone (an item names no meeting, so none
        is fetched; the profile of the library showed that prefetch as pure cost)."""
        return self.all()


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Document(models.Model):
    """A document of the Dialogue: a file kept by the portal, or a link to one elsewhere."""

    class Category(models.TextChoices):
        POLITICAL_MEETINGS = "political", _("Political meetings")
        TECHNICAL_MEETINGS = "technical", _("Technical and thematic meetings")
        STRATEGIC = "strategic", _("Strategic documents")
        KNOWLEDGE = "knowledge", _("Knowledge tools")
        MONITORING = "monitoring", _("Monitoring tools")
        COMMUNICATION = "communication", _("Communication tools")

    class Kind(models.TextChoices):
        CONCLUSIONS = "conclusions", _("Conclusions")
        RECOMMENDATIONS = "recommendations", _("Recommendations")
        REPORT = "report", _("Report")
        MINUTES = "minutes", _("Minutes")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        BACKGROUND_NOTE = "background_note", _("Background note")
        STUDY = "study", _("Study")
        COMPENDIUM = "compendium", _("Compendium")
        GUIDE = "guide", _("Guide")
        INFOGRAPHIC = "infographic", _("Infographic")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        PRESS_RELEASE = "press_release", _("Press release")
        VIDEO = "video", _("Video")
        BROCHURE = "brochure", _("Brochure")
        NOTE = "note", _("Note")
        ROADMAP = "roadmap", _("Roadmap")
        PROGRESS_REVIEW = "progress_review", _("Progress review")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        BILINGUAL = "en+fr", _("English and French")
        PORTUGUESE = "pt", _("Portuguese")
        SPANISH = "es", _("Spanish")
        OTHER = "other", _("Other languages")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: everyone")
        MEMBERS = "members", _("Members of partners: focal points and partner staff")
        FOCAL_POINTS = "focal_points", _("Focal points only (and their alternates)")

    # Who may see a document of each visibility (the Secretariat sees every one).
    AUDIENCES = {
        Visibility.PUBLIC: lambda user: True,
        Visibility.MEMBERS: permissions.can_see_members_documents,
        Visibility.FOCAL_POINTS: permissions.can_see_focal_points_documents,
    }

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    file = PrivateFileField(
        _("file"),
        upload_to=document_file_name,
        blank=True,
        validators=[validate_upload],
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB at most."),
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("size in bytes"), null=True, blank=True, editable=False
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    url = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("Where the document is kept elsewhere.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="documents", verbose_name=_("meetings")
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="documents", verbose_name=_("actions")
    )
    domains = models.ManyToManyField(
        Domain,
        blank=True,
        related_name="documents",
        verbose_name=_("domains"),
        help_text=_("For a reference country's roadmap or progress review."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DocumentManager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # The primary key last, as for meetings: ties must not move between pages.
        ordering = [models.F("published_on").desc(nulls_last=True), "title", "pk"]
        indexes = [models.Index(fields=["visibility", "category"])]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    @staticmethod
    def attach_dates(documents):
        """Give each of ``documents`` its ``dated`` (see ``with_date``), in one query for all:
        for a page of a list, rather than computing it for every row the list sorts."""
        documents = [document for document in documents if not hasattr(document, "dated")]
        undated = [document.pk for document in documents if document.published_on is None]
        latest = {}
        if undated:
            rows = Document.meetings.through.objects.filter(
                document_id__in=undated, meeting__start_date__isnull=False
            ).values_list("document_id", "meeting__start_date")
            for document_id, start in rows:
                latest[document_id] = max(start, latest.get(document_id, start))
        for document in documents:
            document.dated = document.published_on or latest.get(document.pk)

    @classmethod
    def audiences_of(cls, user):
        """The visibilities of the documents ``user`` may see."""
        return [visibility for visibility, may_see in cls.AUDIENCES.items() if may_see(user)]

    def get_absolute_url(self):
        return reverse("meetings:document", kwargs={"pk": self.pk})

    def get_download_url(self):
        if self.file:
            return reverse("meetings:document-download", kwargs={"pk": self.pk})
        return self.url

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    def is_visible_to(self, user):
        return self.AUDIENCES[self.visibility](user)

    def clean(self):
        super().clean()
        if self.file and self.url:
            raise ValidationError(_("Give either a file or a link, not both."))

    def save(self, *args, **kwargs):
        store_by_detected_type(self, "file")
        super().save(*args, **kwargs)
