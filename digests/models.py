"""E-mail digests: the Secretariat's schedule and a record of each digest owed to a member."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestSchedule(models.Model):
    """When the digests go out: one row, edited by the Secretariat in the admin.

    Celery beat ticks every hour and asks this row whether a run is due, so that changing the
    day or the hour needs no restart and no database-backed scheduler.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]

    weekly_weekday = models.PositiveSmallIntegerField(
        _("day of the weekly digest"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    weekly_hour = models.PositiveSmallIntegerField(
        _("hour of the weekly digest"),
        choices=HOURS,
        default=7,
        help_text=_("In the portal's time zone."),
    )
    daily_hour = models.PositiveSmallIntegerField(
        _("hour of the daily digest"),
        choices=HOURS,
        default=7,
        help_text=_("In the portal's time zone."),
    )

    class Meta:
        verbose_name = _("digest schedule")
        verbose_name_plural = _("digest schedule")

    def __str__(self):
        return str(_("Digest schedule"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The schedule, created with its defaults the first time it is asked for."""
        schedule, _created = cls.objects.get_or_create(pk=1)
        return schedule


class DigestDelivery(models.Model):
    """One recipient's digest for one period ("weekly:2026-W48", "daily:2026-11-29").

    The row is inserted (claimed) before the e-mail is sent; the unique constraint makes a second
    run, or a second worker, fail to claim it, so nobody gets the same digest twice.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NOTHING_NEW = "nothing_new", _("Nothing new: not sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        verbose_name=_("recipient"),
    )
    period = models.CharField(_("period"), max_length=32)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CLAIMED
    )
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    since = models.DateTimeField(_("changes since"))
    until = models.DateTimeField(_("changes until"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-claimed_at", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period"], name="digest_delivery_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["recipient", "status", "until"]),
        ]

    def __str__(self):
        return f"{self.recipient} ({self.period})"

    @property
    def frequency(self):
        return self.period.split(":", 1)[0]
