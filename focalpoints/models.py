"""Accounts and the partners of the Dialogue: countries, organisations, chairs, Committee."""

import datetime
import functools
import itertools
import operator
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal_lib.dates import date_format
from portal_lib.rows import columns_in_turn, first_filled
from portal_lib.text import sort_key


class UserManager(DjangoUserManager):
    """Users are known by their e-mail address; there is no separate user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: Secretariat staff, a focal point or a partner's staff member."""

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        FRENCH = "fr", "Français"

    class DigestFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        DAILY = "daily", _("Daily")
        OFF = "off", _("Never")

    class Notifications(models.TextChoices):
        IMMEDIATE = "immediate", _("As they happen")
        DIGEST = "digest", _("In the digest only")
        OFF = "off", _("Never")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The portal's e-mails are written in this language."),
    )
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    digest_frequency = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    notifications = models.CharField(
        _("notifications of new comments and interest"),
        max_length=10,
        choices=Notifications.choices,
        default=Notifications.IMMEDIATE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.is_active:
            # However the account was disabled (its form, a bulk action, a script), an open
            # invitation to it would be a way back in.
            Invitation.objects.pending().addressed_to(self).update(revoked_at=timezone.now())


class Region(models.TextChoices):
    """The report's four geographic regions; organisations have none."""

    CENTRAL_AFRICA = "central_africa", _("Central Africa")
    WEST_AFRICA = "west_africa", _("West Africa")
    NORTH_AFRICA = "north_africa", _("North Africa")
    EUROPE = "europe", _("Europe")


class PartnerQuerySet(models.QuerySet):
    def countries(self):
        return self.filter(kind=Partner.Kind.COUNTRY)

    def organisations(self):
        return self.filter(kind=Partner.Kind.ORGANISATION)

    def dialogue_members(self):
        """Dialogue partners and observers: neither invited non-partners nor the Secretariat."""
        return self.exclude(status__in=[Partner.Status.INVITED, Partner.Status.SECRETARIAT])

    def with_steering_committee_flag(self, on=None):
        """Annotate ``on_steering_committee``: a member of the Committee on that day (today)."""
        on = on or timezone.localdate()
        current = SteeringCommitteeMembership.objects.current(on).filter(
            partner=models.OuterRef("pk")
        )
        return self.annotate(on_steering_committee=models.Exists(current))

    def as_rows(self):
        """The partners as plain rows (dicts), in this queryset's order, for lists of many: a
        model instance per partner (with its translated fields' fallbacks) cost more than the
        rest of reading it.

        Each row holds ``pk``, ``slug``, ``kind``, ``region``, ``status``,
        ``is_partner_organisation``, and ``name`` and ``short_name`` in the active language (or
        the first other that has one, as the partner's fields read); and
        ``on_steering_committee`` where ``with_steering_committee_flag`` annotated it.
        """
        names, short_names = columns_in_turn("name"), columns_in_turn("short_name")
        fields = ["pk", "slug", "kind", "region", "status", "is_partner_organisation"]
        if "on_steering_committee" in self.query.annotations:
            fields.append("on_steering_committee")
        rows = []
        for row in self.raw_values(*fields, *names, *short_names):
            row["name"] = first_filled(row, names)
            row["short_name"] = first_filled(row, short_names)
            rows.append(row)
        return rows


class PartnerManager(models.Manager.from_queryset(PartnerQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Partner(models.Model):
    """A country or an organisation taking part in the Dialogue (or invited to one meeting)."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        ORGANISATION = "organisation", _("Organisation")

    class Status(models.TextChoices):
        PARTNER = "partner", _("Dialogue partner")
        OBSERVER = "observer", _("Observer")
        INVITED = "invited", _("Invited non-partner")
        # ICMPD runs the Secretariat: neither a partner nor an observer.
        SECRETARIAT = "secretariat", _("Secretariat of the Dialogue")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("An acronym such as ECOWAS.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=2, blank=True, help_text=_("Two letters; countries only.")
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PARTNER
    )
    is_partner_organisation = models.BooleanField(
        _("partner organisation"),
        default=False,
        help_text=_("An organisation that is a partner of the Dialogue, such as the EU or ECOWAS."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = PartnerManager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~Q(iso_code=""),
                name="partner_iso_code_unique",
                violation_error_message=_("Another partner already has this ISO code."),
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation", iso_code="", region="") | Q(kind="country"),
                name="partner_organisation_without_country_fields",
                violation_error_message=_("An organisation has neither an ISO code nor a region."),
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation") | Q(is_partner_organisation=False),
                name="partner_organisation_flag_only_for_organisations",
                violation_error_message=_("Only an organisation can be a partner organisation."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    # Its page is composed above this app: get_absolute_url comes from ABSOLUTE_URL_OVERRIDES.

    @property
    def display_name(self):
        """The short name where the Dialogue uses one (EU, ECOWAS), else the full name."""
        return self.short_name or self.name


class SteeringCommitteeMembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) | Q(start__isnull=True)).filter(
            Q(end__isnull=True) | Q(end__gt=on)
        )


class SteeringCommitteeMembershipManager(
    models.Manager.from_queryset(SteeringCommitteeMembershipQuerySet)
):
    def get_by_natural_key(self, partner_slug, start):
        return self.get(partner__slug=partner_slug, start=start)


class SteeringCommitteeMembership(models.Model):
    """A partner's seat on the Steering Committee over a span of time."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="steering_committee_memberships",
        verbose_name=_("partner"),
    )
    start = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Leave empty where the start is not known.")
    )
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while in force."))
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = SteeringCommitteeMembershipManager()

    class Meta:
        verbose_name = _("Steering Committee membership")
        verbose_name_plural = _("Steering Committee memberships")
        ordering = ["partner__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gt=models.F("start")),
                name="steering_committee_membership_ends_after_start",
                violation_error_message=_("A membership ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["partner", "start"],
                name="steering_committee_membership_unique_start",
                violation_error_message=_("This partner already has a membership from that date."),
            ),
        ]

    def __str__(self):
        return str(self.partner)

    def natural_key(self):
        return (*self.partner.natural_key(), self.start)

    natural_key.dependencies = ["focalpoints.partner"]


class DatePrecision(models.TextChoices):
    """How much of a recorded date is known: sources often give only a year."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class ChairmanshipQuerySet(models.QuerySet):
    def in_order(self):
        """All chairmanships, oldest first, with ``effective_end`` set on each.

        A chairmanship whose start is unknown sorts by its end; one whose end is not recorded
        ends when the next one starts. The table holds one row per year of the Dialogue, so
        ordering it in Python is cheaper than reading it twice.
        """
        chairs = sorted(
            self.select_related("partner"),
            key=lambda c: (c.start or c.end or datetime.date.max, c.start is not None),
        )
        for chair, following in itertools.zip_longest(chairs, chairs[1:]):
            chair.effective_end = chair.end or (following.start if following else None)
            chair.has_successor = following is not None
            chair.successor = following
        return chairs

    def troika(self, on=None, chairs=None):
        """The previous, current and next chair on ``on`` (today by default), any may be None;
        among ``chairs``, where the caller has this queryset's ``in_order()`` already.

        Returns a ``Troika`` named tuple; ``current`` is the chair whose term covers the day.
        """
        on = on or timezone.localdate()
        if chairs is None:
            chairs = self.in_order()
        covering = [i for i in range(len(chairs)) if _term_covers(chairs, i, on)]
        # Where a term's start is unknown, the term whose start is known is the safer answer.
        known = [i for i in covering if chairs[i].start is not None]
        index = (known or covering or [None])[-1]
        if index is None:
            past = [c for c in chairs if c.effective_end and c.effective_end <= on]
            upcoming = [c for c in chairs if c.start and c.start > on]
            return Troika(past[-1] if past else None, None, upcoming[0] if upcoming else None)
        return Troika(
            chairs[index - 1] if index > 0 else None,
            chairs[index],
            chairs[index + 1] if index + 1 < len(chairs) else None,
        )


def _term_covers(chairs, index, on):
    """Whether chairs[index] (from ``in_order()``) was in office on ``on``, as far as is known."""
    chair = chairs[index]
    if chair.effective_end is not None and chair.effective_end <= on:
        return False
    if chair.start is not None:
        return chair.start <= on
    # An unknown start lies after the previous term's start, whatever it was.
    previous = chairs[index - 1] if index > 0 else None
    return previous is None or (previous.start is not None and previous.start < on)


class Troika(NamedTuple):
    """The previous, current and next chairmanships (each a ``Chairmanship`` or None)."""

    previous: "Chairmanship | None"
    current: "Chairmanship | None"
    next: "Chairmanship | None"


class ChairmanshipManager(models.Manager.from_queryset(ChairmanshipQuerySet)):
    def get_by_natural_key(self, partner_slug, start, end):
        return self.get(partner__slug=partner_slug, start=start, end=end)


class Chairmanship(models.Model):
    """A partner's term as chair of the Dialogue; the chair alternates between Africa and Europe."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="chairmanships", verbose_name=_("partner")
    )
    start = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Leave empty where the start is not known.")
    )
    start_precision = models.CharField(
        _("precision of the start"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Where only the year is known, enter 1 January of that year and choose Year."),
    )
    end = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the term ends as the next one starts."),
    )
    end_precision = models.CharField(
        _("precision of the end"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Where only the year is known, enter 1 January of that year and choose Year."),
    )
    occasion = models.CharField(
        _("occasion"),
        max_length=255,
        blank=True,
        help_text=_("The meeting at which the chairmanship was taken over."),
    )

    objects = ChairmanshipManager()

    class Meta:
        verbose_name = _("chairmanship")
        verbose_name_plural = _("chairmanships")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=False) | Q(end__isnull=False),
                name="chairmanship_start_or_end_known",
                violation_error_message=_("Enter at least the start or the end of the term."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gt=models.F("start")),
                name="chairmanship_ends_after_start",
                violation_error_message=_("A chairmanship ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["start"],
                name="chairmanship_unique_start",
                violation_error_message=_("Another chairmanship starts on that date."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.term_display})"

    def natural_key(self):
        return (*self.partner.natural_key(), self.start, self.end)

    natural_key.dependencies = ["focalpoints.partner"]

    @property
    def start_display(self):
        """The start as precisely as it is known: "2015", "June 2019" or "3 June 2019"."""
        return _date_display(self.start, self.start_precision)

    @property
    def end_display(self):
        """The end as precisely as it is known: the recorded end, else the next term's start as
        precisely as that is known (never a day the sources do not give), else ""."""
        if self.end is not None:
            return _date_display(self.end, self.end_precision)
        successor = getattr(self, "successor", None)
        return successor.start_display if successor is not None else ""

    @property
    def term_display(self):
        """The term for display, each end as precisely as it is known ("2015 – 2016",
        "… – 21 March 2017", "2016 – …" where the end is unknown, "2025 –" while in office);
        ``in_order()`` fills in ends that only the next term gives."""
        start = self.start_display or "…"
        end = self.end_display
        if end:
            return f"{start} – {end}"
        return f"{start} – …" if getattr(self, "has_successor", False) else f"{start} –"


def _date_display(value, precision):
    """``value`` as precisely as ``precision`` says it is known, "" when it is None."""
    if value is None:
        return ""
    formats = {
        DatePrecision.YEAR: "Y",
        DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
        DatePrecision.DAY: "DATE_FORMAT",
    }
    return date_format(value, formats[precision])


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def focal_points(self):
        return self.filter(role__in=Membership.FOCAL_POINT_ROLES)

    def as_directory(self):
        """The memberships as the directory of focal points lists them: plain rows (dicts),
        each with ``partner`` (its name in the active language, or the first other that has
        one), ``name`` (the person's full name), ``role_label``, ``email`` and ``phone``;
        ordered by partner as its name is shown, role and surname, capitals and accents aside.

        One query, without a model instance per membership, person and partner (a directory
        of hundreds). Sorted here rather than by the database: in French, a partner without a
        French name would come last on PostgreSQL and first on SQLite, and SQLite would put
        "Égypte" after "Zambie"."""
        names = columns_in_turn("name", "partner__")
        roles = {value: str(label) for value, label in Membership.Role.choices}
        rank = {value: position for position, value in enumerate(Membership.Role.values)}
        entries = []
        for row in self.order_by().values(
            "role", "user__first_name", "user__last_name", "user__email", "user__phone", *names
        ):
            partner = first_filled(row, names)
            order = (sort_key(partner), rank.get(row["role"]), sort_key(row["user__last_name"]))
            entries.append(
                (
                    order,
                    {
                        "partner": partner,
                        "name": f"{row['user__first_name']} {row['user__last_name']}".strip(),
                        "role_label": roles.get(row["role"], row["role"]),
                        "email": row["user__email"],
                        "phone": row["user__phone"],
                    },
                )
            )
        entries.sort(key=operator.itemgetter(0))
        return [entry for _order, entry in entries]


class Membership(models.Model):
    """A person's place in a partner: their role, and whether it is in force.

    One membership per person: the Secretariat moves someone by changing its partner.
    """

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("National Focal Point")
        ALTERNATE = "alternate", _("Alternate focal point")
        STAFF = "staff", _("Partner staff")

    FOCAL_POINT_ROLES = (Role.FOCAL_POINT, Role.ALTERNATE)

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("person")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("partner")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to suspend access without deleting it.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["partner__name", "role", "user__last_name"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.partner})"

    @property
    def is_focal_point(self):
        return self.role in self.FOCAL_POINT_ROLES


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def addressed_to(self, user):
        """Invitations sent to one of ``user``'s addresses: its own, or one allauth keeps."""
        addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
        return self.filter(
            functools.reduce(operator.or_, (Q(email__iexact=address) for address in addresses))
        )


class Invitation(models.Model):
    """The Secretariat's invitation to a person to join the portal for a partner, in a role.

    The link it sends carries a random token; only its SHA-256 is stored, so a leaked database
    gives no usable link. It is used once, and expires.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partner")
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=User.Language.choices, default=User.Language.ENGLISH
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("account"),
        editable=False,
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.partner})"

    @property
    def state(self):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING
