"""The pages of a meeting run by the portal: the focal points' delegations, the Secretariat's
invitations, decisions, check-in and exports, and the participants' personal links."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from focalpoints.permissions import active_membership, is_member, is_secretariat
from meetings import services
from meetings.forms import (
    DecisionForm,
    EvaluationForm,
    RegistrationForm,
    WebinarRegistrationForm,
    delegation_formset,
)
from meetings.models import Delegate, Delegation, Meeting
from meetings.permissions import (
    can_nominate_delegation,
    can_register_for_webinar,
    can_run_meetings,
    can_see_delegate,
    can_use_meetings_area,
)
from portal_lib.gates import private
from portal_lib.refusals import ActionRefused


def _no_index(response):
    """Pages with personal data: never indexed, never cached by a shared cache."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _run_meeting(slug):
    """A meeting with an invitation, for the Secretariat's pages; 404 otherwise."""
    return get_object_or_404(
        Meeting.objects.select_related("invitation", "host_country").filter(
            invitation__isnull=False
        ),
        slug=slug,
    )


@private(can_use_meetings_area)
def my_meetings(request):
    """The focal point's invitations (their partner's delegations), or, for the Secretariat,
    every meeting it runs through the portal."""
    if is_secretariat(request.user):
        meetings = (
            Meeting.objects.filter(invitation__isnull=False)
            .select_related("invitation")
            .annotate(
                invited=Count("delegations", distinct=True),
                answered=Count(
                    "delegations", filter=Q(delegations__answered_at__isnull=False), distinct=True
                ),
            )
            .order_by("-start_date", "pk")
        )
        return _no_index(
            render(request, "meetings/flow/secretariat_meetings.html", {"meetings": meetings})
        )
    membership = active_membership(request.user)
    delegations = (
        Delegation.objects.filter(partner=membership.partner_id)
        .select_related("meeting__invitation")
        .annotate(named=Count("delegates"))
        .order_by("-meeting__start_date", "pk")
    )
    return _no_index(
        render(request, "meetings/flow/my_meetings.html", {"delegations": delegations})
    )


@private(can_use_meetings_area)
def delegation(request, slug):
    """The focal point names their partner's delegation; another partner's or a meeting their
    partner is not invited to answers 404."""
    meeting = get_object_or_404(Meeting.objects.select_related("invitation"), slug=slug)
    if is_secretariat(request.user):
        return redirect("meetings:delegations", slug=meeting.slug)
    if not can_nominate_delegation(request.user, meeting):
        raise Http404("Your partner is not invited to this meeting.")
    own = services.delegation_of(request.user, meeting)
    formset = delegation_formset(own, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_delegation(request.user, meeting, formset.entries())
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("Your delegation is saved. You may change it until the deadline.")
            )
            return redirect("meetings:delegation", slug=meeting.slug)
    return _no_index(
        render(
            request,
            "meetings/flow/delegation.html",
            {
                "meeting": meeting,
                "invitation": meeting.invitation,
                "delegation": own,
                "formset": formset,
                "open": timezone.now() <= meeting.invitation.nomination_deadline,
            },
        )
    )


@private(can_run_meetings)
def delegations(request, slug):
    """The Secretariat's view of a meeting: who has answered, the nominees and its decisions,
    and the buttons that send the invitations, reminders and evaluations."""
    meeting = _run_meeting(slug)
    if request.method == "POST":
        return _secretariat_action(request, meeting)
    overview = services.delegations_overview(meeting)
    return _no_index(
        render(
            request,
            "meetings/flow/delegations.html",
            {
                "meeting": meeting,
                "invitation": meeting.invitation,
                "delegations": overview,
                "unanswered": [d for d in overview if d.answered_at is None],
                "answered_count": sum(1 for d in overview if d.answered_at is not None),
                "decision_form": DecisionForm(),
                "reaction": services.reaction_summary(meeting),
                "figures": meeting.participation_figures(),
            },
        )
    )


def _secretariat_action(request, meeting):
    action = request.POST.get("action")
    try:
        if action == "invite":
            sent = services.send_invitations(meeting)
            messages.success(
                request, _("Invitation sent to %(count)s partners.") % {"count": len(sent)}
            )
        elif action == "remind":
            count = services.remind_unanswered(meeting=meeting)
            messages.success(request, _("%(count)s partners were reminded.") % {"count": count})
        elif action == "decide":
            pk = request.POST.get("delegate", "")
            delegate = get_object_or_404(
                Delegate.objects.of_meeting(meeting), pk=int(pk) if pk.isdigit() else None
            )
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(_("Choose a decision."))
            services.decide(delegate, form.cleaned_data["status"], form.cleaned_data["reason"])
            messages.success(
                request, _("Decision recorded: %(name)s is told.") % {"name": delegate.name}
            )
        elif action == "evaluate":
            count = services.send_evaluations(meeting)
            messages.success(
                request, _("The evaluation was sent to %(count)s participants.") % {"count": count}
            )
        else:
            raise ActionRefused(_("Unknown action."))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("meetings:delegations", slug=meeting.slug)


@private(can_run_meetings)
def check_in(request, slug):
    """The check-in list, by delegation, with a search: one button per participant, usable on a
    phone at the door."""
    meeting = _run_meeting(slug)
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        delegate_pk = request.POST.get("delegate", "")
        present = request.POST.get("present") == "1"
        if delegate_pk.isdigit() and services.mark_attendance(
            meeting, [int(delegate_pk)], attended=present
        ):
            messages.success(request, _("Attendance recorded."))
        back = reverse("meetings:check-in", kwargs={"slug": meeting.slug})
        query = request.POST.get("q", "").strip()
        return redirect(f"{back}?q={query}" if query else back)
    delegates = Delegate.objects.of_meeting(meeting).accepted().for_listing()
    if query:
        delegates = delegates.filter(
            Q(name__icontains=query)
            | Q(institution__icontains=query)
            | Q(delegation__partner__name__icontains=query)
        )
    present = Delegate.objects.of_meeting(meeting).attended().count()
    return _no_index(
        render(
            request,
            "meetings/flow/check_in.html",
            {"meeting": meeting, "delegates": delegates, "query": query, "present": present},
        )
    )


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_index(response)


@private(can_run_meetings)
def participants_csv(request, slug):
    meeting = _run_meeting(slug)
    return _download(
        services.participants_csv(meeting),
        "text/csv; charset=utf-8",
        f"{meeting.slug}-participants.csv",
    )


@private(can_run_meetings)
def participants_pdf(request, slug):
    meeting = _run_meeting(slug)
    pdf = services.render_pdf(
        "meetings/pdf/participants.html",
        {"meeting": meeting, "delegates": services.participants(meeting)},
        request.LANGUAGE_CODE,
    )
    return _download(pdf, "application/pdf", f"{meeting.slug}-participants.pdf")


@private(can_run_meetings)
def badges_pdf(request, slug):
    meeting = _run_meeting(slug)
    pdf = services.render_pdf(
        "meetings/pdf/badges.html",
        {"meeting": meeting, "delegates": services.participants(meeting)},
        request.LANGUAGE_CODE,
    )
    return _download(pdf, "application/pdf", f"{meeting.slug}-badges.pdf")


@private(can_run_meetings)
def evaluation_csv(request, slug):
    meeting = _run_meeting(slug)
    return _download(
        services.evaluation_csv(meeting),
        "text/csv; charset=utf-8",
        f"{meeting.slug}-evaluation.csv",
    )


@private(can_use_meetings_area)
def visa_letter(request, pk):
    """A delegate's invitation letter for a visa: the Secretariat, and their own focal points;
    anyone else gets a 404."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("delegation__partner", "delegation__meeting__invitation"),
        pk=pk,
        anonymised_at__isnull=True,
    )
    if not can_see_delegate(request.user, delegate):
        raise Http404("Not a delegate of your partner.")
    return _download(
        services.visa_letter_pdf(delegate),
        "application/pdf",
        f"invitation-letter-{delegate.delegation.meeting.slug}.pdf",
    )


def _refused_link(request, refusal):
    response = render(
        request, "meetings/flow/link_refused.html", {"reason": str(refusal)}, status=400
    )
    return _no_index(response)


def register(request, token):
    """A delegate's personal registration page, by the signed link they received: no account
    needed. The join link of a virtual or hybrid meeting is shown once they are registered."""
    try:
        delegate = services.delegate_from_token(token, "registration")
    except ActionRefused as refusal:
        return _refused_link(request, refusal)
    meeting = delegate.delegation.meeting
    form = RegistrationForm(request.POST or None, instance=delegate)
    if request.method == "POST" and form.is_valid():
        try:
            services.register(delegate, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("You are registered. A confirmation is on its way to you."))
            return redirect("meetings:register", token=token)
    delegate.refresh_from_db()
    return _no_index(
        render(
            request,
            "meetings/flow/register.html",
            {
                "delegate": delegate,
                "meeting": meeting,
                "invitation": meeting.invitation,
                "form": form,
                "show_join_link": delegate.registered_at is not None
                and delegate.status == Delegate.Status.ACCEPTED
                and meeting.format in (Meeting.Format.VIRTUAL, Meeting.Format.HYBRID)
                and meeting.invitation.join_link,
            },
        )
    )


def evaluate(request, token):
    """A participant's evaluation form, by the signed link they received; one answer each."""
    try:
        delegate = services.delegate_from_token(token, "evaluation")
    except ActionRefused as refusal:
        return _refused_link(request, refusal)
    meeting = delegate.delegation.meeting
    form = EvaluationForm(list(meeting.evaluation_questions.all()), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_evaluation(delegate, form.answers())
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you: your answers are recorded, without your name."))
        return redirect("meetings:evaluate", token=token)
    return _no_index(
        render(
            request,
            "meetings/flow/evaluate.html",
            {
                "meeting": meeting,
                "form": form,
                "answered": delegate.evaluated_at is not None,
                "open": delegate.attended and delegate.evaluation_sent_at is not None,
            },
        )
    )


@private(is_member)
def webinar(request, slug):
    """A webinar's registration for the members of the invited partners: one click, then the
    join link; the recording once it is published."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("invitation"), slug=slug, kind=Meeting.Kind.WEBINAR
    )
    if not can_register_for_webinar(request.user, meeting):
        raise Http404("Your partner is not invited to this webinar.")
    mine = (
        Delegate.objects.of_meeting(meeting)
        .filter(email__iexact=request.user.email, anonymised_at__isnull=True)
        .first()
    )
    form = WebinarRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_for_webinar(request.user, meeting, **form.cleaned_data)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("You are registered for this webinar."))
        return redirect("meetings:webinar", slug=meeting.slug)
    return _no_index(
        render(
            request,
            "meetings/flow/webinar.html",
            {"meeting": meeting, "invitation": meeting.invitation, "mine": mine, "form": form},
        )
    )


def my_invitations_panel(request):
    """The dashboard's panel of the invitations open to this person: for a focal point, the
    delegations to name; for every member, the webinars to register for."""
    membership = active_membership(request.user)
    if membership is None:
        return None
    now = timezone.now()
    if membership.is_focal_point:
        # Invitations whose nominations are open, and webinars whose registration is.
        open_now = Q(meeting__invitation__nomination_deadline__gte=now) | Q(
            meeting__kind=Meeting.Kind.WEBINAR, meeting__invitation__registration_deadline__gte=now
        )
    else:
        open_now = Q(
            meeting__kind=Meeting.Kind.WEBINAR, meeting__invitation__registration_deadline__gte=now
        )
    delegations = list(
        Delegation.objects.filter(open_now, partner=membership.partner_id)
        .select_related("meeting__invitation")
        .order_by("meeting__start_date", "pk")[:5]
    )
    if not delegations:
        return None
    # The panel is kept until the first of these deadlines passes: then an invitation leaves it
    # (none joins it without a record saved, which makes a kept panel out of date anyway).
    deadlines = [
        deadline
        for delegation in delegations
        for deadline in (
            delegation.meeting.invitation.nomination_deadline,
            delegation.meeting.invitation.registration_deadline,
        )
        if deadline >= now
    ]
    return {"delegations": delegations, "valid_until": min(deadlines, default=now)}
