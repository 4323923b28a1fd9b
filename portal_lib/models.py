"""Every e-mail the portal sends, one row per message (``portal_lib.notifications``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One message to one address: rendered and stored when its event happens, sent by a
    Celery task once the event's transaction has committed.

    ``pending`` rows are sent (or sent again) by ``portal_lib.tasks``; a row is claimed before
    sending (``claim_token`` and ``claimed_until``), so two workers never send the same one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: the person's preference or account")

    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"), max_length=320)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    text_body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Files sent with the message (a meeting's .ics, an invitation letter), each
    # {"filename", "mimetype", "content"} with the content in base64, as rendered at the event.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The body holds a secret (an invitation's link): emptied once the message has left.
    secret = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The admin's list (newest first, by status or kind) and the sweep of pending rows.
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.email}"
