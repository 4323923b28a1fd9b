"""Meetings of the Dialogue, what they produced, who took part, and the document library."""

import datetime
import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Coalesce, StrIndex
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from actionplan.models import Action, ActivitiesQuerySet, Domain
from focalpoints import permissions
from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership
from portal_lib import page_cache
from portal_lib.dates import date_format
from portal_lib.pagination import PAGE_SIZE
from portal_lib.rows import address_pattern, columns_in_turn, first_filled
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
        return f"{date_format(start, 'j')}–{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


@functools.lru_cache(maxsize=4096)
def span_text(start, end, precision, language):
    """``format_span`` as text, in ``language`` (the active one: it is the key's part that
    says which). Kept: a calendar year formats hundreds of dates, the same on every visit, and
    Django's date formatting (a month's name translated each time) was a third of its time.
    Formats and translations do not change while the process runs."""
    return str(format_span(start, end, precision))


@functools.lru_cache(maxsize=4096)
def file_size_text(size, language):
    """A file's size as the ``filesizeformat`` filter writes it ("1.2\xa0MB"), in
    ``language`` (the active one: the key's part that says which); "" for no size. Kept as
    ``span_text`` is: a list shows a size per row, the same on every visit."""
    return str(filesizeformat(size)) if size else ""


def describe_dates(start, end, precision, changes):
    """A meeting's dates as precisely as they are known; for a postponed meeting without a new
    date (``start`` None), the dates last announced, from ``changes`` (its postponements, oldest
    first): never "date not known" when a date was announced."""
    if start is None and changes:
        return _("last announced: %(dates)s") % {"dates": changes[-1].previous_display}
    return format_span(start, end, precision)


def describe_place(format, city, country):
    """Where a meeting is held: "Rabat, Morocco", "Online" for a virtual one without a city."""
    if format == Meeting.Format.VIRTUAL and not city:
        return _("Online")
    return ", ".join(part for part in (city, country) if part)


def describe_postponement(status, start, changes):
    """For a postponed meeting, the dates it was postponed from (``changes``, oldest first) and
    whether its new date is set ("postponed from 2–3 June 2020; new date to be set"); "" for
    any other meeting."""
    if status != Meeting.Status.POSTPONED:
        return ""
    if not changes:
        return "" if start else _("new date to be set")
    dates = ", ".join(str(change.previous_display) for change in changes)
    if start is None:
        return _("postponed from %(dates)s; new date to be set") % {"dates": dates}
    return _("postponed from %(dates)s") % {"dates": dates}


# Among meetings that start on the same day, the shorter span first: a quarter before the
# half-year that starts with it, a month before its quarter, a known day before its month.
# The rank is where the precision comes in their names written out shortest first ("day month
# quarter half year"): the same order as a CASE of five conditions, which cost as much to build
# as the rest of a list's query.
SPAN_RANK = StrIndex(models.Value(" ".join(DatePrecision.values)), models.F("date_precision"))


class Row(dict):
    """A record as a list's ``as_rows`` gives it (a meeting's, a document's): a dict whose keys
    also read as attributes (``row.slug``), as the record's fields do."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class MeetingQuerySet(ActivitiesQuerySet):
    def chronological(self):
        """Oldest first, unknown dates last; within a day, the shorter span first."""
        return self.order_by(models.F("start_date").asc(nulls_last=True), SPAN_RANK, "title", "pk")

    def newest_first(self):
        """Newest first, unknown dates last; within a day, the shorter span first."""
        return self.order_by(models.F("start_date").desc(nulls_last=True), SPAN_RANK, "title", "pk")

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
        """The next ``count`` upcoming meetings, soonest first (see ``next_upcoming_keys``)."""
        return self.filter(pk__in=self.next_upcoming_keys(count)).chronological()

    def next_upcoming_keys(self, count):
        """The keys of the next ``count`` upcoming meetings, soonest first, whatever this
        queryset's filters.

        Which ones they are is kept until the content or the day changes: found among
        thousands of past meetings once, not on every home page, list and dashboard.
        """
        today = timezone.localdate()
        return page_cache.cached_for_content(
            f"upcoming-meetings:{today.isoformat()}:{count}",
            lambda: list(
                Meeting.objects.upcoming(today).chronological().values_list("pk", flat=True)[:count]
            ),
        )

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

    def for_brief_list(self):
        """What a short list of meetings shows (title, dates, status, such as the home page's
        next and latest meetings), fetched up front: those columns and the postponements."""
        return self.only(
            "slug", "title", "start_date", "end_date", "date_precision", "status"
        ).prefetch_related(
            models.Prefetch(
                "date_changes",
                queryset=MeetingDateChange.objects.order_by("previous_start"),
                to_attr="postponements",
            )
        )

    def with_outcomes(self):
        """What a meeting's page shows, fetched up front, each relation with the columns the
        page reads: a page of one meeting reads a dozen small relations, and building each
        query over every translated column was most of its cost. The parent meeting and its
        replacement are read when set (rarely), not joined on every page; the actions it
        served are the page's rows (``Action.objects.as_rows``). Of its invitation, only the
        recording of a webinar (``recording_link``, None without an invitation)."""
        return (
            self.select_related("host_country", "participation")
            .annotate(recording_link=models.F("invitation__recording_link"))
            .prefetch_related(
                # Its organisers, co-chairs and organisations present: ``partners_by_role``.
                # In the order of their meeting's rows, not joined to it to sort by it.
                models.Prefetch(
                    "results", queryset=MeetingResult.objects.order_by("position", "pk")
                ),
                models.Prefetch(
                    "date_changes", queryset=MeetingDateChange.objects.order_by("previous_start")
                ),
            )
        )

    def side_events_of(self, meeting):
        """The side events of ``meeting`` as the meetings list's rows (``as_rows``, with their
        actions), newest first.

        Which ones they are is kept until the content changes: most meetings have none, and
        asking on every visit of their page cost a twentieth of it. Three queries at most,
        none for a meeting without side events.
        """
        # Sorted by parent first (the same order within one parent): SQLite's statistics
        # count the meetings without a parent as one value, so sorted by date alone its
        # planner walked every meeting in date order rather than the parent's index.
        keys = page_cache.cached_for_content(
            f"side-events:{meeting.pk}",
            lambda: list(
                Meeting.objects.filter(parent=meeting)
                .order_by("parent_id", *Meeting._meta.ordering)
                .values_list("pk", flat=True)
            ),
        )
        if not keys:
            return []
        rows = {
            row["pk"]: row
            for row in self.filter(pk__in=keys).order_by().as_rows(actions=True, all_changes=False)
        }
        return [rows[key] for key in keys if key in rows]

    def in_year(self, year):
        """Meetings dated in ``year``, and those that were planned for it before being moved."""
        # The postponements as a subquery rather than a join: a meeting comes once without
        # DISTINCT, which compared every column of every row (the long texts too).
        moved = MeetingDateChange.objects.filter(previous_start__year=year).values("meeting_id")
        return self.filter(Q(start_date__year=year) | Q(pk__in=moved))

    def page_keys(self):
        """The meetings' primary keys, in this queryset's order: a list's page is found by key,
        then its rows fetched by key (``as_rows``), not sorted as whole rows."""
        # Not named keys(): dict() takes anything with a keys() method for a mapping, and a
        # queryset of meetings passed to it (dict(values_list(...))) then fails.
        # Under a name of its own: selected as "pk", the key would be ordered by its position
        # ("1") rather than by name, which reads as a list without its final, total, order.
        return self.annotate(page_key=models.F("pk")).values_list("page_key", flat=True)

    def paginate(self, number, count, per_page=PAGE_SIZE):
        """Page ``number`` of these meetings, as ``portal_lib.pagination.paginate`` gives it
        (an odd or out-of-range number gives the first or last page), with ``count``, their
        number, known beforehand (``MeetingFilter.count``); the page's ``object_list`` holds
        its meetings' keys, found in this order, for ``as_rows``."""
        paginator = Paginator(self, per_page)
        # Known: not counted again (``count`` is a cached property of the paginator).
        paginator.count = count
        page = paginator.get_page(number)
        start = (page.number - 1) * per_page
        page.object_list = list(self.page_keys()[start : start + per_page])
        return page

    def as_rows(self, actions=False, all_changes=True):
        """The meetings as plain rows (dicts), in this queryset's order, for lists of many: a
        calendar year holds hundreds of meetings, and a model instance per meeting (with its
        translated fields' fallbacks) and a related manager per meeting were most of the time.

        Each row holds ``pk``, ``slug``, ``kind``, ``status``, ``start_date``, ``title``,
        ``url``, ``kind_label`` and ``status_label``; ``dates``, ``place`` and
        ``postponement`` as the meeting's ``dates_display``, ``place_display`` and
        ``postponement_display`` give them; ``changes``, its postponements oldest first (with
        ``all_changes`` False, only those of the postponed and undated meetings, the only ones
        ``dates`` and ``postponement`` read: none asked for when there are none); and with
        ``actions``, ``actions``: "Action 3, Action 12". Text is in the active language.
        Three queries at most, whatever the number of meetings.
        """
        language = get_language()
        titles, cities = columns_in_turn("title"), columns_in_turn("city")
        countries = columns_in_turn("name", "host_country__")
        fields = ["pk", "slug", "kind", "start_date", "end_date", "date_precision", "format"]
        # The columns of each language, the fallbacks applied below as modeltranslation's
        # fields apply them (the first that is neither empty nor None), without an instance.
        rows = [
            Row(row) for row in self.raw_values(*fields, "status", *titles, *cities, *countries)
        ]
        if not rows:
            return rows
        keys = [row["pk"] for row in rows]
        moved = (
            keys
            if all_changes
            else [
                row["pk"]
                for row in rows
                if row["status"] == Meeting.Status.POSTPONED or row["start_date"] is None
            ]
        )
        changes = {}
        if moved:
            for change in MeetingDateChange.objects.filter(meeting_id__in=moved).order_by(
                "previous_start"
            ):
                changes.setdefault(change.meeting_id, []).append(change)
        numbers = {}
        if actions:
            served = (
                Meeting.actions.through.objects.filter(meeting_id__in=keys)
                .order_by("action__number")
                .values_list("meeting_id", "action__number")
            )
            action_label = gettext("Action %(number)s")
            for key, number in served:
                numbers.setdefault(key, []).append(action_label % {"number": number})
        # Reversed and translated once, not once per row.
        detail = address_pattern("meetings:detail", "slug")
        kinds = {value: str(label) for value, label in Meeting.Kind.choices}
        statuses = {value: str(label) for value, label in Meeting.Status.choices}
        for row in rows:
            row["title"] = first_filled(row, titles)
            city, country = first_filled(row, cities), first_filled(row, countries)
            row["changes"] = row_changes = changes.get(row["pk"], [])
            start = row["start_date"]
            row["url"] = detail.format(slug=row["slug"])
            row["kind_label"] = kinds.get(row["kind"], row["kind"])
            row["status_label"] = statuses.get(row["status"], row["status"])
            end, precision = row["end_date"], row["date_precision"]
            row["dates"] = (
                str(describe_dates(start, end, precision, row_changes))
                if start is None and row_changes
                else span_text(start, end, precision, language)
            )
            row["place"] = str(describe_place(row["format"], city, country))
            row["postponement"] = str(describe_postponement(row["status"], start, row_changes))
            if actions:
                row["actions"] = ", ".join(numbers.get(row["pk"], ()))
        return rows


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
    invited_non_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="meetings_invited_to",
        verbose_name=_("invited non-partners"),
        help_text=_("Countries or organisations outside the Dialogue invited to take part."),
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
    # Set when the Secretariat first marks attendance: from then on the participation figures
    # are counted from the records (``participation_figures``), not typed.
    attendance_recorded = models.BooleanField(
        _("attendance recorded"), default=False, editable=False
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
        """Its dates as precisely as they are known; for a postponed meeting without a new
        date, the dates last announced (never "date not known" when a date was announced)."""
        # The postponements only when they are shown: a list that did not fetch them would
        # otherwise ask for each meeting's.
        changes = self.postponement_list if self.start_date is None else []
        if changes:
            return describe_dates(self.start_date, self.end_date, self.date_precision, changes)
        # Formatted once per process for each span and language (``span_text``), as the
        # lists' rows are: pages list a few meetings each, with dates shared by many.
        return span_text(self.start_date, self.end_date, self.date_precision, get_language())

    @property
    def postponement_list(self):
        """Its postponements, oldest first: the list ``for_brief_list`` fetches, else a prefetch
        of ``date_changes``, else one query (a meeting without a pk has none)."""
        changes = getattr(self, "postponements", None)
        if changes is None:
            changes = list(self.date_changes.all()) if self.pk else []
        return sorted(changes, key=lambda change: change.previous_start)

    @property
    def postponement_display(self):
        """For a postponed meeting, the dates it was postponed from and whether its new date
        is set ("postponed from 2–3 June 2020, 20–21 October 2020; new date to be set");
        "" for any other meeting."""
        if self.status != self.Status.POSTPONED:
            return ""
        return describe_postponement(self.status, self.start_date, self.postponement_list)

    @property
    def first_planned_date(self):
        """The first date it was planned for, or None. Uses the postponements fetched up front:
        the list that ``for_brief_list`` fetches, else a prefetch of ``date_changes``."""
        changes = self.postponement_list
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
        # No host country asked for (perhaps a query) when the meeting is shown as online.
        online = self.format == self.Format.VIRTUAL and not self.city
        host = self.host_country.name if self.host_country_id and not online else ""
        return describe_place(self.format, self.city, host)

    @cached_property
    def chairmanship(self):
        """The chairmanship the meeting fell under (by its first day), or None."""
        if self.start_date is None:
            return None
        return Chairmanship.objects.troika(on=self.start_date).current

    def partners_by_role(self):
        """The partners that organised, co-chaired and (as typed into its figures) were present
        at the meeting: {"organisers", "co_chairs", "organisations_present"}, each a list in
        the partners' order, read in one query rather than one per relation."""
        roles = {
            "organisers": Meeting.organisers.through.objects.filter(meeting_id=self.pk),
            "co_chairs": Meeting.co_chairs.through.objects.filter(meeting_id=self.pk),
            "organisations_present": Participation.organisations_present.through.objects.filter(
                participation__meeting_id=self.pk
            ),
        }
        partners = (
            Partner.objects.only("slug", "name", "short_name")
            .annotate(
                **{
                    f"in_{role}": models.Exists(links.filter(partner_id=models.OuterRef("pk")))
                    for role, links in roles.items()
                }
            )
            .filter(
                functools.reduce(
                    operator.or_,
                    (Q(pk__in=links.values("partner_id")) for links in roles.values()),
                )
            )
        )
        by_role = {role: [] for role in roles}
        for partner in partners:
            for role, listed in by_role.items():
                if getattr(partner, f"in_{role}"):
                    listed.append(partner)
        return by_role

    def participation_figures(self):
        """Who took part: counted from the attendance records when there are any, else the
        figures typed into the admin, else None (see ``participation_figures`` below)."""
        return participation_figures(self)

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


def _url_by_pk(name, pk):
    """``reverse(name, kwargs={"pk": pk})``, from ``address_pattern``."""
    return address_pattern(name, "pk").format(pk=int(pk))


def document_file_name(document, filename):
    return random_file_name("documents", filename)


class DocumentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Document.Visibility.PUBLIC)

    def restricted(self):
        # Named rather than "not public": a condition an index on the visibility serves.
        restricted = [v for v in Document.Visibility if v != Document.Visibility.PUBLIC]
        return self.filter(visibility__in=restricted)

    def visible_to(self, user):
        """The documents ``user`` may see: of each visibility, if its rule lets them."""
        return self.filter(visibility__in=Document.audiences_of(user))

    def restricted_to(self, user):
        """The restricted documents ``user`` may see: ``visible_to(user).restricted()`` in one
        condition. With two, SQLite read the index entries of every visibility ``user`` may
        see (the public ones too) and checked each against the other: eight times the cost
        of counting the restricted documents, and a third of sorting them."""
        public = Document.Visibility.PUBLIC
        audiences = [
            visibility for visibility in Document.audiences_of(user) if visibility != public
        ]
        return self.filter(visibility__in=audiences)

    def with_date(self):
        """Each document with ``dated``: its publication, or else the first day of the latest
        meeting it comes from (minutes and conclusions often have no date of their own)."""
        if "dated" in self.query.annotations:
            return self
        # MAX rather than the first row sorted: a list sorted by date computes it for every
        # undated row, and each sort was a temporary B-tree.
        latest_meeting = (
            Meeting.objects.filter(documents=models.OuterRef("pk"))
            .order_by()
            .annotate(latest=Func(models.F("start_date"), function="MAX"))
            .values("latest")
        )
        return self.annotate(dated=Coalesce("published_on", models.Subquery(latest_meeting)))

    def newest_first(self):
        """Newest first by the document's date (``with_date``)."""
        return self.with_date().order_by(models.F("dated").desc(nulls_last=True), "title", "pk")

    def for_listing(self):
        """The columns a list of documents shows (those of ``as_rows``), not the descriptions
        in each language, nor any meeting (a row names none; the profile of the library
        showed that prefetch as pure cost)."""
        return self.only(
            "title", "kind", "language", "published_on", "visibility", "file", "file_size", "url"
        )

    def as_rows(self, dated=False):
        """The documents as plain rows (dicts), in this queryset's order, for
        ``meetings/document_rows.html``: a list's rows built in one pass, each value prepared
        once per list (an address reversed, a label translated, a month or a size formatted),
        where an include per row doing each of those was most of a list's time.

        Each row holds ``pk``, ``title``, ``url`` (its page), ``details`` ("Report · French ·
        March 2020"), ``badge`` (who may see a restricted document, "" for a public one),
        ``download_url`` and ``size`` (its file's, "" without one) and ``link`` (where it is
        kept elsewhere, "" without one). With ``dated``, a document without a publication
        date is dated by its latest meeting ("meeting of 2019"): from ``with_date`` if this
        queryset has it, or else in one more query for the undated rows alone. Text is in the
        active language. One query, or two with ``dated``, whatever the number of documents.
        """
        language = get_language()
        titles = columns_in_turn("title")
        fields = ["pk", "kind", "language", "published_on", "visibility", "file", "file_size"]
        has_date = dated and "dated" in self.query.annotations
        columns = [*fields, "url", *titles, *(["dated"] if has_date else [])]
        rows = [Row(row) for row in self.raw_values(*columns)]
        if dated and not has_date:
            # The latest meeting's first day, as ``with_date`` computes it in SQL.
            undated = [row["pk"] for row in rows if row["published_on"] is None]
            latest = {}
            if undated:
                starts = Document.meetings.through.objects.filter(
                    document_id__in=undated, meeting__start_date__isnull=False
                ).values_list("document_id", "meeting__start_date")
                for key, start in starts:
                    latest[key] = max(start, latest.get(key, start))
            for row in rows:
                row["dated"] = row["published_on"] or latest.get(row["pk"])
        if not rows:
            return rows
        # Reversed and translated once for the list, not once per row; only the labels shown.
        page = address_pattern("meetings:document", "pk")
        download = address_pattern("meetings:document-download", "pk")
        kinds = _labels(Document.Kind, {row["kind"] for row in rows})
        languages = _labels(Document.Language, {row["language"] for row in rows})
        members, focal_points = gettext("members of partners"), gettext("focal points only")
        meeting_of = {}
        for row in rows:
            row["title"] = first_filled(row, titles)
            row["link"] = row.pop("url")
            row["url"] = page.format(pk=row["pk"])
            details = [kinds[row["kind"]]]
            if row["language"]:
                details.append(languages[row["language"]])
            published_on, dated_on = row["published_on"], row.get("dated")
            if published_on:
                # The month and year, as a meeting's span of a month writes them, kept for
                # the month's first day: lists repeat a few hundred months.
                month = published_on.replace(day=1)
                details.append(span_text(month, None, DatePrecision.MONTH, language))
            elif dated_on:
                year = dated_on.year
                if year not in meeting_of:
                    meeting_of[year] = gettext("meeting of %(year)s") % {
                        "year": date_format(dated_on, "Y")
                    }
                details.append(meeting_of[year])
            row["details"] = " · ".join(details)
            visibility = row["visibility"]
            row["badge"] = (
                ""
                if visibility == Document.Visibility.PUBLIC
                else members
                if visibility == Document.Visibility.MEMBERS
                else focal_points
            )
            has_file = bool(row["file"])
            row["download_url"] = download.format(pk=row["pk"]) if has_file else ""
            row["size"] = file_size_text(row["file_size"], language) if has_file else ""
        return rows


def _labels(choices, values):
    """{value: label} of ``choices`` (a ``TextChoices``) for ``values``, translated; a value
    that is not a choice is its own label."""
    labels = dict(choices.choices)
    return {value: str(labels.get(value, value)) for value in values}


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
    # Empty where no source says: a language is never assumed.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("Leave empty where the language is not known."),
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

    @classmethod
    def audiences_of(cls, user):
        """The visibilities of the documents ``user`` may see."""
        return [visibility for visibility, may_see in cls.AUDIENCES.items() if may_see(user)]

    def get_absolute_url(self):
        return _url_by_pk("meetings:document", self.pk)

    def get_download_url(self):
        if self.file:
            return _url_by_pk("meetings:document-download", self.pk)
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


# The meeting run by the portal: invitation, delegations, registration, attendance, evaluation.

DEFAULT_VISA_LETTER = _(
    "The Secretariat of the Rabat Process (Euro-African Dialogue on Migration and Development) "
    "has the honour to confirm that {name}, {function}, {institution}, is invited by the "
    "Dialogue to take part in the {meeting}, to be held in {place} on {dates}, as a member of "
    "the delegation of {partner}.\n\nWe should be grateful if the competent authorities would "
    "grant {name} the visa needed to attend."
)


class MeetingInvitation(models.Model):
    """The Secretariat's call for delegations to an upcoming meeting: who is invited, how many
    seats each delegation has, the profile sought, the deadlines, and the practical information
    registered participants receive."""

    class Audience(models.TextChoices):
        ALL = "all", _("All partners")
        REGION = "region", _("The partners of a region")
        STEERING_COMMITTEE = "steering_committee", _("The Steering Committee")
        CHOSEN = "chosen", _("Chosen partners and organisations")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="invitation", verbose_name=_("meeting")
    )
    audience = models.CharField(
        _("invited"), max_length=20, choices=Audience.choices, default=Audience.CHOSEN
    )
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=Partner._meta.get_field("region").choices,
        blank=True,
        help_text=_("For an invitation to the partners of a region."),
    )
    partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("chosen partners and organisations"),
        help_text=_("Invited in addition to the audience above."),
    )
    other_invitees = models.TextField(
        _("invited non-partners"),
        blank=True,
        help_text=_(
            "Names and addresses of guests who are not partners; the Secretariat writes "
            "to them itself."
        ),
    )
    seats_per_delegation = models.PositiveSmallIntegerField(_("seats per delegation"), default=2)
    profile_sought = models.TextField(
        _("profile sought"),
        blank=True,
        help_text=_("E.g. national technical experts on border management."),
    )
    nomination_deadline = models.DateTimeField(_("nominations close"))
    registration_deadline = models.DateTimeField(_("registration closes"))
    practical_information = models.TextField(
        _("practical information"),
        blank=True,
        help_text=_("Venue, hotels, transport: sent to each participant who registers."),
    )
    join_link = models.URLField(
        _("join link"),
        max_length=500,
        blank=True,
        help_text=_("For a virtual or hybrid meeting: shown to registered participants only."),
    )
    recording_link = models.URLField(
        _("recording"),
        max_length=500,
        blank=True,
        help_text=_("A webinar's recording, published on its page after the event."),
    )
    visa_letter = models.TextField(
        _("invitation letter for visas"),
        blank=True,
        help_text=_(
            "The letter's text. {name}, {function}, {institution}, {partner}, {meeting}, {place} "
            "and {dates} are replaced by the participant's and the meeting's details. Empty: the "
            "standard letter."
        ),
    )
    reminder_interval = models.DurationField(
        _("reminders at most every"),
        default=datetime.timedelta(days=3),
        help_text=_("A partner that has not answered is reminded at most this often."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_deadline__gte=models.F("nomination_deadline")),
                name="meeting_invitation_registration_after_nomination",
                violation_error_message=_("Registration cannot close before nominations do."),
            )
        ]

    def __str__(self):
        return str(self.meeting)

    def invited_partners(self):
        """The partners this invitation reaches: its audience and the chosen ones."""
        members = Partner.objects.dialogue_members()
        if self.audience == self.Audience.ALL:
            invited = members
        elif self.audience == self.Audience.REGION:
            invited = members.filter(region=self.region) if self.region else Partner.objects.none()
        elif self.audience == self.Audience.STEERING_COMMITTEE:
            invited = Partner.objects.filter(
                pk__in=SteeringCommitteeMembership.objects.current().values("partner")
            )
        else:
            invited = Partner.objects.none()
        chosen = self.partners.all() if self.pk else Partner.objects.none()
        return Partner.objects.filter(
            Q(pk__in=invited.values("pk")) | Q(pk__in=chosen.values("pk"))
        )

    @property
    def nominations_open(self):
        return self.sent_at is not None and timezone.now() <= self.nomination_deadline

    @property
    def registration_open(self):
        return timezone.now() <= self.registration_deadline

    def letter_text(self):
        return self.visa_letter or str(DEFAULT_VISA_LETTER)


class DelegationQuerySet(models.QuerySet):
    def of(self, partner):
        return self.filter(partner=partner)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Delegation(models.Model):
    """One invited partner's delegation to a meeting: created when the invitation is sent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("meeting")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("partner")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["meeting", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "partner"], name="one_delegation_per_partner_and_meeting"
            )
        ]

    def __str__(self):
        return f"{self.partner} – {self.meeting}"


class Profile(models.TextChoices):
    """A participant's profile, as the report counts them."""

    NATIONAL_TECHNICAL_EXPERT = "national_technical_expert", _("National technical expert")
    GOVERNMENT = "government", _("Government representative")
    DIPLOMATIC = "diplomatic", _("Diplomatic or non-technical profile")
    ORGANISATION = "organisation", _("Organisation representative")
    EXTERNAL_EXPERT = "external_expert", _("External expert")


# Each profile's field among the typed figures (Participation), so both read alike.
PROFILE_FIELD = {
    Profile.NATIONAL_TECHNICAL_EXPERT: "national_technical_experts",
    Profile.EXTERNAL_EXPERT: "external_experts",
    Profile.GOVERNMENT: "government_representatives",
    Profile.ORGANISATION: "organisation_representatives",
    Profile.DIPLOMATIC: "non_technical_profile",
}
TECHNICAL_PROFILES = (Profile.NATIONAL_TECHNICAL_EXPERT, Profile.EXTERNAL_EXPERT)


class DelegateQuerySet(models.QuerySet):
    def of_meeting(self, meeting):
        return self.filter(delegation__meeting=meeting)

    def accepted(self):
        return self.filter(status=Delegate.Status.ACCEPTED)

    def registered(self):
        return self.accepted().filter(registered_at__isnull=False)

    def attended(self):
        return self.filter(attended=True)

    def seated(self):
        """Those who hold a seat: nominated or accepted (not wait-listed or declined)."""
        return self.filter(status__in=[Delegate.Status.NOMINATED, Delegate.Status.ACCEPTED])

    def for_listing(self):
        return self.select_related("delegation__partner").order_by(
            "delegation__partner__name", "name", "pk"
        )


class Delegate(models.Model):
    """A person a focal point named for their delegation, then their registration, attendance
    and whether they answered the evaluation. Personal data: anonymised some time after the
    meeting (``services.anonymise_past_meetings``); the profile, partner and attendance stay,
    for the figures."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Wait-listed")
        DECLINED = "declined", _("Declined")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remotely")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("delegation")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=320)
    function = models.CharField(_("function"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    profile = models.CharField(_("profile"), max_length=30, choices=Profile.choices)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    mode = models.CharField(
        _("attends"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON
    )
    needs_visa_letter = models.BooleanField(
        _("needs an invitation letter for a visa"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=255, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=255, blank=True)
    arrival = models.CharField(
        _("arrival"), max_length=255, blank=True, help_text=_("E.g. flight and time of arrival.")
    )
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    evaluation_sent_at = models.DateTimeField(_("evaluation sent"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluation answered"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(_("nominated"), default=timezone.now)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["delegation", "name", "pk"]
        indexes = [models.Index(fields=["delegation", "status"])]

    def __str__(self):
        return self.name

    @property
    def partner(self):
        return self.delegation.partner

    @property
    def meeting(self):
        return self.delegation.meeting


class EvaluationQuestion(models.Model):
    """One question of a meeting's evaluation form, which the Secretariat defines."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Free text")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="evaluation_questions",
        verbose_name=_("meeting"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.text


# The default questionnaire: what the report's evaluation forms asked.
DEFAULT_QUESTIONS = [
    (
        EvaluationQuestion.Kind.RATING,
        "How useful was the meeting?",
        "La réunion vous a-t-elle été utile ?",
    ),
    (
        EvaluationQuestion.Kind.YES_NO,
        "Can you use what you learned in your job?",
        "Pouvez-vous utiliser ce que vous avez appris dans votre travail ?",
    ),
    (
        EvaluationQuestion.Kind.RATING,
        "How useful was the meeting for networking with your peers?",
        "La réunion vous a-t-elle été utile pour nouer des contacts avec vos homologues ?",
    ),
    (EvaluationQuestion.Kind.TEXT, "Any other comment?", "Autres commentaires ?"),
]


class EvaluationResponse(models.Model):
    """One participant's answers to the evaluation, kept apart from who they are: nothing links
    it to a delegate (the delegate only records that they answered)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("meeting"),
    )
    # The day only, not the time: a time could be matched to the delegate's ``evaluated_at``.
    submitted_on = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self):
        return f"{self.meeting} ({self.submitted_on})"


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_from_1_to_5",
            ),
        ]

    def __str__(self):
        return str(self.question)


class _Listed(list):
    """A list that answers ``.all()``, as the typed figures' related manager does."""

    def all(self):
        return self


class ComputedParticipation:
    """A meeting's participation counted from its attendance records: the same attributes as the
    typed ``Participation``, so that every page, chart and report reads either alike."""

    is_computed = True
    reported_technical_share = None
    reported_non_technical_share = None
    profile = ""

    def __init__(self, meeting, rows):
        """``rows``: (partner id, partner kind, region, partner, profile) of each attendee."""
        self.meeting = meeting
        self.participants = len(rows)
        partners = {row[0]: row for row in rows}
        countries = [row for row in partners.values() if row[1] == Partner.Kind.COUNTRY]
        organisations = [row for row in partners.values() if row[1] != Partner.Kind.COUNTRY]
        self.delegations = len(partners)
        self.partner_countries = len(countries)
        self.african_countries = sum(1 for row in countries if row[2] and "africa" in row[2])
        self.european_countries = sum(1 for row in countries if row[2] == "europe")
        self.organisations = len(organisations)
        self.organisations_present = _Listed(
            sorted((row[3] for row in organisations), key=lambda partner: partner.name)
        )
        for field in PROFILE_FIELD.values():
            setattr(self, field, 0)
        for row in rows:
            field = PROFILE_FIELD[row[4]]
            setattr(self, field, getattr(self, field) + 1)

    PROFILE_FIELDS = Participation.PROFILE_FIELDS

    @property
    def profile_breakdown(self):
        if not self.participants:
            return []
        return [
            (Participation._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.PROFILE_FIELDS
        ]

    profile_shares = []

    @property
    def technical_share(self):
        if not self.participants:
            return None
        technical = self.national_technical_experts + self.external_experts
        return round(100 * technical / self.participants)


def participation_figures(meeting):
    """The participation of ``meeting`` the portal shows: computed from its attendance records
    when it has any, else the figures typed into the admin (``Participation``), else None. The
    answer's ``is_computed`` says which. One query for a meeting with records, none otherwise
    (with ``participation`` selected up front)."""
    if "_participation_figures" in meeting.__dict__:
        return meeting.__dict__["_participation_figures"]
    figures = None
    if meeting.attendance_recorded:
        attendees = (
            Delegate.objects.of_meeting(meeting)
            .attended()
            .select_related("delegation__partner")
            .only("profile", "delegation__partner")
        )
        rows = [
            (
                d.delegation.partner_id,
                d.delegation.partner.kind,
                d.delegation.partner.region,
                d.delegation.partner,
                d.profile,
            )
            for d in attendees
        ]
        figures = ComputedParticipation(meeting, rows)
    else:
        figures = getattr(meeting, "participation", None)
        if figures is not None:
            figures.is_computed = False
    meeting.__dict__["_participation_figures"] = figures
    return figures
