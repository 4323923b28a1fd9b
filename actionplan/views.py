import datetime
from urllib.parse import urlencode

from django.db.models import F, Max, Min, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from actionplan import charts, exports
from actionplan.coverage import activity_kinds, framework_coverage
from actionplan.models import (
    LABELLED_PROJECT_COLUMNS,
    Action,
    ActionPlan,
    Domain,
    Framework,
    FrameworkItem,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    ReferenceCountry,
)
from focalpoints.models import Chairmanship
from portal_lib import page_cache
from portal_lib.exports import download
from portal_lib.rows import address_pattern


def current_plan(request):
    # Found with its structure at once, rather than found and then fetched again by its slug.
    plan = ActionPlan.objects.with_structure().current()
    if plan is None:
        raise Http404("No action plan has been recorded yet.")
    return _plan_page(request, plan, current=plan)


def plan_detail(request, plan):
    plan = get_object_or_404(ActionPlan.objects.with_structure(), slug=plan)
    return _plan_page(request, plan, current=ActionPlan.objects.current())


def _plan_page(request, plan, current):
    """The page of ``plan`` (fetched ``with_structure``), given the current plan (found once);
    each action with its ``page_url``."""
    actions = [
        action
        for domain in plan.domains.all()
        for objective in domain.objectives.all()
        for action in objective.actions.all()
    ]
    _attach_urls(actions, "page_url", "actionplan:action", "number", plan=plan.slug)
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "plan": plan,
            "is_current": current is not None and current.pk == plan.pk,
            "current_plan": current,
            "other_plans": ActionPlan.objects.exclude(pk=plan.pk).order_by("-start_year"),
            "chairmanships": chairmanships_during(plan),
            "frameworks": Framework.objects.all(),
            # Counted among the actions fetched, as the page shows them (a title in either
            # language is shown), rather than by a query of its own.
            "without_wording": sum(1 for action in actions if not action.title),
        },
    )


def chairmanships_during(plan):
    """The chairmanships in office at some point of the plan's period, oldest first: those that
    started in it, and the one in office when it began (a term whose end is not known, but which
    has a successor, is left out rather than stretched over the period)."""
    first_day = datetime.date(plan.start_year, 1, 1)
    last_day = datetime.date(plan.end_year, 12, 31)

    def in_office(chair):
        if chair.start is not None and first_day <= chair.start <= last_day:
            return True
        if chair.start is not None and chair.start > last_day:
            return False
        if chair.effective_end is None:
            return chair.start is not None and not chair.has_successor
        return chair.effective_end > first_day

    return [chair for chair in Chairmanship.objects.in_order() if in_office(chair)]


def plan_list(request):
    """Every action plan, the current one marked, the earlier ones as the archive."""
    return render(request, "actionplan/plan_list.html", {"plans": ActionPlan.objects.archive()})


def comparative_table(request, plan, framework, file_format=None):
    """A plan's actions, grouped by domain and objective, beside the items of a framework they
    serve: the comparative table the Secretariat keeps in the admin; with ``file_format``, its
    rows (one per action) as a file."""
    plan = get_object_or_404(ActionPlan, slug=plan)
    framework = get_object_or_404(Framework, slug=framework)
    items = FrameworkItem.objects.filter(framework=framework).select_related("framework")
    domains = (
        Domain.objects.filter(plan=plan)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related("plan")
                        .prefetch_related(
                            Prefetch("framework_items", queryset=items.order_by("position"))
                        )
                        .order_by("number"),
                    )
                ).order_by("number"),
            )
        )
        .order_by("number")
    )
    domains = list(domains)
    if file_format:
        actions = [
            action
            for domain in domains
            for objective in domain.objectives.all()
            for action in objective.actions.all()
        ]
        return download(
            actions,
            exports.comparative_table_columns(framework),
            name=f"comparative-table-{plan.slug}-{framework.slug}",
            file_format=file_format,
            title=_("Comparative table"),
        )
    served = {
        item.pk
        for domain in domains
        for objective in domain.objectives.all()
        for action in objective.actions.all()
        for item in action.framework_items.all()
    }
    all_items = list(items.order_by("position"))
    return render(
        request,
        "actionplan/comparative_table.html",
        {
            "plan": plan,
            "framework": framework,
            "domains": domains,
            "unserved": [item for item in all_items if item.pk not in served],
            "items": all_items,
            "frameworks": Framework.objects.exclude(pk=framework.pk),
        },
    )


def _coverage_request(request, framework):
    """The framework and period a coverage page or chart asks for (default period: the current
    plan's years, or the current year without a plan)."""
    framework = get_object_or_404(Framework, slug=framework)
    plan = ActionPlan.objects.current()
    today = datetime.date.today()
    default_start = datetime.date(plan.start_year if plan else today.year, 1, 1)
    default_end = datetime.date(plan.end_year if plan else today.year, 12, 31)

    def parse(name, default):
        try:
            return datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    start = parse("from", default_start)
    end = parse("to", default_end)
    if end < start:
        start, end = end, start
    return framework, plan, start, end


def framework_coverage_page(request, framework, file_format=None):
    """How many activities served each item of a framework over a period: chart and table; with
    ``file_format``, the table as a file (the same period, the kinds of activity this visitor
    may see)."""
    framework, plan, start, end = _coverage_request(request, framework)
    kinds = activity_kinds(request.user)
    rows = framework_coverage(framework, start, end, kinds=kinds)
    if file_format:
        return download(
            rows,
            exports.coverage_columns(framework, kinds),
            name=f"coverage-{framework.slug}-{start:%Y%m%d}-{end:%Y%m%d}",
            file_format=file_format,
            title=_("Coverage"),
        )
    return render(
        request,
        "actionplan/framework_coverage.html",
        {
            "framework": framework,
            "plan": plan,
            "start": start,
            "end": end,
            "kinds": kinds,
            "rows": [(row, row.count_list(kinds)) for row in rows],
            # The downloads of the period shown, whether it was asked for or the default.
            "period_query": urlencode({"from": start.isoformat(), "to": end.isoformat()}),
            "frameworks": Framework.objects.all(),
        },
    )


def framework_coverage_chart(request, framework):
    framework, _plan, start, end = _coverage_request(request, framework)
    kinds = activity_kinds(request.user)
    rows = framework_coverage(framework, start, end, kinds=kinds)
    svg = charts.framework_coverage_chart(rows, kinds)
    return HttpResponse(svg, content_type="image/svg+xml")


def domain_detail(request, plan, number):
    domain = get_object_or_404(
        Domain.objects.select_related("plan").prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("plan"))
                ).order_by("number"),
            ),
            Prefetch("reference_countries", queryset=ReferenceCountry.objects.with_related()),
        ),
        plan__slug=plan,
        number=number,
    )
    without_wording = Action.objects.filter(objective__domain=domain, title="").count()
    return render(
        request,
        "actionplan/domain_detail.html",
        {"domain": domain, "without_wording": without_wording},
    )


# How many of an action's meetings, documents and labelled projects its page lists: the
# latest. At volume an action has hundreds of each; the page counts them and links to the
# lists filtered by the action, which hold them all.
SERVING_SHOWN = 5


def action_detail(request, plan, number):
    action = get_object_or_404(Action.objects.with_domain(), plan__slug=plan, number=number)
    # The domain's plan is the action's (kept in step): the domain's links need no query of it.
    action.domain.plan = action.plan
    # The neighbours' numbers (their links need only those and the plan's slug), kept until
    # the content changes.
    neighbours = page_cache.cached_for_content(
        f"action-neighbours:{action.pk}",
        lambda: Action.objects.filter(plan_id=action.plan_id).aggregate(
            previous_number=Max("number", filter=Q(number__lt=action.number)),
            next_number=Min("number", filter=Q(number__gt=action.number)),
        ),
    )
    return render(
        request,
        "actionplan/action_detail.html",
        {"action": action, **neighbours, **_serving(action, request.user)},
    )


def _serving(action, user):
    """The latest ``SERVING_SHOWN`` meetings, documents (those ``user`` may see, as rows of
    ``Document.objects.as_rows``) and labelled projects that serve ``action``, newest first,
    with the columns the page's rows show (and each row's ``url``), and how many there are of
    each.

    Reached through the action's reverse relations: those apps sit above this one, so their
    QuerySets' vocabulary is used without importing their models."""
    chosen = _serving_chosen(action, user)
    # Fetched by key from their own tables, not through the action's relations: the keys are
    # those of the action's, and the join cost as much to build as the rest of each query.
    meetings = list(
        action.meetings.model.objects.for_brief_list()
        # Only a meeting without a date shows its postponements (the dates last announced):
        # fetched below for those alone, if any, rather than for every meeting.
        .prefetch_related(None)
        .filter(pk__in=chosen["meeting_keys"])
        .order_by(*MEETINGS_ORDER)
    )
    undated = [meeting for meeting in meetings if meeting.start_date is None]
    prefetch_related_objects(undated, Prefetch("date_changes", to_attr="postponements"))
    documents = action.documents.model.objects.filter(pk__in=chosen["document_keys"]).as_rows()
    projects = list(
        action.labelling_requests.model.objects.filter(pk__in=chosen["project_keys"])
        .select_related("lead_partner", "meeting")
        .only(*LABELLED_PROJECT_COLUMNS)
        .order_by(*PROJECTS_ORDER)
    )
    # Each kind's address reversed once, not once per row: a slug or a key needs no quoting.
    _attach_urls(meetings, "page_url", "meetings:detail", "slug")
    _attach_urls(projects, "page_url", "labelling:project", "slug")
    return {
        "meetings": meetings,
        "documents": documents,
        "projects": projects,
        "meeting_count": chosen["meeting_count"],
        "document_count": chosen["document_count"],
        "project_count": chosen["project_count"],
    }


# By date alone (unknown dates last): the meetings list's tie-breaks (span, title) sorted all
# of an action's hundreds of meetings to find the first few.
MEETINGS_ORDER = [F("start_date").desc(nulls_last=True), "-pk"]
PROJECTS_ORDER = ["-decided_at", "-start_date", "title"]


def _attach_urls(records, attribute, url_name, key, **kwargs):
    """Give each of ``records`` the address ``url_name`` names for its ``key`` (a slug or a
    number, which need no quoting) and ``kwargs`` as ``attribute``: reversed once for all."""
    address = address_pattern(url_name, key, **kwargs)
    for record in records:
        setattr(record, attribute, address.format(**{key: getattr(record, key)}))


def _serving_chosen(action, user):
    """Which meetings, documents (those ``user`` may see) and labelled projects serving
    ``action`` its page lists, by key (``meeting_keys``, ``document_keys``, ``project_keys``:
    the latest ``SERVING_SHOWN`` of each), and how many there are of each (``meeting_count``,
    ``document_count``, ``project_count``).

    Kept until the content changes (for each set of visibilities a visitor may see): finding
    the latest few sorted all of an action's hundreds of documents and meetings, and SQLite
    counts its few hundred public documents by reading every public one."""
    audiences = action.documents.model.audiences_of(user)

    def choose():
        documents = action.documents.visible_to(user)
        projects = action.labelling_requests.labelled()
        return {
            "meeting_keys": _first_keys(action.meetings.order_by(*MEETINGS_ORDER)),
            "document_keys": _first_keys(documents),
            "project_keys": _first_keys(projects.order_by(*PROJECTS_ORDER)),
            "meeting_count": action.meetings.count(),
            "document_count": documents.count(),
            "project_count": projects.count(),
        }

    return page_cache.cached_for_content(
        f"action-serving:{action.pk}:{','.join(audiences)}", choose
    )


def _first_keys(records):
    """The keys of the first ``SERVING_SHOWN`` of ``records``, in their order."""
    return list(records.values_list("pk", flat=True)[:SERVING_SHOWN])


def reference_countries(request):
    plans = ActionPlan.objects.prefetch_related(
        Prefetch(
            "domains",
            queryset=Domain.objects.select_related("plan")
            .prefetch_related(
                Prefetch("reference_countries", queryset=ReferenceCountry.objects.with_related())
            )
            .order_by("number"),
        )
    ).order_by("-start_year")
    return render(request, "actionplan/reference_countries.html", {"plans": plans})


def recommendations(request):
    plans = ActionPlan.objects.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                Prefetch("follow_ups", queryset=RecommendationFollowUp.objects.order_by("date"))
            ).order_by("number"),
        )
    ).order_by("-start_year")
    return render(request, "actionplan/recommendations.html", {"plans": plans})
