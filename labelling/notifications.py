"""The e-mails of the labelling workflow: each transition tells the applicant partner's members
and the Secretariat, each person in their own language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from focalpoints.permissions import secretariat_accounts
from portal_lib.emails import render_email


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
    """E-mail everyone concerned by ``event`` (a ``LabellingEvent``) but its author; return the
    messages sent. They go over one connection."""
    labelling_request = event.request
    messages = []
    for user in recipients(labelling_request, exclude=event.actor):
        context = {
            "event": event,
            "labelling_request": labelling_request,
            "recipient": user,
            "link": request_link(labelling_request, user.language),
        }
        messages.append(
            render_email("labelling-transition", context, user.language, to=[user.email])
        )
    if messages:
        get_connection().send_messages(messages)
    return messages
