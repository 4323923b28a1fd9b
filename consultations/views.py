import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations import permissions, services
from consultations.forms import ConsultationAnswerForm
from consultations.models import Consultation, ConsultationAnswer
from focalpoints.models import Membership
from focalpoints.permissions import active_membership, can_use_private_area
from portal_lib.gates import private
from portal_lib.pagination import paginate
from portal_lib.refusals import ActionRefused
from portal_lib.richtext import show_previews, wants_preview
from portal_lib.storage import record_file_response
from portal_lib.uploads import accepts_files


@private(can_use_private_area)
def consultation_list(request):
    """The consultations this person may see, newest first, a page at a time (a round a month
    makes hundreds in a few years), with those their partner has answered."""
    # Who sees which consultation is a query of several subqueries, costly to build: it is
    # asked once, for the keys alone, which both count the pages and pick this one's rows.
    keys = list(
        Consultation.objects.visible_to(request.user)
        .order_by("-opens_on", "-pk")
        .values_list("pk", flat=True)
    )
    page = paginate(request, keys)
    rows = Consultation.objects.for_list().in_bulk(page.object_list)
    page.object_list = [rows[key] for key in page.object_list]
    return render(
        request,
        "consultations/consultation_list.html",
        {"page": page, "answered": _answered(request.user, page.object_list)},
    )


# How many open consultations the dashboard lists (those closing soonest).
DASHBOARD_CONSULTATIONS = 5


def dashboard_panel(request):
    """The dashboard's panel of the consultations open today to the person's partner (all open
    ones for the Secretariat): the five closing soonest, with those already answered, and how
    many are open."""
    open_now = (
        Consultation.objects.visible_to(request.user)
        .open_on(timezone.localdate())
        .for_list()
        .order_by("closes_on", "pk")
    )
    # The few closing soonest, as a dashboard shows; the rest are a link away, counted only
    # when there are more.
    consultations = list(open_now[: DASHBOARD_CONSULTATIONS + 1])
    count = len(consultations)
    if count > DASHBOARD_CONSULTATIONS:
        consultations = consultations[:DASHBOARD_CONSULTATIONS]
        count = open_now.count()
    return {
        "consultations": consultations,
        "open_count": count,
        "answered": _answered(request.user, consultations),
    }


def _answered(user, consultations):
    """The keys of those of ``consultations`` that the person's partner has answered."""
    membership = active_membership(user)
    if membership is None or not consultations:
        return set()
    return set(
        ConsultationAnswer.objects.filter(
            partner=membership.partner, consultation__in=[c.pk for c in consultations]
        )
        # Without the answers' ordering, which joins the consultation and the partner.
        .order_by()
        .values_list("consultation_id", flat=True)
    )


def _get_consultation(user, pk):
    return get_object_or_404(Consultation.objects.visible_to(user), pk=pk)


@private(can_use_private_area)
@accepts_files(1)
def consultation_detail(request, pk):
    consultation = _get_consultation(request.user, pk)
    membership = active_membership(request.user)
    answer = None
    if membership:
        answer = (
            ConsultationAnswer.objects.filter(consultation=consultation, partner=membership.partner)
            .select_related("answered_by")
            .first()
        )
    may_answer = permissions.can_answer_consultation(request.user, consultation)
    form = ConsultationAnswerForm(request.POST or None, request.FILES or None, instance=answer)
    previewing = False
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if wants_preview(request):
            # Nothing is saved: the answer comes back as typed, with its text rendered.
            previewing = bool(show_previews(form))
        elif form.is_valid():
            try:
                services.answer_consultation(
                    consultation,
                    request.user,
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except ActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Your partner's answer is saved."))
                return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "answer": answer,
            "form": form,
            "may_answer": may_answer,
            "previewing": previewing,
        },
    )


@private(can_use_private_area)
def consultation_file(request, pk):
    consultation = _get_consultation(request.user, pk)
    if not consultation.attachment:
        raise Http404("No document.")
    return record_file_response(consultation, "attachment")


@private(can_use_private_area)
def answer_file(request, pk, answer_pk):
    consultation = _get_consultation(request.user, pk)
    answers = ConsultationAnswer.objects.filter(consultation=consultation).exclude(attachment="")
    if not permissions.can_manage_consultations(request.user):
        answers = answers.filter(partner=active_membership(request.user).partner)
    answer = get_object_or_404(answers, pk=answer_pk)
    return record_file_response(answer, "attachment")


@private(permissions.can_manage_consultations)
def consultation_responses(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    if request.method == "POST":
        return _send_reminders(request, consultation)
    overall, by_region, answered, missing = services.response_rates(consultation)
    return render(
        request,
        "consultations/consultation_responses.html",
        {
            "consultation": consultation,
            "overall": overall,
            "by_region": by_region,
            "answered": answered,
            "missing": missing,
            "answers": consultation.answers.select_related("partner", "answered_by"),
        },
    )


def _send_reminders(request, consultation):
    """Remind the consulted partners that have not answered, and say whom."""
    try:
        reminded = services.send_reminders(consultation)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if reminded:
            people = Membership.objects.active().focal_points().filter(partner__in=reminded).count()
            messages.success(
                request,
                _("Reminders are on their way to %(people)s of %(partners)s: %(names)s.")
                % {
                    "people": ngettext("%(count)d focal point", "%(count)d focal points", people)
                    % {"count": people},
                    "partners": ngettext("%(count)d partner", "%(count)d partners", len(reminded))
                    % {"count": len(reminded)},
                    "names": ", ".join(partner.name for partner in reminded),
                },
            )
        else:
            messages.info(
                request,
                _(
                    "No reminder was sent: every consulted partner has answered, has no active "
                    "focal point, or was reminded in the last %(days)d days."
                )
                % {"days": settings.CONSULTATION_REMINDER_INTERVAL_DAYS},
            )
    return redirect("consultations:consultation-responses", pk=consultation.pk)


@private(permissions.can_manage_consultations)
def consultation_export(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    if not consultation.is_closed:
        messages.error(request, _("Answers can be exported once the consultation has closed."))
        return redirect("consultations:consultation-responses", pk=consultation.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"consultation-{consultation.pk}.csv"
    )
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Partner"), _("Region"), _("Answered by"), _("Last changed"), _("Answer")])
    for answer in consultation.answers.select_related("partner", "answered_by"):
        writer.writerow(
            [
                answer.partner.name,
                answer.partner.get_region_display(),
                answer.answered_by.email if answer.answered_by else "",
                answer.updated_at.isoformat(timespec="minutes"),
                _safe_cell(answer.text),
            ]
        )
    return response


def _safe_cell(text):
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
