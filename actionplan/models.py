"""Action plans of the Dialogue (domains, objectives, actions, cross-cutting priorities), reference
countries, and the recommendations of the stocktaking reports with their follow-up.

Each plan is a row: the Marrakesh plan (2018–2020) and the Cadiz plan (2023–2027) live side by
side, and every number (domain, objective, action, priority, recommendation) is unique within its
plan, as the plans number them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from focalpoints.models import Partner
from portal_lib import page_cache
from portal_lib.rows import address_pattern, columns_in_turn, first_filled


class ActionPlanQuerySet(models.QuerySet):
    def current(self, today=None):
        """The plan the portal shows by default (home page, navigation, coverage), or None.

        The plan the Secretariat marked as current if there is one; otherwise the plan whose
        period covers ``today`` (default: today's date); otherwise the latest plan already
        started (between two plans the last one stays in force); otherwise the newest. One query.
        """
        year = (today or timezone.localdate()).year
        # Which plan it is is kept until the content or the year changes: choosing among a few
        # plans cost more to build as a query than reading the one chosen.
        key = page_cache.cached_for_content(
            f"current-plan:{year}", lambda: ActionPlan.objects.current_key(year)
        )
        return None if key is None else self.filter(pk=key).first()

    def current_key(self, year):
        """The primary key of ``current()``'s plan in ``year``, chosen among these plans."""
        return (
            self.annotate(
                covers_today=Case(
                    When(start_year__lte=year, end_year__gte=year, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                started=Case(
                    When(start_year__lte=year, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("-marked_current", "-covers_today", "-started", "-start_year", "-pk")
            .values_list("pk", flat=True)
            .first()
        )

    def in_force_on(self, date):
        """The plan whose period covers ``date`` (the latest to start if two overlap), or None:
        what a meeting of that date served, whichever plan is current today."""
        if date is None:
            return None
        return (
            self.filter(start_year__lte=date.year, end_year__gte=date.year)
            .order_by("-start_year", "-pk")
            .first()
        )

    def archive(self, today=None):
        """Every plan, newest first, each with ``is_current`` set: the archive's list."""
        current = self.current(today)
        plans = list(self.order_by("-start_year", "-pk"))
        for plan in plans:
            plan.is_current = current is not None and plan.pk == current.pk
        return plans

    def with_structure(self):
        """Fetch domains, their objectives and actions, and the priorities in four queries."""
        # Each part links to its page through its plan's slug: fetch the plan with it.
        return self.prefetch_related(
            Prefetch(
                "domains",
                queryset=Domain.objects.select_related("plan")
                .prefetch_related(
                    Prefetch(
                        "objectives",
                        queryset=Objective.objects.prefetch_related(
                            Prefetch(
                                "actions",
                                queryset=Action.objects.select_related("plan").order_by("number"),
                            )
                        ).order_by("number"),
                    )
                )
                .order_by("number"),
            ),
            Prefetch("priorities", queryset=CrossCuttingPriority.objects.order_by("number")),
        )


class ActionPlanManager(models.Manager.from_queryset(ActionPlanQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ActionPlan(models.Model):
    """An action plan adopted by a Euro-African Ministerial Conference."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at = models.CharField(
        _("adopted at"), max_length=255, blank=True, help_text=_("The conference that adopted it.")
    )
    description = models.TextField(_("description"), blank=True)
    marked_current = models.BooleanField(
        _("marked as current"),
        default=False,
        help_text=_(
            "Tick to show this plan as the current one whatever today's date (at most one plan). "
            "Leave unticked to let the plan whose period covers today be the current one."
        ),
    )
    # What public sources announce of a plan whose structure is not recorded yet: pages show the
    # domains, objectives and actions not yet entered as gaps ("to be completed").
    announced_domains = models.PositiveSmallIntegerField(
        _("number of domains announced"),
        null=True,
        blank=True,
        help_text=_("As the sources give it, while the domains are not all entered."),
    )
    announced_objectives = models.PositiveSmallIntegerField(
        _("number of objectives announced"), null=True, blank=True
    )
    announced_actions = models.PositiveSmallIntegerField(
        _("number of actions announced"), null=True, blank=True
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the facts recorded about this plan come from."),
    )

    objects = ActionPlanManager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="action_plan_ends_after_it_starts",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
            models.UniqueConstraint(
                fields=["marked_current"],
                condition=Q(marked_current=True),
                name="action_plan_at_most_one_marked_current",
                violation_error_message=_(
                    "Another action plan is already marked as current: untick it first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.period}"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("actionplan:plan", kwargs={"plan": self.slug})

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}"

    def is_in_force_on(self, date):
        return self.start_year <= date.year <= self.end_year

    def domains_to_complete(self):
        """The numbers of the domains the sources announce but nobody has entered yet (reads
        ``domains.all()``, so prefetched domains cost no query)."""
        if not self.announced_domains:
            return []
        entered = {domain.number for domain in self.domains.all()}
        return [n for n in range(1, self.announced_domains + 1) if n not in entered]

    @cached_property
    def entered_counts(self):
        """``(domains, objectives, actions)`` entered, read through ``domains.all()`` so that
        ``with_structure()`` answers it without a query."""
        domains = list(self.domains.all())
        objectives = [o for domain in domains for o in domain.objectives.all()]
        actions = sum(len(objective.actions.all()) for objective in objectives)
        return len(domains), len(objectives), actions

    @property
    def structure_incomplete(self):
        """Whether the sources announce more domains, objectives or actions than are entered."""
        announced = (self.announced_domains, self.announced_objectives, self.announced_actions)
        return any(
            count and entered < count
            for count, entered in zip(announced, self.entered_counts, strict=True)
        )

    @property
    def key_figures(self):
        """``(domains, objectives, actions)`` as pages give them: the numbers the sources
        announce while the structure is incomplete, else the numbers entered."""
        announced = (self.announced_domains, self.announced_objectives, self.announced_actions)
        return tuple(
            max(count or 0, entered)
            for count, entered in zip(announced, self.entered_counts, strict=True)
        )


class PlanPartManager(models.Manager):
    """Looks up a numbered part of a plan by its natural key: the plan's slug and its number."""

    def get_by_natural_key(self, plan_slug, number):
        return self.get(plan__slug=plan_slug, number=number)


class NumberedInPlan(models.Model):
    """A part of a plan numbered within it, as the plan numbers it (Action 19, Domain 4)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("action plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))

    objects = PlanPartManager()

    class Meta:
        abstract = True
        ordering = ["plan", "number"]

    def natural_key(self):
        return (self.plan.slug, self.number)

    natural_key.dependencies = ["actionplan.actionplan"]

    @classmethod
    def unique_number_constraint(cls, name):
        return models.UniqueConstraint(
            fields=["plan", "number"],
            name=name,
            violation_error_message=_("This number is already used in this action plan."),
        )


class Domain(NumberedInPlan):
    """One of a plan's priority domains (five in the Marrakesh plan)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="domains", verbose_name=_("action plan")
    )
    title = models.CharField(_("title"), max_length=255)
    full_title = models.CharField(
        _("full title"), max_length=255, blank=True, help_text=_("The longer wording, if any.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta(NumberedInPlan.Meta):
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [NumberedInPlan.unique_number_constraint("domain_unique_number_in_plan")]

    def __str__(self):
        return _("Domain %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("actionplan:domain", kwargs={"plan": self.plan.slug, "number": self.number})


class PartOfDomain(NumberedInPlan):
    """A numbered part whose plan is its domain's: kept in step so numbers stay unique per plan."""

    class Meta(NumberedInPlan.Meta):
        abstract = True

    def plan_from_parent(self):
        raise NotImplementedError

    def clean(self):
        super().clean()
        plan_id = self.plan_from_parent()
        if plan_id is not None:
            self.plan_id = plan_id

    def validate_constraints(self, exclude=None):
        # The plan is not on the admin's form (it follows the parent), but the uniqueness of
        # the number within the plan must still be checked there rather than fail on save.
        if exclude and self.plan_id is not None:
            exclude = set(exclude) - {"plan"}
        super().validate_constraints(exclude=exclude)

    def save(self, *args, **kwargs):
        plan_id = self.plan_from_parent()
        if plan_id is not None:
            self.plan_id = plan_id
        super().save(*args, **kwargs)


class Objective(PartOfDomain):
    """One of a domain's objectives (two per domain in the Marrakesh plan)."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("action plan"),
        editable=False,
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("domain")
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("full wording"), blank=True, help_text=_("The objective as the plan words it in full.")
    )

    class Meta(NumberedInPlan.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [NumberedInPlan.unique_number_constraint("objective_unique_number_in_plan")]

    def __str__(self):
        return _("Objective %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def plan_from_parent(self):
        return self.domain.plan_id if self.domain_id else None


class ActionQuerySet(models.QuerySet):
    def with_domain(self):
        return self.select_related("objective__domain", "plan")

    def as_rows(self):
        """The actions as plain rows (dicts), in this queryset's order, for a page that links
        to a few: ``pk``, ``number``, ``title`` (its own, "" without one), ``label`` ("Action
        3"), ``url`` and ``domain`` (its domain as the domain's ``str`` names it: "Domain 1:
        ..."), in the active language. One query, each plan's address reversed once: an
        instance per action with its objective, domain and plan, and an include and an
        address reversed per action, cost a meeting's page as much as the rest of its facts.
        """
        titles = columns_in_turn("title")
        domain_titles = columns_in_turn("title", "objective__domain__")
        rows = list(
            self.raw_values(
                "pk", "number", "plan__slug", "objective__domain__number", *titles, *domain_titles
            )
        )
        label, domain = gettext("Action %(number)s"), gettext("Domain %(number)s: %(title)s")
        for row in rows:
            address = address_pattern("actionplan:action", "number", plan=row["plan__slug"])
            # The fallbacks applied as modeltranslation's fields apply them (the first that
            # is neither empty nor None), without an instance.
            row["title"] = first_filled(row, titles)
            row["url"] = address.format(number=row["number"])
            row["label"] = label % {"number": row["number"]}
            row["domain"] = domain % {
                "number": row["objective__domain__number"],
                "title": first_filled(row, domain_titles),
            }
        return rows


class ActionManager(PlanPartManager.from_queryset(ActionQuerySet)):
    pass


class Action(PartOfDomain):
    """One of an objective's actions; the plan's actions are numbered in one sequence (1–23)."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("action plan"),
        editable=False,
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("objective")
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty until the plan's wording is known: pages then say so."),
    )
    description = models.TextField(_("wording"), blank=True)
    wording_confirmed = models.BooleanField(
        _("wording confirmed"),
        default=False,
        help_text=_("Tick once the title and wording are checked against the adopted plan."),
    )
    framework_items = models.ManyToManyField(
        "FrameworkItem",
        through="FrameworkMapping",
        blank=True,
        related_name="actions",
        verbose_name=_("framework items"),
    )

    objects = ActionManager()

    class Meta(NumberedInPlan.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [NumberedInPlan.unique_number_constraint("action_unique_number_in_plan")]

    def __str__(self):
        if self.title:
            return _("Action %(number)s: %(title)s") % {"number": self.number, "title": self.title}
        return _("Action %(number)s") % {"number": self.number}

    def plan_from_parent(self):
        return self.objective.plan_id if self.objective_id else None

    def get_absolute_url(self):
        return reverse("actionplan:action", kwargs={"plan": self.plan.slug, "number": self.number})

    @property
    def domain(self):
        return self.objective.domain


class CrossCuttingPriority(NumberedInPlan):
    """A priority that runs across all domains (six in the Marrakesh Political Declaration)."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="priorities",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta(NumberedInPlan.Meta):
        verbose_name = _("cross-cutting priority")
        verbose_name_plural = _("cross-cutting priorities")
        constraints = [NumberedInPlan.unique_number_constraint("priority_unique_number_in_plan")]

    def __str__(self):
        return f"({self.number}) {self.title}"


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Framework(models.Model):
    """A reference framework the Dialogue's plans are read against: the Joint Valletta Action
    Plan's domains, the Global Compact for Migration's objectives, the SDG targets on migration."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=40)
    item_name = models.CharField(
        _("name of an item"), max_length=40, help_text=_("What the framework calls its items.")
    )
    source = models.CharField(
        _("source"), max_length=255, help_text=_("The text that adopted the items' wording.")
    )
    source_url = models.URLField(_("address of the source"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = FrameworkManager()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("actionplan:framework-coverage", kwargs={"framework": self.slug})


class FrameworkItemQuerySet(models.QuerySet):
    def in_order(self):
        """In the frameworks' order, each with its framework (its label reads it)."""
        return self.select_related("framework").order_by("framework__position", "position")

    def inherited_by(self, activity):
        """The items an activity (a meeting, a labelled project, an idea: anything with an
        ``actions`` relation) inherits from the actions it serves, in the frameworks' order."""
        return (
            self.filter(mappings__action__in=activity.actions.all())
            .select_related("framework")
            .order_by("framework__position", "position")
            .distinct()
        )


class FrameworkItemManager(models.Manager.from_queryset(FrameworkItemQuerySet)):
    def get_by_natural_key(self, framework_slug, code):
        return self.get(framework__slug=framework_slug, code=code)


class FrameworkItem(models.Model):
    """One item of a framework, as the framework numbers and words it (GCM Objective 10,
    SDG target 10.7, JVAP domain 4)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    code = models.CharField(_("number"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)
    wording_confirmed = models.BooleanField(
        _("wording confirmed"),
        default=True,
        help_text=_(
            "Untick when the wording (in either language) still has to be checked against the "
            "official text: pages then say so."
        ),
    )

    objects = FrameworkItemManager()

    class Meta:
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="framework_item_unique_code",
                violation_error_message=_("This number is already used in this framework."),
            ),
        ]

    def __str__(self):
        return f"{self.framework.short_name} {self.code}: {self.title}"

    def natural_key(self):
        return (self.framework.slug, self.code)

    natural_key.dependencies = ["actionplan.framework"]

    @property
    def label(self):
        """Short: "GCM 10", "SDG 10.7"."""
        return f"{self.framework.short_name} {self.code}"


class FrameworkMappingManager(models.Manager):
    def get_by_natural_key(self, plan_slug, action_number, framework_slug, code):
        return self.get(
            action__plan__slug=plan_slug,
            action__number=action_number,
            item__framework__slug=framework_slug,
            item__code=code,
        )


class FrameworkMapping(models.Model):
    """That an action of a plan serves an item of a framework: one cell of a comparative table.
    Meetings, labelled projects and ideas inherit the mappings of the actions they serve."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("action")
    )
    item = models.ForeignKey(
        FrameworkItem,
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("framework item"),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the correspondence is stated, if a document states it."),
    )

    objects = FrameworkMappingManager()

    class Meta:
        verbose_name = _("correspondence with a framework")
        verbose_name_plural = _("correspondences with frameworks")
        ordering = ["action", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "item"],
                name="framework_mapping_once",
                violation_error_message=_("This action is already mapped to this item."),
            ),
        ]

    def __str__(self):
        return f"{self.action} ↔ {self.item}"

    def natural_key(self):
        return (self.action.plan.slug, self.action.number, *self.item.natural_key())

    natural_key.dependencies = ["actionplan.action", "actionplan.frameworkitem"]


# What a labelled project's row shows in a public list (not its summary and objectives in each
# language): the columns the labelling app's lists, the partner page and the action page fetch.
# Named here, below labelling, so that the action page reads them without importing it.
LABELLED_PROJECT_COLUMNS = [
    "kind",
    "title",
    "slug",
    "start_date",
    "end_date",
    "lead_partner__name",
    "meeting__start_date",
    "meeting__end_date",
    "meeting__date_precision",
]


class ActivitiesQuerySet(models.QuerySet):
    """Vocabulary shared by the querysets of activities that serve actions (meetings, labelled
    projects, ideas): through their actions they inherit the actions' framework items."""

    def mapped_to(self, item):
        """The activities serving at least one action mapped to ``item`` (a FrameworkItem)."""
        return self.filter(actions__mappings__item=item).distinct()

    def serving_plan(self, plan):
        """The activities serving at least one action of ``plan``."""
        return self.filter(actions__plan=plan).distinct()


class ReferenceCountryQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("partner", "domain__plan")


class ReferenceCountryManager(models.Manager.from_queryset(ReferenceCountryQuerySet)):
    def get_by_natural_key(self, plan_slug, domain_number, partner_slug):
        return self.get(
            domain__plan__slug=plan_slug, domain__number=domain_number, partner__slug=partner_slug
        )


class ReferenceCountry(models.Model):
    """A partner that follows the implementation of one domain (system launched in 2019)."""

    class Status(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Volunteered")
        CONFIRMED = "confirmed", _("Confirmed")

    domain = models.ForeignKey(
        Domain,
        on_delete=models.CASCADE,
        related_name="reference_countries",
        verbose_name=_("domain"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="reference_country_roles",
        verbose_name=_("partner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VOLUNTEERED
    )
    is_associate = models.BooleanField(
        _("associate"),
        default=False,
        help_text=_("An associate reference country (the report writes it in brackets)."),
    )

    objects = ReferenceCountryManager()

    class Meta:
        verbose_name = _("reference country")
        verbose_name_plural = _("reference countries")
        ordering = ["domain__plan", "domain__number", "is_associate", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "partner"],
                name="reference_country_once_per_domain",
                violation_error_message=_("This partner is already a reference country here."),
            ),
        ]

    def __str__(self):
        name = f"({self.partner})" if self.is_associate else str(self.partner)
        return f"{name}: {self.domain}"

    def natural_key(self):
        return (self.domain.plan.slug, self.domain.number, self.partner.slug)

    natural_key.dependencies = ["actionplan.domain", "focalpoints.partner"]

    def clean(self):
        super().clean()
        if self.partner_id and self.partner.kind != Partner.Kind.COUNTRY:
            raise ValidationError({"partner": _("A reference country must be a country.")})


class Recommendation(NumberedInPlan):
    """A recommendation of the stocktaking report on a plan (R1–R10 for Marrakesh)."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The line of the report's summary table.")
    )
    proposal = models.TextField(
        _("proposal"), blank=True, help_text=_("What the report proposes, in its own words.")
    )

    class Meta(NumberedInPlan.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            NumberedInPlan.unique_number_constraint("recommendation_unique_number_in_plan")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self):
        return f"R{self.number}"


class RecommendationPart(models.Model):
    """One sub-section of a recommendation's full text, as the stocktaking report structures it
    (context, role of the Steering Committee, proposal, expected results, the recommendation…)."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("recommendation"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    heading = models.CharField(
        _("heading"), max_length=255, blank=True, help_text=_("Empty for an opening paragraph.")
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Markdown: **bold**, *italics*, lists, footnotes [^1] with [^1]: … at the end."
        ),
    )

    class Meta:
        verbose_name = _("part of the recommendation")
        verbose_name_plural = _("parts of the recommendation")
        ordering = ["recommendation", "position", "pk"]

    def __str__(self):
        return self.heading or f"{self.recommendation.code} ({self.position})"


class RecommendationFollowUp(models.Model):
    """What was done about a recommendation, and when: one row per step."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Implemented")
        ON_HOLD = "on_hold", _("On hold")

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("recommendation"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    description = models.TextField(_("what was done"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["recommendation", "date", "pk"]

    def __str__(self):
        return f"{self.recommendation.code}, {self.date:%Y-%m-%d}"
