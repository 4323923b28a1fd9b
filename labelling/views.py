from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focalpoints import permissions
from labelling import exports, services
from labelling.filters import LabelledProjectFilter, ReviewQueueFilter
from labelling.forms import LabellingRequestForm, ResultsForm, TransitionForm
from labelling.listing import project_rows, request_rows
from labelling.models import (
    TRANSITIONS,
    LabellingAttachment,
    LabellingRequest,
    State,
    TransitionRefused,
)
from labelling.permissions import can_delete_request, can_edit_request, can_report_results
from portal_lib import page_cache
from portal_lib.exports import download
from portal_lib.gates import private
from portal_lib.pagination import paginate, query_without_page
from portal_lib.refusals import ActionRefused
from portal_lib.richtext import show_previews, wants_preview
from portal_lib.storage import record_file_response
from portal_lib.uploads import accepts_files


def _visible_request(user, pk):
    """The request ``pk`` if ``user`` may see it; 404 otherwise, so nothing leaks."""
    return get_object_or_404(LabellingRequest.objects.visible_to(user).for_listing(), pk=pk)


def _applicant_partner(user):
    membership = permissions.active_membership(user)
    if membership is None:
        raise PermissionDenied
    return membership.partner


@private(permissions.can_use_private_area)
def request_list(request):
    """The requests ``request.user`` may see, last changed first, a page at a time: a partner's
    own, or for the Secretariat every partner's (its review queue filters them)."""
    requests = (
        LabellingRequest.objects.visible_to(request.user)
        .for_private_list()
        .order_by("-updated_at", "-pk")
    )
    page = paginate(request, requests)
    return render(
        request,
        "labelling/request_list.html",
        {
            "page": page,
            "rows": request_rows(page.object_list),
            "query": query_without_page(request),
            "may_create": permissions.is_member(request.user),
        },
    )


@private(permissions.is_member)
@accepts_files(2)  # the concept note and the agenda
def request_create(request):
    partner = _applicant_partner(request.user)
    form = LabellingRequestForm(request.POST or None, request.FILES or None, partner=partner)
    return _save_request(request, form, None)


@private(permissions.is_member)
@accepts_files(2)
def request_edit(request, pk):
    labelling_request = _visible_request(request.user, pk)
    if not can_edit_request(request.user, labelling_request):
        raise PermissionDenied
    if not labelling_request.is_editable:
        messages.error(
            request,
            _("A request that is “%(state)s” cannot be changed.")
            % {"state": labelling_request.get_state_display()},
        )
        return redirect(labelling_request.get_private_url())
    form = LabellingRequestForm(
        request.POST or None,
        request.FILES or None,
        instance=labelling_request,
        partner=labelling_request.lead_partner,
    )
    if request.method == "GET" and CHECK_SUBMISSION in request.GET:
        form.mark_missing(labelling_request.missing_for_submission())
    return _save_request(request, form, labelling_request)


# The query that asks the edit page to mark what submission still needs: a new request whose
# submission was refused is saved as a draft, and its applicant continues on that draft's page,
# so that the next "submit" changes this draft instead of creating another request.
CHECK_SUBMISSION = "check-submission"


def _save_request(request, form, labelling_request):
    """Save the draft whatever the button; with "submit", also submit it, or keep the draft and
    show by each field what submission still needs."""
    creating = labelling_request is None
    if wants_preview(request):
        # Nothing is saved: the same form comes back, as typed, with the texts rendered.
        return _render_form(request, show_previews(form), labelling_request, previewing=True)
    if request.method == "POST":
        if labelling_request is not None:
            expected = request.POST.get("expected_state")
            labelling_request.refresh_from_db(fields=["state"])
            if (
                expected and expected != labelling_request.state
            ) or not labelling_request.is_editable:
                messages.error(
                    request,
                    _("This request changed while you were editing it; it is now “%(state)s”.")
                    % {"state": labelling_request.get_state_display()},
                )
                return _render_form(request, form, labelling_request)
        if form.is_valid():
            labelling_request = form.save(user=request.user)
            if request.POST.get("action") != "submit":
                messages.success(request, _("Your draft is saved. You can finish it later."))
                return redirect(labelling_request.get_private_url())
            missing = labelling_request.missing_for_submission()
            if not missing:
                try:
                    labelling_request.submit(by=request.user)
                except TransitionRefused as refusal:
                    messages.error(request, str(refusal))
                else:
                    messages.success(
                        request, _("Your request is submitted. The Secretariat will review it.")
                    )
                return redirect(labelling_request.get_private_url())
            messages.warning(
                request,
                _(
                    "Your draft is saved, but it cannot be submitted yet: "
                    "complete the fields marked below."
                ),
            )
            if creating:
                edit = reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk})
                return redirect(f"{edit}?{CHECK_SUBMISSION}")
            form.mark_missing(missing)
        elif request.FILES:
            messages.error(
                request,
                _(
                    "Nothing was saved: correct the fields marked below, "
                    "and choose the files again."
                ),
            )
        else:
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return _render_form(request, form, labelling_request)


def _render_form(request, form, labelling_request, previewing=False):
    return render(
        request,
        "labelling/request_form.html",
        {"form": form, "labelling_request": labelling_request, "previewing": previewing},
    )


@private(permissions.is_member)
def request_delete(request, pk):
    """A confirmation page, then the draft's deletion (``services.delete_draft``)."""
    labelling_request = _visible_request(request.user, pk)
    if not labelling_request.is_applicant(request.user):
        raise PermissionDenied
    if not can_delete_request(request.user, labelling_request):
        messages.error(
            request,
            _(
                "Only a draft that was never submitted can be deleted; "
                "withdraw a submitted request instead."
            ),
        )
        return redirect(labelling_request.get_private_url())
    if request.method == "POST":
        try:
            services.delete_draft(labelling_request, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(labelling_request.get_private_url())
        messages.success(
            request,
            _("The draft “%(title)s” is deleted.") % {"title": labelling_request.title},
        )
        return redirect("labelling:requests")
    return render(
        request,
        "labelling/request_confirm_delete.html",
        {
            "labelling_request": labelling_request,
            "attachments": labelling_request.attachments.all(),
        },
    )


@private(permissions.can_use_private_area)
def request_detail(request, pk):
    # Its relations come with related_facts: not the list's prefetches.
    labelling_request = get_object_or_404(
        LabellingRequest.objects.visible_to(request.user).select_related("lead_partner", "meeting"),
        pk=pk,
    )
    events = list(labelling_request.events.select_related("actor"))
    transitions = labelling_request.allowed_transitions(request.user)
    last_event = events[-1] if events else None
    return render(
        request,
        "labelling/request_detail.html",
        {
            "labelling_request": labelling_request,
            "facts": labelling_request.related_facts(),
            "events": events,
            # The applicant's answer to a change request, on top for the Secretariat.
            "reply": last_event if last_event and last_event.is_reply else None,
            "attachment_versions": labelling_request.attachment_versions(),
            "may_delete": can_delete_request(request.user, labelling_request),
            "transitions": transitions,
            "transition_form": TransitionForm(initial={"expected_state": labelling_request.state}),
            "is_applicant": labelling_request.is_applicant(request.user),
            "may_report_results": labelling_request.is_labelled
            and can_report_results(request.user, labelling_request),
        },
    )


@require_POST
@private(permissions.can_use_private_area)
def request_transition(request, pk, transition):
    labelling_request = _visible_request(request.user, pk)
    if transition not in TRANSITIONS:
        raise Http404("No such step.")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
        return redirect(labelling_request.get_private_url())
    try:
        labelling_request.make_transition(
            transition,
            request.user,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"] or None,
        )
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Done: the request is now “%(state)s”. Everyone concerned is told by e-mail.")
            % {"state": labelling_request.get_state_display()},
        )
    return redirect(labelling_request.get_private_url())


@private(permissions.can_use_private_area)
@accepts_files(1)
def request_results(request, pk):
    labelling_request = _visible_request(request.user, pk)
    if not can_report_results(request.user, labelling_request):
        raise PermissionDenied
    if not labelling_request.is_labelled:
        messages.error(request, _("Results are reported once the label is granted."))
        return redirect(labelling_request.get_private_url())
    form = ResultsForm(request.POST or None, request.FILES or None, instance=labelling_request)
    previewing = wants_preview(request)
    if previewing:
        show_previews(form)
    elif request.method == "POST" and form.is_valid():
        form.save(user=request.user)
        messages.success(request, _("The results are published on the project's public page."))
        return redirect(labelling_request.get_private_url())
    return render(
        request,
        "labelling/results_form.html",
        {"form": form, "labelling_request": labelling_request, "previewing": previewing},
    )


@private(permissions.can_use_private_area)
def attachment_download(request, pk, attachment_pk):
    labelling_request = _visible_request(request.user, pk)
    attachment = get_object_or_404(labelling_request.attachments, pk=attachment_pk)
    return _attachment_response(attachment)


@require_POST
@private(permissions.is_member)
def attachment_remove(request, pk, attachment_pk):
    labelling_request = _visible_request(request.user, pk)
    if not can_edit_request(request.user, labelling_request):
        raise PermissionDenied
    attachment = get_object_or_404(labelling_request.attachments, pk=attachment_pk)
    if not labelling_request.is_editable:
        messages.error(request, _("Attachments can be removed only while the request is a draft."))
    else:
        attachment.file.delete(save=False)
        attachment.delete()
        messages.success(request, _("The attachment is removed."))
    return redirect("labelling:request-edit", pk=labelling_request.pk)


def _attachment_response(attachment):
    return record_file_response(attachment, public=attachment.is_public)


@private(permissions.is_secretariat)
def review_queue(request):
    filters = ReviewQueueFilter(request.GET, queryset=LabellingRequest.objects.for_review_queue())
    # The page's keys found on the state's index, then its twenty rows fetched with their
    # replies: not every open request joined and sorted with its subqueries.
    page = paginate(request, filters.qs, by_key=True)
    return render(
        request,
        "labelling/review_queue.html",
        {
            "filters": filters,
            # The same for every member of the Secretariat who asks the same query.
            "filters_key": page_cache.content_key("review-queue", request.GET.urlencode()),
            "page": page,
            "rows": request_rows(page.object_list, with_domains=True),
            "query": query_without_page(request),
            "counts": _state_counts(),
        },
    )


def _state_counts():
    """[(state's label, how many requests are in it)] for every state but the draft."""
    counts = page_cache.cached_for_content(
        "labelling-state-counts", LabellingRequest.objects.state_counts
    )
    return [(label, counts.get(value, 0)) for value, label in State.choices[1:]]


def labelled_project_list(request, file_format=None):
    """The labelled projects; with ``file_format``, those it lists (every page) as a file."""
    projects = LabellingRequest.objects.labelled()
    # The file names each action's domain; the page only the actions' numbers.
    projects = projects.for_listing() if file_format else projects.for_public_list()
    filters = LabelledProjectFilter(
        request.GET, queryset=projects.order_by("-decided_at", "-start_date", "title")
    )
    if file_format:
        return download(
            # The partners the file names, fetched up front (the page shows the lead only).
            filters.qs.prefetch_related(
                "co_implementing_partners", "funding_partners", "countries"
            ),
            exports.PROJECT_COLUMNS,
            name="labelled-projects",
            file_format=file_format,
        )
    page = paginate(request, filters.qs)
    return render(
        request,
        "labelling/project_list.html",
        {
            "filters": filters,
            # The filter fields are the same for everyone who asks the same query.
            "filters_key": page_cache.content_key("labelled-projects", request.GET.urlencode()),
            "page": page,
            "rows": project_rows(page.object_list),
            "query": query_without_page(request),
        },
    )


def labelled_project_detail(request, slug):
    project = get_object_or_404(
        LabellingRequest.objects.labelled().select_related("lead_partner", "meeting"), slug=slug
    )
    return render(
        request,
        "labelling/project_detail.html",
        {
            "project": project,
            "facts": project.related_facts(),
            # Fetched only once results are reported, when the page shows them.
            "public_attachments": project.attachments.filter(
                kind__in=LabellingAttachment.PUBLIC_KINDS
            ),
            "results_meetings": project.results_meetings.for_brief_list(),
        },
    )


def labelled_project_file(request, slug, attachment_pk):
    project = get_object_or_404(LabellingRequest.objects.labelled(), slug=slug)
    attachment = get_object_or_404(
        project.attachments.filter(kind__in=LabellingAttachment.PUBLIC_KINDS), pk=attachment_pk
    )
    return _attachment_response(attachment)
