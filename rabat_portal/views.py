"""Pages that compose several apps: the home page and the partners of the Dialogue."""

from collections import Counter
from html import escape

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from actionplan.models import ActionPlan, ReferenceCountry
from focalpoints.models import Chairmanship, Partner, Region, SteeringCommitteeMembership
from focalpoints.permissions import can_use_private_area
from labelling.models import PUBLIC_ROW_COLUMNS, LabellingRequest
from meetings.models import Meeting
from portal_lib import gaps, page_cache, private_area
from portal_lib.exports import Column, download
from portal_lib.gates import private
from portal_lib.rows import address_pattern
from rabat_portal import health as service_health
from rabat_portal import search as site_search
from rabat_portal.permissions import can_see_content_to_complete
from rabat_portal.security import log_refusal

PARTNER_COLUMNS = [
    Column(_("Name"), lambda p: p.name),
    Column(_("Short name"), lambda p: p.short_name),
    Column(_("Kind"), lambda p: p.get_kind_display()),
    Column(_("Region"), lambda p: p.get_region_display()),
    Column(_("Status"), lambda p: p.get_status_display()),
    Column(_("Partner organisation"), lambda p: yes_no(p.is_partner_organisation)),
    Column(_("Steering Committee member"), lambda p: yes_no(p.on_steering_committee)),
    Column(_("ISO 3166 code"), lambda p: p.iso_code),
    Column(_("Page"), lambda p: f"{settings.SITE_URL}{p.get_absolute_url()}"),
]


def yes_no(value):
    return _("yes") if value else _("no")


def home(request):
    return render(
        request,
        "home.html",
        {
            "plan": ActionPlan.objects.with_structure().current(),
            "troika": Chairmanship.objects.troika(),
            **page_cache.cached_for_content("home-partner-counts", _partner_counts),
            # As the meetings list writes its rows: postponements read only where shown.
            "upcoming": Meeting.objects.filter(pk__in=Meeting.objects.next_upcoming_keys(4))
            .chronological()
            .as_rows(all_changes=False),
            "latest": Meeting.objects.held().order_by("-start_date")[:4].as_rows(all_changes=False),
        },
    )


def _partner_counts():
    """The home page's counts, by the partners page's categories: partner countries, observer
    countries and partner organisations."""
    members = Counter(
        Partner.objects.dialogue_members().values_list("kind", "status", "is_partner_organisation")
    )
    country, organisation = Partner.Kind.COUNTRY, Partner.Kind.ORGANISATION
    return {
        "partner_countries": members[(country, Partner.Status.PARTNER, False)],
        "observer_countries": members[(country, Partner.Status.OBSERVER, False)],
        "partner_organisations": sum(
            n for (kind, _status, flag), n in members.items() if kind == organisation and flag
        ),
    }


def partner_list(request, file_format=None):
    """The partners by region; with ``file_format``, every partner as a row of a file."""
    partners = Partner.objects.with_steering_committee_flag().order_by("name")
    if file_format:
        return download(list(partners), PARTNER_COLUMNS, name="partners", file_format=file_format)
    partners = partners.as_rows()
    # Reversed once (for each of the page's hundred-odd links it was a good part of its time).
    address = address_pattern("partner-detail", "slug")
    for partner in partners:
        partner["page_url"] = address.format(slug=partner["slug"])
    chairmanships = Chairmanship.objects.in_order()
    for chair in chairmanships:
        chair.page_url = address.format(slug=chair.partner.slug)
    regions = []
    for value, label in Region.choices:
        members = [
            p for p in partners if p["region"] == value and p["status"] != Partner.Status.INVITED
        ]
        regions.append((label, len(members), _partner_items(members)))
    return render(
        request,
        "partners/partner_list.html",
        {
            "regions": regions,
            "partner_organisations": _partner_items(
                [p for p in partners if p["is_partner_organisation"]]
            ),
            "other_organisations": _partner_items(
                [
                    p
                    for p in partners
                    if p["kind"] == Partner.Kind.ORGANISATION
                    and not p["is_partner_organisation"]
                    and p["status"] != Partner.Status.SECRETARIAT
                ]
            ),
            "secretariat": _partner_items(
                [p for p in partners if p["status"] == Partner.Status.SECRETARIAT]
            ),
            "invited": _partner_items(
                [p for p in partners if p["status"] == Partner.Status.INVITED]
            ),
            "steering_committee": [p for p in partners if p["on_steering_committee"]],
            "chairmanships": chairmanships,
            "troika": Chairmanship.objects.troika(chairs=chairmanships),
        },
    )


def _partner_items(partners):
    """The items of a list of partners (rows of ``Partner.objects.as_rows``, each with its
    ``page_url``), as HTML: its name and link, its short name where it has another, and its
    badges (Steering Committee member, observer). Written here rather than in the template,
    where a lookup, a test and an escape for each value of each partner were most of the page's
    time; each value escaped, the badges' words translated once per list."""
    if not partners:
        return ""
    sc_title, sc, observer = (
        escape(str(words)) for words in (_("Steering Committee member"), _("SC"), _("observer"))
    )
    items = []
    for partner in partners:
        name, short_name = partner["name"], partner["short_name"]
        items.append(
            f'<li><a href="{escape(partner["page_url"])}">{escape(name)}</a>'
            + (
                f' <span class="muted">({escape(short_name)})</span>'
                if short_name and short_name != name
                else ""
            )
            + (
                f' <span class="badge badge-sc" title="{sc_title}">{sc}</span>'
                if partner["on_steering_committee"]
                else ""
            )
            + (
                f' <span class="badge">{observer}</span>'
                if partner["status"] == Partner.Status.OBSERVER
                else ""
            )
            + "</li>"
        )
    return mark_safe("".join(items))


def partner_detail(request, slug):
    """A partner's page: its terms on the Steering Committee and as chair, the domains it is a
    reference country for, and its latest labelled projects."""
    partner = get_object_or_404(Partner, slug=slug)
    # Each list by a query of its own: prefetching them onto the partner cost more than that.
    memberships = SteeringCommitteeMembership.objects.filter(partner=partner).order_by("start")
    roles = (
        ReferenceCountry.objects.with_related()
        .filter(partner=partner)
        .order_by("-domain__plan__start_year", "domain__number")
    )
    chairmanships = [c for c in Chairmanship.objects.in_order() if c.partner_id == partner.pk]
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "memberships": memberships,
            "roles": roles,
            "chairmanships": chairmanships,
            **_partner_projects(partner),
        },
    )


# How many of a partner's labelled projects its page lists, the latest: the labelled projects
# list, filtered by the partner, holds them all.
PARTNER_PROJECTS_SHOWN = 10


def _partner_projects(partner):
    """The latest ``PARTNER_PROJECTS_SHOWN`` labelled projects in which ``partner`` takes part
    (as lead, co-implementing or funding partner), each once, with the columns their rows show
    and their ``page_url`` and ``action_numbers``; and how many there are (kept until the
    content changes)."""
    roles = (LabellingRequest.co_implementing_partners, LabellingRequest.funding_partners)
    projects = LabellingRequest.objects.labelled().filter(
        # Each role's projects by key, rather than joining both lists of partners and
        # de-duplicating whole rows (DISTINCT).
        Q(lead_partner=partner)
        | Q(pk__in=roles[0].through.objects.filter(partner=partner).values("labellingrequest"))
        | Q(pk__in=roles[1].through.objects.filter(partner=partner).values("labellingrequest"))
    )
    shown = list(
        projects.select_related("lead_partner", "meeting")
        .only(*PUBLIC_ROW_COLUMNS)
        .order_by("-decided_at", "-start_date", "title")[:PARTNER_PROJECTS_SHOWN]
    )
    # The numbers of the actions each serves, as plain numbers from the links' table: a
    # prefetch of the actions built a model and a related manager per project and action.
    numbers = {}
    links = LabellingRequest.actions.through.objects.filter(
        labellingrequest__in=[project.pk for project in shown]
    ).order_by("action__number")
    for project_id, number in links.values_list("labellingrequest", "action__number"):
        numbers.setdefault(project_id, []).append(number)
    address = address_pattern("labelling:project", "slug")
    for project in shown:
        project.page_url = address.format(slug=project.slug)
        project.action_numbers = numbers.get(project.pk, [])
    count = page_cache.cached_for_content(f"partner-projects:{partner.pk}", projects.count)
    return {"projects": shown, "project_count": count}


def search(request):
    query = request.GET.get("q", "")
    return render(
        request,
        "search.html",
        {"results": site_search.search(query, request.user), "query": query},
    )


@never_cache
@require_GET
def health(request):
    """For load balancers and container health checks: 200 when the database and Redis answer,
    503 otherwise; ``?worker=required`` also asks for a Celery worker."""
    healthy, statuses = service_health.health(
        worker_required=request.GET.get("worker") == "required"
    )
    return JsonResponse(statuses, status=200 if healthy else 503)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, which browsers, feed readers and bookmarks ask for whatever the page
    links to: the portal's icon. Not a permanent redirect: its static name changes with it."""
    return redirect(static("img/favicon.svg"))


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/private/",
        "Disallow: /fr/private/",
        "Disallow: /en/search/",
        "Disallow: /fr/search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """The 500 page, with the request's id for the person to quote: the log's lines about the
    error carry the same. Rendered without context processors, which may be what failed."""
    page = loader.get_template("500.html").render({"reference": getattr(request, "id", "")})
    return HttpResponseServerError(page)


def bad_request(request, exception):
    """The 400 page, in the portal's layout and the visitor's language; for the open-data API,
    whose clients read JSON, the reason as JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request: the address cannot be read."}, status=400)
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    """The 404 page; for an address under the open-data API that no operation matches (a slug
    with a dot, say), ``{"detail": ...}`` as the API's own 404s say it, not a page of HTML."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """The 403 page, after logging the refusal (who and what, no personal data)."""
    log_refusal(request, 403)
    return defaults.permission_denied(request, exception)


@private(can_use_private_area)
def dashboard(request):
    """The private area's home: the panels each app contributes for this person."""
    return render(request, "dashboard.html", {"panels": private_area.panels_for(request)})


@private(can_see_content_to_complete)
def content_to_complete(request):
    """The Secretariat's work list: each kind of gap the apps declare, how many records have
    it and a link to the admin page that fills each one."""
    from django.contrib import admin

    kinds = gaps.report()
    return render(
        request,
        "admin/content_to_complete.html",
        {
            **admin.site.each_context(request),
            "title": _("Content to complete"),
            "kinds": kinds,
            "total": sum(kind.count for kind in kinds),
        },
    )


# Records that moved to apps of their own, by their former app: {model: new app}.
MOVED_ADMIN_PAGES = {
    "rabat_portal": {
        "acronym": "stocktaking",
        "stocktakingreport": "stocktaking",
        "generatedreport": "stocktaking",
        "digestschedule": "digests",
        "digestdelivery": "digests",
    },
    "focalpoints": {
        "consultation": "consultations",
        "consultationreminder": "consultations",
    },
}


def moved_admin_page(request, old, model, rest):
    """The admin page of a record whose app changed, at its new address (and query)."""
    query = request.META.get("QUERY_STRING", "")
    new = MOVED_ADMIN_PAGES[old][model]
    return redirect(f"/admin/{new}/{model}/{rest}" + (f"?{query}" if query else ""))
