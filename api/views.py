"""The open-data API: one read-only view set per kind of public record.

Each list takes the filters of the page that lists the same records (the same django-filter
FilterSet), so a query gives the same records on the page, in its downloads and here. Nobody is
signed in here (no session, no login: settings.REST_FRAMEWORK), and each view set starts from the
records the public may see, so nothing private is reachable whoever asks.

To add a kind of record: a serializer, a view set below (its queryset, filters and the models
whose changes date it), and a line in ``urls.py``.
"""

import functools

from django.conf import settings
from django.db.models import F, Max, Prefetch, Value
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import viewsets

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Framework,
    FrameworkItem,
    FrameworkMapping,
    Objective,
    Recommendation,
    RecommendationFollowUp,
)
from api import refs, serializers
from api.filters import FilterBackend, PartnerFilter, RecommendationFilter
from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership
from labelling.filters import LabelledProjectFilter
from labelling.models import LabellingRequest
from meetings.filters import DocumentFilter, MeetingFilter
from meetings.models import Document, Meeting, MeetingDateChange, MeetingResult, Participation


def latest_of(moments):
    """A query of the latest of the moments (dates and times) in the columns ``moments`` names,
    each a ``(queryset, column)``: one row per column, its maximum (None where it is empty)."""
    # Grouped by a constant, which leaves no GROUP BY: one row, the column's maximum.
    each = [
        queryset.order_by()
        .annotate(whole=Value(1))
        .values("whole")
        .annotate(latest=Max(column))
        .values_list("latest", flat=True)
        for queryset, column in moments
    ]
    return each[0].union(*each[1:], all=True)


# {view set: the query of the latest change to what it reads}
LATEST_CHANGE = {}


@functools.cache
def historical(model):
    """The model of ``model``'s history (``model.history`` builds a manager class each time)."""
    return model.history.model


def requested_language(request):
    """``?lang=`` if it names a language of the portal, else the best of Accept-Language, else
    the default. Not the language cookie: an answer depends only on its URL and that header."""
    supported = dict(settings.LANGUAGES)
    wanted = request.GET.get("lang", "")
    if wanted in supported:
        return wanted
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of public records, in the requested language, dated by the
    latest change to the models it reads (``changed_with``, from their history)."""

    changed_with = ()
    filter_backends = [FilterBackend]

    def initial(self, request, *args, **kwargs):
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def changes(self):
        """``(queryset, column)`` of each date and time of a change to what the view reads."""
        return [(historical(model).objects.all(), "history_date") for model in self.changed_with]

    def last_modified(self):
        """When a record this view reads last changed (created, edited or deleted), or None
        where no change is recorded (records loaded from the seed)."""
        view = type(self)
        if view not in LATEST_CHANGE:
            # Built once per view (building it cost more than running it); a clone runs.
            LATEST_CHANGE[view] = latest_of(self.changes())
        found = [moment for moment in LATEST_CHANGE[view].all() if moment is not None]
        return max(found, default=None)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else self.with_refs(page)

    def get_object(self):
        return self.with_refs([super().get_object()])[0]

    def with_refs(self, records):
        """``records`` (a page of them, or the one asked for), each given in ``refs`` what the
        serializer shows of the records it names, written out for them all (``api.refs``)."""
        return records

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            latest = self.last_modified()
            if latest is not None:
                response["Last-Modified"] = http_date(latest.timestamp())
        # The body depends on the language asked for; ConditionalGetMiddleware adds the ETag.
        patch_vary_headers(response, ["Accept-Language"])
        return response


class ActionPlanViewSet(PublicViewSet):
    """The action plans, each with its domains, objectives, actions (with the framework items
    each serves) and cross-cutting priorities; ``is_current`` marks the plan the portal shows as
    current. An action's title is empty while the plan's wording is not known."""

    serializer_class = serializers.ActionPlanSerializer
    lookup_field = "slug"
    changed_with = (ActionPlan, Domain, Objective, Action, CrossCuttingPriority, FrameworkMapping)
    queryset = ActionPlan.objects.order_by("-start_year", "pk")

    def with_refs(self, plans):
        structures = refs.plan_structures(plans)
        for plan in plans:
            plan.refs = structures[plan.pk]
        return plans

    def get_serializer_context(self):
        current = ActionPlan.objects.current()
        return {**super().get_serializer_context(), "current_plan_id": current and current.pk}


class FrameworkViewSet(PublicViewSet):
    """The reference frameworks the plans' actions are mapped to (the Joint Valletta Action
    Plan's domains, the Global Compact for Migration's objectives, the SDG targets on
    migration), each with its items in English or French."""

    serializer_class = serializers.FrameworkSerializer
    lookup_field = "slug"
    changed_with = (Framework, FrameworkItem)
    queryset = Framework.objects.prefetch_related(
        Prefetch("items", queryset=FrameworkItem.objects.order_by("position", "pk"))
    ).order_by("position", "slug", "pk")


class RecommendationViewSet(PublicViewSet):
    """The recommendations of the stocktaking reports, with what was done about each."""

    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter
    changed_with = (Recommendation, RecommendationFollowUp)
    queryset = (
        Recommendation.objects.select_related("plan")
        .prefetch_related(
            Prefetch("follow_ups", queryset=RecommendationFollowUp.objects.order_by("date", "pk"))
        )
        .order_by("-plan__start_year", "number", "pk")
    )


class PartnerViewSet(PublicViewSet):
    """The partners of the Dialogue (countries and organisations) and invited non-partners, with
    their region, chairmanships and Steering Committee memberships."""

    serializer_class = serializers.PartnerSerializer
    filterset_class = PartnerFilter
    lookup_field = "slug"
    changed_with = (Partner, Chairmanship, SteeringCommitteeMembership)

    def get_queryset(self):
        return Partner.objects.with_steering_committee_flag().order_by("name", "pk")

    def with_refs(self, partners):
        roles = refs.partner_roles(partners)
        for partner in partners:
            partner.refs = roles[partner.pk]
        return partners


class MeetingViewSet(PublicViewSet):
    """Meetings of every kind, with their dates as precisely as they are known, status, place,
    the actions they served and their participation figures. The filters are the meetings
    page's: ``year``, ``domain`` and ``action`` (ids from /plans/), ``framework_item`` (an id
    from /frameworks/: the meetings serving an action mapped to it), ``country`` (a partner's
    id), ``kind``, ``status``, ``format``, ``when``, ``q``, ``sort``."""

    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter
    lookup_field = "slug"
    changed_with = (Meeting, Participation, MeetingDateChange, MeetingResult, FrameworkMapping)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MeetingDetailSerializer
        return serializers.MeetingSerializer

    def get_queryset(self):
        meetings = (
            Meeting.objects.public()
            .select_related("host_country", "participation")
            .prefetch_related(
                # A plain list, as the calendar's: what ``dates_display`` reads too.
                Prefetch(
                    "date_changes",
                    queryset=MeetingDateChange.objects.order_by("previous_start"),
                    to_attr="postponements",
                )
            )
        )
        if self.action == "retrieve":
            meetings = meetings.prefetch_related("participation__organisations_present")
        return meetings

    def with_refs(self, meetings):
        words = refs.vocabulary()
        named = refs.named(Meeting, ("actions", "organisers", "co_chairs"), meetings)
        actions = refs.actions(words, named["actions"])
        organisers = refs.partners(words, named["organisers"])
        co_chairs = refs.partners(words, named["co_chairs"])
        results = refs.linked(
            MeetingResult.objects.all(), "meeting", [meeting.pk for meeting in meetings], ("text",)
        )
        # The side events' and postponed meetings' (few): not a join or subquery in the list's
        # query, which the paginator's count of the whole table would carry.
        others = {meeting.parent_id for meeting in meetings} | {
            meeting.postponed_to_id for meeting in meetings
        }
        slugs = dict(Meeting.objects.filter(pk__in=others - {None}).values_list("pk", "slug"))
        for meeting in meetings:
            meeting.refs = {
                "host_country": refs.partner(words, meeting.host_country_id),
                "organisers": organisers.get(meeting.pk, []),
                "co_chairs": co_chairs.get(meeting.pk, []),
                "actions": actions.get(meeting.pk, []),
                "domains": refs.domains(words, actions.get(meeting.pk, [])),
                "results": [result["text"] for result in results[meeting.pk]],
                "parent": slugs.get(meeting.parent_id),
                "postponed_to": slugs.get(meeting.postponed_to_id),
            }
        return meetings


class DocumentViewSet(PublicViewSet):
    """The public documents of the library (never a restricted one), with a link to each file.
    The filters are the library page's."""

    serializer_class = serializers.DocumentSerializer
    filterset_class = DocumentFilter
    changed_with = (Document, FrameworkMapping)

    def get_queryset(self):
        return Document.objects.public().with_date()

    def with_refs(self, documents):
        meetings = refs.meetings(documents, "documents")
        named = refs.named(Document, ("actions",), documents)
        # In the actions' own order (their plan's, then their number), as before.
        actions = refs.actions(refs.vocabulary(), named["actions"], by_plan=True)
        for document in documents:
            document.refs = {
                "meetings": meetings[document.pk],
                "actions": actions.get(document.pk, []),
            }
        return documents


class LabelledProjectViewSet(PublicViewSet):
    """Projects and events granted the Rabat Process label (never a request still in review).
    The filters are the labelled projects page's: ``domain``, ``action``, ``framework_item``,
    ``partner``, ``kind``, ``year``."""

    serializer_class = serializers.LabelledProjectSerializer
    filterset_class = LabelledProjectFilter
    lookup_field = "slug"

    def get_queryset(self):
        return LabellingRequest.objects.labelled().order_by(
            F("decided_at").desc(nulls_last=True), "-start_date", "title", "pk"
        )

    def with_refs(self, projects):
        words = refs.vocabulary()
        partners = ("co_implementing_partners", "funding_partners", "countries")
        named = refs.named(LabellingRequest, (*partners, "actions"), projects)
        written = {field: refs.partners(words, named[field]) for field in partners}
        written["actions"] = refs.actions(words, named["actions"])
        meetings = {project.meeting_id for project in projects} - {None}
        slugs = dict(Meeting.objects.filter(pk__in=meetings).values_list("pk", "slug"))
        for project in projects:
            project.refs = {name: found.get(project.pk, []) for name, found in written.items()}
            project.refs["lead_partner"] = refs.partner(words, project.lead_partner_id)
            project.refs["meeting"] = slugs.get(project.meeting_id)
        return projects

    def changes(self):
        # Not kept in a history; a label once granted stays, so the labelled requests' latest
        # change covers every change of their own, and says nothing of requests in review. The
        # actions' correspondences with the frameworks are listed with them: their changes too.
        return [
            (LabellingRequest.objects.labelled(), "updated_at"),
            (historical(FrameworkMapping).objects.all(), "history_date"),
        ]
