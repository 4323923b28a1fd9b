import csv
from functools import wraps
from pathlib import PurePath

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from focalpoints import permissions, services
from focalpoints.forms import AcceptInvitationForm, ConsultationAnswerForm, ProfileForm
from focalpoints.models import Consultation, ConsultationAnswer, Membership
from focalpoints.storage import stored_file_response
from focalpoints.uploads import accepts_files, detected_content_type


def private(predicate):
    """Views of the private area: anonymous visitors log in first; others need ``predicate``,
    and staff whose session has not passed the second factor are sent to that step."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                if permissions.awaits_second_factor(request.user):
                    return second_factor_step(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def second_factor_step(request):
    """Send a staff member whose session has not passed the second factor to that step: set up
    an authenticator, or enter a code from it and come back to the page they asked for."""
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            _("Set up two-factor authentication before you use the Secretariat's pages."),
        )
        return redirect("mfa_activate_totp")
    messages.info(
        request,
        _("The Secretariat's pages need your second factor: enter a code from your app."),
    )
    back = QueryDict(mutable=True)
    back[REDIRECT_FIELD_NAME] = request.get_full_path()
    return redirect(f"{reverse('mfa_reauthenticate')}?{back.urlencode(safe='/')}")


def accept_invitation(request, token):
    """A new person chooses a password here; the owner of an existing account logs in first,
    then accepts (the link alone never opens an account)."""
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404("No such invitation.")
    state = invitation.state
    try:
        account = services.account_of(invitation) if state == invitation.State.PENDING else None
    except services.ActionRefused as refusal:
        return render(
            request,
            "focalpoints/accept_invitation.html",
            {"invitation": invitation, "state": state, "refusal": refusal},
        )
    if account is not None:
        return _accept_as_account(request, token, invitation, account)
    form = AcceptInvitationForm(
        request.POST or None,
        invitation=invitation,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if state == invitation.State.PENDING and request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("focalpoints:dashboard")
    return render(
        request,
        "focalpoints/accept_invitation.html",
        {"invitation": invitation, "state": state, "form": form},
    )


def _accept_as_account(request, token, invitation, account):
    is_owner = request.user.is_authenticated and request.user.pk == account.pk
    if is_owner and request.method == "POST":
        try:
            services.accept_invitation_as(token, request.user)
        except services.ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        messages.success(request, _("The invitation is accepted."))
        return redirect("focalpoints:dashboard")
    return render(
        request,
        "focalpoints/accept_invitation.html",
        {
            "invitation": invitation,
            "state": invitation.state,
            "account": account,
            "is_owner": is_owner,
        },
    )


@private(permissions.can_use_private_area)
def dashboard(request):
    membership = permissions.active_membership(request.user)
    partner = membership.partner if membership else None
    focal_points = (
        Membership.objects.active().focal_points().filter(partner=partner).select_related("user")
        if partner
        else []
    )
    today = timezone.localdate()
    consultations = [
        consultation
        for consultation in Consultation.objects.filter(opens_on__lte=today, closes_on__gte=today)
        if partner is None or consultation.is_addressed_to(partner)
    ]
    answered = (
        set(
            ConsultationAnswer.objects.filter(
                partner=partner, consultation__in=consultations
            ).values_list("consultation_id", flat=True)
        )
        if partner
        else set()
    )
    return render(
        request,
        "focalpoints/dashboard.html",
        {
            "membership": membership,
            "focal_points": focal_points,
            "consultations": consultations,
            "answered": answered,
        },
    )


@private(permissions.can_use_private_area)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect(translate_url(reverse("focalpoints:profile"), user.language))
    return render(request, "focalpoints/profile.html", {"form": form})


@private(permissions.can_see_focal_point_directory)
def directory(request):
    memberships = (
        Membership.objects.active()
        .focal_points()
        .select_related("user", "partner")
        .order_by("partner__name", "role", "user__last_name")
    )
    return render(request, "focalpoints/directory.html", {"memberships": memberships})


def _consultations_for(user):
    """The consultations ``user`` may see: all for the Secretariat, else those addressed to
    their partner (other partners' consultations answer 404)."""
    consultations = Consultation.objects.all()
    if permissions.is_secretariat(user):
        return consultations
    partner = permissions.active_membership(user).partner
    return [c for c in consultations if c.is_addressed_to(partner)]


@private(permissions.can_use_private_area)
def consultation_list(request):
    membership = permissions.active_membership(request.user)
    answered = set()
    if membership:
        answered = set(
            ConsultationAnswer.objects.filter(partner=membership.partner).values_list(
                "consultation_id", flat=True
            )
        )
    return render(
        request,
        "focalpoints/consultation_list.html",
        {"consultations": _consultations_for(request.user), "answered": answered},
    )


def _get_consultation(user, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    if consultation not in _consultations_for(user):
        raise Http404("No such consultation.")
    return consultation


@private(permissions.can_use_private_area)
@accepts_files(1)
def consultation_detail(request, pk):
    consultation = _get_consultation(request.user, pk)
    membership = permissions.active_membership(request.user)
    answer = None
    if membership:
        answer = (
            ConsultationAnswer.objects.filter(consultation=consultation, partner=membership.partner)
            .select_related("answered_by")
            .first()
        )
    may_answer = permissions.can_answer_consultation(request.user, consultation)
    form = ConsultationAnswerForm(request.POST or None, request.FILES or None, instance=answer)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer_consultation(
                    consultation,
                    request.user,
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except services.ActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Your partner's answer is saved."))
                return redirect(consultation.get_absolute_url())
    return render(
        request,
        "focalpoints/consultation_detail.html",
        {"consultation": consultation, "answer": answer, "form": form, "may_answer": may_answer},
    )


def _file_response(record):
    """``record.attachment``, sent as the type detected when it was uploaded (read again from
    its content for files stored before types were recorded)."""
    field_file = record.attachment
    return stored_file_response(
        field_file,
        filename=record.original_filename or PurePath(field_file.name).name,
        content_type=record.content_type or detected_content_type(field_file),
    )


@private(permissions.can_use_private_area)
def consultation_file(request, pk):
    consultation = _get_consultation(request.user, pk)
    if not consultation.attachment:
        raise Http404("No document.")
    return _file_response(consultation)


@private(permissions.can_use_private_area)
def answer_file(request, pk, answer_pk):
    consultation = _get_consultation(request.user, pk)
    answers = ConsultationAnswer.objects.filter(consultation=consultation).exclude(attachment="")
    if not permissions.can_manage_consultations(request.user):
        answers = answers.filter(partner=permissions.active_membership(request.user).partner)
    answer = get_object_or_404(answers, pk=answer_pk)
    return _file_response(answer)


@private(permissions.can_manage_consultations)
def consultation_responses(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    if request.method == "POST":
        return _send_reminders(request, consultation)
    overall, by_region, answered, missing = services.response_rates(consultation)
    return render(
        request,
        "focalpoints/consultation_responses.html",
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
    from focalpoints.tasks import send_consultation_reminders

    if not consultation.is_open:
        messages.error(request, _("Reminders are sent only while a consultation is open."))
    else:
        send_consultation_reminders.delay(consultation.pk)
        messages.success(
            request,
            _("Reminders are on their way to the focal points of partners that have not answered."),
        )
    return redirect("focalpoints:consultation-responses", pk=consultation.pk)


@private(permissions.can_manage_consultations)
def consultation_export(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    if not consultation.is_closed:
        messages.error(request, _("Answers can be exported once the consultation has closed."))
        return redirect("focalpoints:consultation-responses", pk=consultation.pk)
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
