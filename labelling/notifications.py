"""The e-mails of the labelling workflow: each transition tells the applicant partner's members
and the Secretariat, each person in their own language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from focalpoints.permissions import secretariat_accounts
from portal_lib.notifications import notify


def recipients(labelling_request, exclude=None):
    """Active members of the lead partner and the Secretariat's active staff, each once, except
    ``exclude`` (the person who made the change)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(membership__partner=labelling_request.lead_partner_id, membership__is_active=True)
            | Q(pk__in=secretariat_accounts().values("pk"))
        )
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.distinct().order_by("email"))


def request_link(labelling_request, language):
    with translation.override(language):
        return settings.SITE_URL + reverse("labelling:request", kwargs={"pk": labelling_request.pk})


def send_transition_emails(event):
    """E-mail everyone concerned by ``event`` (a ``LabellingEvent``) but its author, once the
    transaction commits (``portal_lib.notifications.notify``); returns the deliveries."""
    labelling_request = event.request

    def context(recipient):
        return {
            "event": event,
            "labelling_request": labelling_request,
            "recipient": recipient.user,
            "link": request_link(labelling_request, recipient.language),
        }

    return notify(
        "labelling.transition",
        "labelling-transition",
        recipients(labelling_request, exclude=event.actor),
        context,
    )
