"""Consultations: rounds in which the Secretariat asks the partners' focal points for their
answer, the answers and the reminders sent to those who have not answered."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focalpoints.models import Partner, Region, SteeringCommitteeMembership, User
from focalpoints.permissions import active_membership, is_secretariat
from portal_lib.storage import PrivateFileField, random_file_name
from portal_lib.uploads import store_by_detected_type, validate_upload


def consultation_file_name(instance, filename):
    return random_file_name("consultations", filename)


def _in_force(start, end, day):
    """Whether a seat from ``start`` until ``end`` (either unknown: None) is held on ``day``,
    as ``SteeringCommitteeMembership.objects.current`` reads it."""
    return (start is None or start <= day) and (end is None or end > day)


class ConsultationQuerySet(models.QuerySet):
    def addressed_to(self, partner):
        """The consultations whose audience includes ``partner``: the rules of
        ``Consultation.addressed_partners``, read from the partner's side. Observers are never
        consulted."""
        if partner.status != Partner.Status.PARTNER:
            return self.none()
        audience = Consultation.Audience
        today = timezone.localdate()
        # The Steering Committee as it stood when the consultation opened (today for one not
        # yet open), as ``addressed_partners`` reads it. The partner's few seats are read first
        # and become plain conditions on the opening day: a subquery per consultation cost
        # more to build than the rest of the dashboard's consultations.
        seats = list(
            SteeringCommitteeMembership.objects.filter(partner=partner)
            .order_by()
            .values_list("start", "end")
        )
        seated_at_opening = Q(pk__in=[])
        for start, end in seats:
            seat = Q(opens_on__isnull=False)
            if start is not None:
                seat &= Q(opens_on__gte=start)
            if end is not None:
                seat &= Q(opens_on__lt=end)
            seated_at_opening |= seat
        on_committee = Q(opens_on__lte=today) & seated_at_opening
        if any(_in_force(start, end, today) for start, end in seats):
            on_committee |= Q(opens_on__gt=today)
        chosen = Consultation.partners.through.objects.filter(partner=partner).values(
            "consultation_id"
        )
        return self.filter(
            Q(audience=audience.ALL)
            | Q(audience=audience.REGION, region=partner.region)
            | (Q(audience=audience.STEERING_COMMITTEE) & on_committee)
            | Q(audience=audience.CHOSEN, pk__in=chosen)
        )

    def visible_to(self, user):
        """Every consultation for the Secretariat; those addressed to their partner for an
        active member; none for anyone else (another partner's consultation answers 404)."""
        if is_secretariat(user):
            return self
        membership = active_membership(user)
        return self.addressed_to(membership.partner) if membership else self.none()

    def for_list(self):
        """What a row of a list of consultations shows (title, dates), not the question and
        its translations."""
        return self.only("title", "opens_on", "closes_on")

    def open_on(self, day):
        """Consultations open on ``day``: from their opening day to their closing day."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class ConsultationManager(models.Manager.from_queryset(ConsultationQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Consultation(models.Model):
    """A round in which the Secretariat asks the partners' focal points for their answer."""

    class Audience(models.TextChoices):
        ALL = "all", _("All partners")
        REGION = "region", _("The partners of one region")
        STEERING_COMMITTEE = "steering_committee", _("The Steering Committee")
        CHOSEN = "chosen", _("Chosen partners")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    question = models.TextField(
        _("question"), help_text=_("What the partners are asked, or what to comment on.")
    )
    attachment = PrivateFileField(
        _("document to comment"),
        upload_to=consultation_file_name,
        blank=True,
        validators=[validate_upload],
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("size in bytes"), null=True, blank=True, editable=False
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("For an audience of one region."),
    )
    partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="consultations_addressed",
        verbose_name=_("chosen partners"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    announced_at = models.DateTimeField(
        _("announced"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the consulted focal points were told by e-mail that it is open."),
    )

    objects = ConsultationManager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_it_opens",
                violation_error_message=_("A consultation cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("consultations:consultation", kwargs={"pk": self.pk})

    def get_download_url(self):
        return reverse("consultations:consultation-file", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.audience == self.Audience.REGION and not self.region:
            raise ValidationError({"region": _("Choose the region the consultation is for.")})

    @property
    def is_open(self):
        return self.opens_on <= timezone.localdate() <= self.closes_on

    @property
    def is_closed(self):
        return timezone.localdate() > self.closes_on

    def addressed_partners(self):
        """The partners asked to answer: Dialogue partners (not observers) in the audience."""
        partners = Partner.objects.filter(status=Partner.Status.PARTNER)
        if self.audience == self.Audience.REGION:
            return partners.filter(region=self.region)
        if self.audience == self.Audience.STEERING_COMMITTEE:
            on = min(self.opens_on, timezone.localdate())
            members = SteeringCommitteeMembership.objects.current(on).values("partner")
            return partners.filter(pk__in=members)
        if self.audience == self.Audience.CHOSEN:
            return partners.filter(pk__in=self.partners.values("pk"))
        return partners

    def is_addressed_to(self, partner):
        return Consultation.objects.addressed_to(partner).filter(pk=self.pk).exists()

    def save(self, *args, **kwargs):
        store_by_detected_type(self, "attachment")
        super().save(*args, **kwargs)


class ConsultationAnswer(models.Model):
    """A partner's answer to a consultation, given by one of its focal points."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("consultation"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="consultation_answers",
        verbose_name=_("partner"),
    )
    text = models.TextField(_("answer"))
    attachment = PrivateFileField(
        _("attached file"),
        upload_to=consultation_file_name,
        blank=True,
        validators=[validate_upload],
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB at most."),
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("size in bytes"), null=True, blank=True, editable=False
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("answered by")
    )
    created_at = models.DateTimeField(_("first answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["consultation", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "partner"],
                name="consultation_one_answer_per_partner",
                violation_error_message=_("This partner has already answered."),
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.consultation}"

    def get_download_url(self):
        return reverse(
            "consultations:answer-file",
            kwargs={"pk": self.consultation_id, "answer_pk": self.pk},
        )

    def save(self, *args, **kwargs):
        store_by_detected_type(self, "attachment")
        super().save(*args, **kwargs)


class ConsultationReminder(models.Model):
    """A reminder sent to a partner that had not answered: kept so none is sent twice too soon."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("consultation"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        # Named as when it was created in focalpoints, whose table this model took over.
        indexes = [
            models.Index(
                fields=["consultation", "partner", "sent_at"], name="focalpoints_consult_94a316_idx"
            )
        ]

    def __str__(self):
        return f"{self.partner}, {self.sent_at:%Y-%m-%d}"
