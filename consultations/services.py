"""What is done with consultations: answering one, its response rates, reminders."""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import Consultation, ConsultationAnswer, ConsultationReminder
from consultations.permissions import can_answer_consultation
from focalpoints.models import Membership, Region
from focalpoints.permissions import active_membership
from portal_lib.notifications import notify
from portal_lib.refusals import ActionRefused


def answer_consultation(consultation, user, *, text, attachment=None):
    """Record (or replace) the answer of ``user``'s partner while the consultation is open."""
    if not can_answer_consultation(user, consultation):
        if consultation.is_closed:
            raise ActionRefused(_("This consultation is closed: answers can no longer change."))
        raise ActionRefused(_("Only a focal point of a consulted partner can answer."))
    partner = active_membership(user).partner
    with transaction.atomic():
        answer, _created = ConsultationAnswer.objects.select_for_update().get_or_create(
            consultation=consultation,
            partner=partner,
            defaults={"text": text, "answered_by": user},
        )
        answer.text = text
        answer.answered_by = user
        if attachment:
            answer.attachment = attachment
        answer.full_clean()
        answer.save()
    return answer


@dataclass
class ResponseRate:
    label: str
    answered: int
    consulted: int

    @property
    def percent(self):
        return round(100 * self.answered / self.consulted) if self.consulted else 0


def response_rates(consultation):
    """The response rate overall and by region, and the partners that have and have not answered.

    Returns ``(overall, by_region, answered_partners, missing_partners)``.
    """
    consulted = list(consultation.addressed_partners().order_by("name"))
    answered_ids = set(consultation.answers.values_list("partner_id", flat=True))
    answered = [p for p in consulted if p.pk in answered_ids]
    missing = [p for p in consulted if p.pk not in answered_ids]
    by_region = []
    for value, label in [*Region.choices, ("", _("Organisations"))]:
        in_region = [p for p in consulted if p.region == value]
        if in_region:
            done = sum(1 for p in in_region if p.pk in answered_ids)
            by_region.append(ResponseRate(str(label), done, len(in_region)))
    overall = ResponseRate(_("All partners"), len(answered), len(consulted))
    return overall, by_region, answered, missing


def _reminder_context(consultation, partner, recipient):
    with translation.override(recipient.language):
        link = settings.SITE_URL + consultation.get_absolute_url()
    return {"consultation": consultation, "partner": partner, "user": recipient.user, "link": link}


def send_reminders(consultation, now=None):
    """E-mail the focal points of each consulted partner that has not answered, unless it was
    reminded within ``CONSULTATION_REMINDER_INTERVAL_DAYS``. Returns the partners reminded."""
    now = now or timezone.now()
    if not consultation.is_open:
        raise ActionRefused(_("Reminders are sent only while a consultation is open."))
    interval = datetime.timedelta(days=settings.CONSULTATION_REMINDER_INTERVAL_DAYS)
    reminded = []
    _overall, _regions, _answered, missing = response_rates(consultation)
    last_reminders = dict(
        ConsultationReminder.objects.filter(consultation=consultation)
        .values("partner")
        .annotate(last=Max("sent_at"))
        .values_list("partner", "last")
    )
    memberships = (
        Membership.objects.active()
        .focal_points()
        .filter(partner__in=missing)
        .select_related("user", "partner")
    )
    by_partner = {}
    for membership in memberships:
        by_partner.setdefault(membership.partner_id, []).append(membership.user)
    for partner in missing:
        last = last_reminders.get(partner.pk)
        if (last and now - last < interval) or not by_partner.get(partner.pk):
            continue
        with transaction.atomic():
            # Two Secretariat members pressing the button at once: the second one sees the
            # first one's row once it has the lock, and sends nothing.
            locked = type(partner).objects.select_for_update().get(pk=partner.pk)
            recent = ConsultationReminder.objects.filter(
                consultation=consultation, partner=locked, sent_at__gt=now - interval
            ).exists()
            if recent:
                continue
            users = by_partner[partner.pk]
            ConsultationReminder.objects.create(
                consultation=consultation, partner=locked, sent_at=now, recipients=len(users)
            )
            # Recorded with the reminder: both or neither, and sent once they are committed.
            notify(
                "consultations.reminder",
                "consultation-reminder",
                users,
                functools.partial(_reminder_context, consultation, partner),
            )
        reminded.append(partner)
    return reminded


def announce_open_consultations(today=None, *, among=None):
    """Tell the focal points of the consulted partners, each in their language, of every
    consultation (of ``among``, a queryset, if given) open ``today`` (today by default) that was
    not announced yet: once each, however often this runs. Returns the consultations announced."""
    today = today or timezone.localdate()
    announced = []
    candidates = (among if among is not None else Consultation.objects.all()).open_on(today)
    for pk in candidates.filter(announced_at=None).values_list("pk", flat=True):
        with transaction.atomic():
            consultation = (
                Consultation.objects.select_for_update().filter(pk=pk, announced_at=None).first()
            )
            if consultation is None:  # announced meanwhile by another run
                continue
            consultation.announced_at = timezone.now()
            consultation.save(update_fields=["announced_at"])
            users = [
                membership.user
                for membership in Membership.objects.active()
                .focal_points()
                .filter(partner__in=consultation.addressed_partners())
                .select_related("user", "partner")
            ]
            notify(
                "consultations.opened",
                "consultation-opened",
                users,
                functools.partial(_opened_context, consultation),
            )
        announced.append(consultation)
    return announced


def _opened_context(consultation, recipient):
    with translation.override(recipient.language):
        link = settings.SITE_URL + consultation.get_absolute_url()
    return {"consultation": consultation, "user": recipient.user, "link": link}
