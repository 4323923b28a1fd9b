import datetime
from html import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from actionplan.models import Action, ActionPlan, FrameworkItem
from focalpoints.permissions import can_see_members_documents
from meetings import calendars, charts, exports, services
from meetings.filters import DocumentFilter, MeetingFilter
from meetings.forms import ReferenceDocumentForm
from meetings.models import DatePrecision, Document, Meeting, MeetingDateChange
from meetings.permissions import can_upload_reference_documents
from portal_lib import page_cache
from portal_lib.exports import download
from portal_lib.gates import private
from portal_lib.pagination import paginate, query_without_page
from portal_lib.storage import record_file_response
from portal_lib.uploads import accepts_files


def meeting_list(request, file_format=None):
    """The meetings list; with ``file_format``, the meetings it lists (every page) as a file."""
    # Unbound without a query: the form (its fields are kept rendered) is then not built to
    # validate nothing.
    filters = MeetingFilter(request.GET or None, queryset=Meeting.objects.newest_first())
    if file_format:
        # The file names each meeting's domains and participation; the page shows less.
        return download(
            filters.qs.for_listing(),
            exports.MEETING_COLUMNS,
            name="meetings",
            file_format=file_format,
        )
    page = filters.qs.paginate(request.GET.get("page"), filters.count())
    keys = page.object_list
    upcoming = [] if request.GET else Meeting.objects.next_upcoming_keys(5)
    # The page's rows and the next meetings' in one fetch.
    rows = {
        row["pk"]: row
        for row in Meeting.objects.filter(pk__in=keys + upcoming)
        .order_by()
        .as_rows(actions=True, all_changes=False)
    }
    page.object_list = [rows[key] for key in keys if key in rows]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filters": filters,
            "page": page,
            "upcoming": [rows[key] for key in upcoming if key in rows],
            # The filter fields are the same for everyone who asks the same query.
            "filters_key": page_cache.content_key(request.GET.urlencode()),
            "query": query_without_page(request),
            "feed_query": _feed_query(request),
        },
    )


def meeting_detail(request, slug):
    """A meeting's page: its facts, outcomes, participation, side events and the documents
    the visitor may see."""
    meeting = get_object_or_404(Meeting.objects.with_outcomes(), slug=slug)
    actions = Action.objects.filter(meetings=meeting).order_by("number").as_rows()
    documents = (
        Document.objects.visible_to(request.user)
        .filter(meetings=meeting)
        .order_by("category", "title")
        .as_rows()
    )
    participation = meeting.participation_figures()
    # Kept until the content changes: a handful of partners, found by a query of six
    # subqueries whose building cost a sixth of the page.
    partners = page_cache.cached_for_content(
        f"meeting-partners:{meeting.pk}", meeting.partners_by_role
    )
    if participation is not None and participation.is_computed:
        # Counted from the attendance records, not the typed list.
        partners["organisations_present"] = participation.organisations_present
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participation": participation,
            **partners,
            "evaluation": services.reaction_summary(meeting)
            if meeting.attendance_recorded
            else None,
            "recording": _published_recording(meeting),
            "documents": documents,
            "side_events": Meeting.objects.side_events_of(meeting),
            "in_calendars": calendars.has_exact_dates(meeting),
            "actions": actions,
            **_context_of(meeting, [action["pk"] for action in actions]),
        },
    )


def _context_of(meeting, actions):
    """The chairmanship and the action plan in force on the meeting's first day, and the
    framework items it serves through its ``actions`` (their keys). Kept until the content
    changes: each is a query (the chairmanship one sorted in Python) whose answer depends on a
    date or a set of actions that many meetings share."""
    start = meeting.start_date
    # A pair, never None (which the cache reads as "not kept"), whichever may be missing.
    chairmanship, plan_in_force = page_cache.cached_for_content(
        f"meeting-context:{start}",
        lambda: (meeting.chairmanship, ActionPlan.objects.in_force_on(start)),
    )
    actions = sorted(actions)
    framework_items = []
    if actions:
        framework_items = page_cache.cached_for_content(
            f"framework-items:{','.join(map(str, actions))}",
            lambda: list(FrameworkItem.objects.inherited_by(meeting)),
        )
    return {
        "chairmanship": chairmanship,
        "plan_in_force": plan_in_force,
        "framework_items": framework_items,
    }


def _published_recording(meeting):
    """A webinar's recording, on its public page once it has been held (``meeting`` fetched
    ``with_outcomes``)."""
    if meeting.status != Meeting.Status.HELD:
        return ""
    return meeting.recording_link or ""


def _participation_last_modified(request, slug):
    return Meeting.objects.filter(slug=slug).values_list("updated_at", flat=True).first()


@condition(last_modified_func=_participation_last_modified)
def participation_chart(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("participation"), slug=slug)
    participation = meeting.participation_figures()
    if participation is None:
        raise Http404("No participation figures for this meeting.")
    svg = charts.participation_chart(participation)
    if svg is None:
        raise Http404("No participation figures for this meeting.")
    return HttpResponse(svg, content_type="image/svg+xml")


def calendar(request):
    """One year of the Dialogue's activities (the latest by default), with the other years linked.

    A postponed meeting is listed in the years it was planned for as well as in its new one.
    """
    # The years are the same for every visitor until the content changes: found once, not by
    # truncating every meeting's date on each request.
    years = page_cache.cached_for_content(
        "calendar-years",
        lambda: sorted(
            {d.year for d in Meeting.objects.dates("start_date", "year")}
            | {d.year for d in MeetingDateChange.objects.dates("previous_start", "year")},
            reverse=True,
        ),
    )
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        this_year = timezone.localdate().year
        year = next((y for y in years if y <= this_year), years[0] if years else this_year)
    rows = Meeting.objects.in_year(year).order_by().as_rows()
    rows.sort(key=_calendar_order)
    return render(
        request,
        "meetings/calendar.html",
        {"years": years, "year": year, "count": len(rows), "rows": _calendar_rows(rows)},
    )


# Among activities of the same day, the shorter span first (as in ``Meeting.chronological``).
_SPAN_RANK = {precision: rank for rank, precision in enumerate(DatePrecision.values)}


def _calendar_order(row):
    """Where a row of ``as_rows`` comes in the calendar: by its date (a postponed activity
    without a new one by the date first planned; unknown dates last), span, then title."""
    changes = row["changes"]
    date = row["start_date"] or (changes[0].previous_start if changes else datetime.date.max)
    return (date, _SPAN_RANK.get(row["date_precision"], len(_SPAN_RANK)), row["title"])


def _calendar_rows(rows):
    """The calendar's table rows, as HTML, from ``as_rows``: a year holds hundreds of
    meetings, and building the rows in the template (a lookup, a filter and an escape per
    cell) was most of the page's time."""
    previously = escape(_("previously planned:"))
    html = []
    for row in rows:
        changes = row["changes"]
        note = (
            f'<br><span class="muted">{previously} '
            f"{escape(', '.join(str(change.previous_display) for change in changes))}</span>"
            if changes
            else ""
        )
        html.append(
            f"<tr><td>{escape(row['dates'])}</td>"
            f'<td><a href="{escape(row["url"])}">{escape(row["title"])}</a> '
            f'<span class="muted">{escape(row["kind_label"])}</span></td>'
            f"<td>{escape(row['place'])}</td><td>{escape(row['status_label'])}{note}</td></tr>\n"
        )
    # Each value escaped above (the standard library's escape is Django's, without its
    # handling of lazy strings, which cost as much as the rest of the row).
    return mark_safe("".join(html))


# The meetings list's filters that a calendar feed takes (not the order, nor the page).
FEED_FILTERS = [name for name in MeetingFilter.base_filters if name != "sort"]


def _feed_query(request):
    """The meetings list's filters chosen in ``request``, as a calendar feed's query: the same
    choice always gives the same address."""
    query = QueryDict(mutable=True)
    for name in FEED_FILTERS:
        value = request.GET.get(name, "").strip()
        if value:
            query[name] = value
    return query.urlencode()


def _feed_filters(request):
    return MeetingFilter(
        QueryDict(_feed_query(request)),
        queryset=Meeting.objects.select_related("host_country").prefetch_related("date_changes"),
    )


def _selection(filters):
    """The filters chosen, in words (e.g. "Domain 1: Development benefits of migration")."""
    filters.form.is_valid()  # the valid filters apply, and are named; the others are left out
    words = []
    for name in FEED_FILTERS:
        value = filters.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = filters.form.fields[name]
        if name == "q":
            words.append(f"“{value}”")
        elif hasattr(value, "pk"):
            words.append(str(value))
        else:
            words.append(str({str(key): label for key, label in field.choices}[str(value)]))
    return ", ".join(words)


def calendar_ics(request):
    """The calendar feed that calendar apps subscribe to: every meeting, or those the meetings
    list's filters choose (one domain's, one country's ...)."""
    filters = _feed_filters(request)
    selection = _selection(filters)
    name = (
        _("Rabat Process: %(selection)s") % {"selection": selection}
        if selection
        else "Rabat Process"
    )
    return calendars.ics_response(
        filters.qs, filename="rabat-process.ics", name=name, attachment=False
    )


def calendar_subscribe(request):
    """How to subscribe to the calendar feed of the meetings chosen, in Outlook or Google."""
    filters = _feed_filters(request)
    query = _feed_query(request)
    feed_url = f"{settings.SITE_URL}{reverse('meetings:calendar-ics')}"
    if query:
        feed_url += f"?{query}"
    return render(
        request,
        "meetings/calendar_subscribe.html",
        {
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "selection": _selection(filters),
            "query": query,
        },
    )


def meeting_ics(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.select_related("host_country").prefetch_related("date_changes"), slug=slug
    )
    if not calendars.has_exact_dates(meeting):
        raise Http404("This meeting's days are not known.")
    return calendars.ics_response([meeting], filename=f"{meeting.slug}.ics")


def document_list(request, file_format=None):
    """The document library; with ``file_format``, the documents it lists as a file."""
    documents = Document.objects.visible_to(request.user)
    if file_format:
        # Every row of the file shows its date and meetings (computed in the query here), and
        # more columns than a page's items.
        rows = DocumentFilter(request.GET, queryset=documents).qs
        rows = rows.with_date().prefetch_related("meetings")
        return download(rows, exports.DOCUMENT_COLUMNS, name="documents", file_format=file_format)
    filters = DocumentFilter(request.GET, queryset=documents)
    page = paginate(request, filters.qs)
    # Each of the page's documents dated (by its meeting if need be) in one query for the page,
    # not computed for every row the list sorts.
    page.object_list = page.object_list.as_rows(dated=True)
    return render(
        request,
        "meetings/document_list.html",
        {
            "filters": filters,
            # The year choices depend on the documents this visitor may see.
            "filters_key": page_cache.content_key(
                request.GET.urlencode(), *Document.audiences_of(request.user)
            ),
            "page": page,
            "query": query_without_page(request),
        },
    )


@private(can_see_members_documents)
def restricted_documents(request):
    """The library's restricted documents, for active members and the Secretariat: each sees
    those shared with them.

    The list is the same for everyone who may see the same kinds of documents: its filters and
    results are rendered once per query and change of the content (``results_key``), and
    worked out only then (``filters`` and ``page`` are lazy). The page cache cannot serve them,
    as it serves no one signed in."""

    def filters():
        return DocumentFilter(
            request.GET,
            queryset=Document.objects.restricted_to(request.user).newest_first(),
        )

    def page():
        # One query: a row's few columns sort as cheaply as their keys, and fetching the page
        # by key again read the visibility index over every restricted document.
        page = paginate(request, filters.qs)
        page.object_list = page.object_list.as_rows(dated=True)
        return page

    filters = SimpleLazyObject(filters)
    return render(
        request,
        "meetings/restricted_documents.html",
        {
            "filters": filters,
            "results_key": page_cache.content_key(
                "restricted-documents",
                request.GET.urlencode(),
                *Document.audiences_of(request.user),
            ),
            "page": SimpleLazyObject(page),
            "query": query_without_page(request),
        },
    )


@private(can_upload_reference_documents)
@accepts_files(1)
def reference_documents(request):
    """A reference country's focal points upload their domain's roadmap and progress review."""
    domains = services.reference_domains(request.user)
    form = ReferenceDocumentForm(request.POST or None, request.FILES or None, domains=domains)
    if request.method == "POST" and form.is_valid():
        services.add_reference_document(request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The document is saved for the focal points. The Secretariat will publish it."),
        )
        return redirect("meetings:reference-documents")
    documents = (
        Document.objects.filter(domains__in=domains).distinct().order_by("-created_at").as_rows()
    )
    return render(
        request,
        "meetings/reference_documents.html",
        {"form": form, "domains": domains, "documents": documents},
    )


def _refuse_document(request, pk):
    """The answer to someone who may not see document ``pk``: a visitor who is not signed in
    (or whose session ended) logs in first and comes back to it; anyone else gets a 404."""
    if not request.user.is_authenticated and Document.objects.restricted().filter(pk=pk).exists():
        return redirect_to_login(request.get_full_path())
    raise Http404("No such document.")


def document_detail(request, pk):
    document = (
        Document.objects.visible_to(request.user)
        .prefetch_related("meetings", Prefetch("actions", queryset=Action.objects.with_domain()))
        .filter(pk=pk)
        .first()
    )
    if document is None:
        return _refuse_document(request, pk)
    return render(request, "meetings/document_detail.html", {"document": document})


def document_download(request, pk):
    """The document's file, for whoever may see the document."""
    document = Document.objects.visible_to(request.user).exclude(file="").filter(pk=pk).first()
    if document is None:
        return _refuse_document(request, pk)
    return record_file_response(document, public=document.is_public)


def _coverage_request(request):
    """The plan and period a coverage page or chart asks for (defaults: the plan in force on
    the first day asked, else the current plan; its years)."""

    def parse(name, default):
        try:
            return datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    slug = request.GET.get("plan")
    if slug:
        plan = ActionPlan.objects.filter(slug=slug).first()
    else:
        # A period asked without a plan is read against the plan in force when it starts.
        asked_start = parse("from", None)
        plan = (
            asked_start and ActionPlan.objects.in_force_on(asked_start)
        ) or ActionPlan.objects.current()
    if plan is None:
        raise Http404("No such action plan.")

    start = parse("from", datetime.date(plan.start_year, 1, 1))
    end = parse("to", datetime.date(plan.end_year, 12, 31))
    if end < start:
        start, end = end, start
    return plan, start, end


def coverage(request, file_format=None):
    """How many held activities served each domain and action of a plan over a period; with
    ``file_format``, its table as a file."""
    plan, start, end = _coverage_request(request)
    domains, actions = services.activity_coverage(plan, start, end)
    if file_format:
        return download(
            actions,
            exports.COVERAGE_COLUMNS,
            name=f"coverage-{plan.slug}-{start:%Y%m%d}-{end:%Y%m%d}",
            file_format=file_format,
            title=_("Coverage"),
        )
    return render(
        request,
        "meetings/coverage.html",
        {"plan": plan, "start": start, "end": end, "actions": actions, "domains": domains},
    )


def coverage_chart(request):
    plan, start, end = _coverage_request(request)
    domains, _actions = services.activity_coverage(plan, start, end)
    svg = charts.coverage_chart(domains)
    return HttpResponse(svg, content_type="image/svg+xml")


def restricted_documents_panel(request, count=5):
    """The dashboard's panel of the newest restricted documents this person may see."""
    if not can_see_members_documents(request.user):
        return None
    audiences = Document.audiences_of(request.user)
    # The newest of thousands, sorted once per change of the content rather than per visit.
    ids = page_cache.cached_for_content(
        f"newest-restricted-documents:{','.join(audiences)}:{count}",
        lambda: list(
            Document.objects.restricted_to(request.user)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:count]
        ),
    )
    return {
        "documents": Document.objects.filter(pk__in=ids).order_by("-created_at", "-pk").as_rows()
    }


def upcoming_meetings_panel(request, count=5):
    """The dashboard's panel of the Dialogue's next meetings."""
    # Their titles, dates and postponements: not their actions, domains and plans.
    return {"meetings": Meeting.objects.for_brief_list().next_upcoming(count)}
