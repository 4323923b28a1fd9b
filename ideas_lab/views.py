import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ideas_lab import permissions, services
from ideas_lab.filters import IdeaFilter
from ideas_lab.forms import CommentForm, HideCommentForm, IdeaForm, InterestForm, StatusForm
from ideas_lab.models import Comment, Idea, IdeaStatusChange, Interest
from meetings.models import Document
from portal_lib import page_cache
from portal_lib.gates import private
from portal_lib.pagination import paginate, query_without_page
from portal_lib.richtext import show_previews, wants_preview
from portal_lib.storage import record_file_response
from portal_lib.uploads import accepts_files

lab = private(permissions.can_use_laboratory)


def _ideas_for(user):
    return Idea.objects.visible_to(user)


def _get_idea(user, pk):
    """The idea ``pk`` if ``user`` may see it; 404 otherwise, so that drafts do not leak."""
    idea = get_object_or_404(
        Idea.objects.select_related("partner", "domain__plan", "submitted_by"), pk=pk
    )
    if not permissions.can_see_idea(user, idea):
        raise Http404("No such idea.")
    return idea


@lab
def home(request):
    filters = IdeaFilter(request.GET, queryset=_ideas_for(request.user), request=request)
    # The filter fields are rendered once per query and change of the content: their choices
    # are the plan's domains and actions (tracked content) and the partners of the ideas this
    # visitor may see (not tracked, so their keys are part of the key).
    partners = filters.filters["partner"].queryset.values_list("pk", flat=True)
    partners_key = hashlib.sha256(",".join(map(str, partners)).encode()).hexdigest()
    return render(
        request,
        "ideas_lab/home.html",
        {
            "filters": filters,
            "filters_key": page_cache.content_key("ideas", request.GET.urlencode(), partners_key),
            "page": _list_page(request, filters.qs),
            "query": query_without_page(request),
            "essentials": _essentials(request.user),
            "may_submit": permissions.can_submit_idea(request.user),
        },
    )


def _list_page(request, ideas):
    """The requested page of ``ideas``, as rows (``Idea.objects.as_rows``)."""
    page = paginate(request, ideas)
    page.object_list = page.object_list.as_rows()
    return page


ESSENTIAL_KINDS = [Document.Kind.CONCLUSIONS, Document.Kind.RECOMMENDATIONS]
ESSENTIALS_ORDER = ("-published_on", "-created_at")


def _essentials(user):
    """The latest conclusions and recommendations ``user`` may see (six at most).

    Which ones they are is kept until the content changes (per set of visibilities): found
    by sorting thousands of documents once, not on every visit of the laboratory."""
    audiences = Document.audiences_of(user)
    ids = page_cache.cached_for_content(
        f"lab-essentials:{','.join(audiences)}",
        lambda: list(
            Document.objects.filter(visibility__in=audiences, kind__in=ESSENTIAL_KINDS)
            .order_by(*ESSENTIALS_ORDER)
            .values_list("pk", flat=True)[:6]
        ),
    )
    return Document.objects.filter(pk__in=ids).order_by(*ESSENTIALS_ORDER).as_rows()


_LANGUAGE_SUFFIXES = ("", *(f"_{code}" for code, _name in settings.LANGUAGES))


# The idea page's forms, unbound, as focalpoints/form_fields.html writes them: by language and
# initial status. Their fields and choices are fixed in the code (none is read from the
# database), so this process renders each once: widgets rendered through templates were a
# quarter of the page's time.
_blank_fields = {}


def _fields_of(form):
    """The HTML of ``form``'s fields (with its errors): rendered afresh for a bound form,
    once per process, language and initial values for a blank one."""
    if form.is_bound:
        return render_to_string("focalpoints/form_fields.html", {"form": form})
    key = (type(form), get_language(), tuple(sorted(form.initial.items())))
    if key not in _blank_fields:
        _blank_fields[key] = render_to_string("focalpoints/form_fields.html", {"form": form})
    return _blank_fields[key]


def _detail(request, idea, status=200, **forms):
    user = request.user
    comments = Comment.objects.filter(idea=idea)
    if not permissions.can_moderate(user):
        comments = comments.filter(is_hidden=False)
    # The rows fetch the columns the page shows: an action's number and its plan's slug (its
    # link), a change's author's and an interested partner's names; not whole plans, accounts
    # and partners.
    partner_names = [f"partner__name{suffix}" for suffix in _LANGUAGE_SUFFIXES]
    context = {
        "idea": idea,
        "actions": idea.actions.select_related("plan")
        .only("number", "plan__slug")
        .order_by("number"),
        "countries": idea.countries.order_by("name"),
        "attachments": idea.attachments.all(),
        "history": IdeaStatusChange.objects.filter(idea=idea)
        .select_related("changed_by")
        .only(
            "from_status",
            "to_status",
            "changed_at",
            "note",
            "changed_by__first_name",
            "changed_by__last_name",
            "changed_by__email",
        ),
        "interests": Interest.objects.filter(idea=idea)
        .select_related("partner")
        .only("kind", "message", *partner_names),
        "comments": comments.as_thread(),
        "following": services.is_following(user, idea),
        "may_edit": permissions.can_edit_idea(user, idea),
        "may_follow": permissions.can_follow(user, idea),
        "may_comment": permissions.can_comment(user, idea),
        "may_express_interest": permissions.can_express_interest(user, idea),
        "may_change_status": permissions.can_change_status(user, idea),
        "may_moderate": permissions.can_moderate(user),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "interest_form": forms.get("interest_form") or InterestForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": idea.status}),
        "hide_form": forms.get("hide_form") or HideCommentForm(),
        "hide_comment_pk": forms.get("hide_comment_pk"),
    }
    for name in ("comment", "interest", "status"):
        context[f"{name}_fields"] = _fields_of(context[f"{name}_form"])
    return render(request, "ideas_lab/idea_detail.html", context, status=status)


@lab
def detail(request, pk):
    return _detail(request, _get_idea(request.user, pk))


def _edit(request, idea):
    publish = "publish" in request.POST
    form = IdeaForm(request.POST or None, request.FILES or None, instance=idea, publish=publish)
    if wants_preview(request):
        # Nothing is saved: the same form comes back, as typed, with the text rendered.
        return render(
            request,
            "ideas_lab/idea_form.html",
            {"form": show_previews(form), "idea": idea, "previewing": True},
        )
    if request.method == "POST" and form.is_valid():
        attachment = form.cleaned_data.get("attachment")
        try:
            idea = services.save_idea(
                form.save(commit=False),
                request.user,
                publish=publish,
                actions=form.cleaned_data["actions"],
                countries=form.cleaned_data["countries"],
                attachments=[attachment] if attachment else [],
            )
        except services.ActionRefused as refusal:
            errors = refusal.args[0]
            if isinstance(errors, dict):
                for field, message in errors.items():
                    form.add_error(field, message)
            else:
                form.add_error(None, str(errors))
        else:
            if idea.is_draft:
                messages.success(request, _("Your draft is saved. Only your partner sees it."))
            else:
                messages.success(request, _("The idea is saved and published."))
            return redirect(idea.get_absolute_url())
    return render(request, "ideas_lab/idea_form.html", {"form": form, "idea": idea})


@lab
@accepts_files(1)
def create(request):
    if not permissions.can_submit_idea(request.user):
        raise PermissionDenied
    return _edit(request, Idea())


@lab
@accepts_files(1)
def edit(request, pk):
    idea = _get_idea(request.user, pk)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied
    return _edit(request, idea)


def _refused(request, idea, refusal):
    messages.error(request, str(refusal))
    return redirect(idea.get_absolute_url())


@lab
@require_POST
def comment(request, pk):
    idea = _get_idea(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, idea, status=400, comment_form=form)
    try:
        services.add_comment(idea, request.user, form.cleaned_data["text"])
    except services.ActionRefused as refusal:
        return _refused(request, idea, refusal)
    messages.success(request, _("Your comment is posted."))
    return redirect(idea.get_absolute_url() + "#comments")


@lab
@require_POST
def interest(request, pk):
    idea = _get_idea(request.user, pk)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return _detail(request, idea, status=400, interest_form=form)
    try:
        services.express_interest(idea, request.user, **form.cleaned_data)
    except services.ActionRefused as refusal:
        return _refused(request, idea, refusal)
    messages.success(request, _("Your partner's interest is recorded."))
    return redirect(idea.get_absolute_url() + "#interests")


@lab
@require_POST
def status(request, pk):
    idea = _get_idea(request.user, pk)
    if not permissions.can_change_status(request.user, idea):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, idea, status=400, status_form=form)
    try:
        services.change_status(idea, request.user, **form.cleaned_data)
    except services.ActionRefused as refusal:
        return _refused(request, idea, refusal)
    messages.success(request, _("The status is changed."))
    return redirect(idea.get_absolute_url())


@lab
@require_POST
def follow(request, pk):
    idea = _get_idea(request.user, pk)
    if not permissions.can_follow(request.user, idea):
        raise PermissionDenied
    if request.POST.get("follow") == "off":
        services.unfollow(request.user, idea)
        messages.success(request, _("You no longer follow this idea."))
    else:
        services.follow(request.user, idea)
        messages.success(request, _("You follow this idea and hear of it by e-mail."))
    return redirect(idea.get_absolute_url())


@lab
@require_POST
def hide_comment(request, pk, comment_pk):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    idea = _get_idea(request.user, pk)
    target = get_object_or_404(Comment, idea=idea, pk=comment_pk)
    form = HideCommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, idea, status=400, hide_form=form, hide_comment_pk=target.pk)
    services.hide_comment(target, request.user, form.cleaned_data["reason"])
    messages.success(request, _("The comment is hidden."))
    return redirect(idea.get_absolute_url() + "#comments")


@lab
def attachment(request, pk, attachment_pk):
    idea = _get_idea(request.user, pk)
    item = get_object_or_404(idea.attachments, pk=attachment_pk)
    return record_file_response(item)


def _secret_matches(request):
    secret = settings.INBOUND_EMAIL_SECRET
    if not secret:
        return False
    given = request.headers.get("X-Inbound-Secret", "")
    authorization = request.headers.get("Authorization", "")
    if not given and authorization.startswith("Bearer "):
        given = authorization.removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), secret.encode())


@csrf_exempt
@require_POST
def inbound_email(request):
    """A mail provider's inbound webhook: the raw message as the body, or in the form field
    ``email``; the shared secret in ``X-Inbound-Secret`` or ``Authorization: Bearer``."""
    from ideas_lab.inbound import handle_message

    if not _secret_matches(request):
        return HttpResponseForbidden("Wrong or missing secret.")
    try:
        raw = _posted_message(request)
    except MultiPartParserError:
        raw = None
    if not raw or not raw.strip():
        return HttpResponse("No message.", status=400, content_type="text/plain")
    result = handle_message(raw)
    return HttpResponse(result.outcome, status=200, content_type="text/plain")


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _posted_message(request):
    """The raw message of a webhook's request: a form's field ``email``, as text or as a file
    part, or else the whole body. None when a form holds no such field or the file is larger
    than a body may be."""
    if request.content_type not in FORM_TYPES:
        return request.body
    upload = request.FILES.get("email")
    if upload is not None:
        if upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None
        return upload.read()
    value = request.POST.get("email", "")
    return value.encode("utf-8", "surrogateescape") if value else None
