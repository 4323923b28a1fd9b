"""One search over meetings, documents and the Action Plan, results grouped by type.

On PostgreSQL: full-text search, titles weighted above bodies, with the English or French
configuration by the page's language and the fields written in that language. Elsewhere (SQLite
for development): every word must appear in a title or body.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import get_language

from actionplan.models import Action, Domain, Objective, Recommendation
from meetings.models import Document, Meeting

MAX_PER_GROUP = 20
MAX_QUERY_LENGTH = 200
CONFIGURATIONS = {"en": "english", "fr": "french"}


@dataclass
class SearchResults:
    query: str
    meetings: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    domains: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)

    @property
    def total(self):
        return sum(
            len(group)
            for group in (
                self.meetings,
                self.documents,
                self.actions,
                self.domains,
                self.objectives,
                self.recommendations,
            )
        )


# For each model: the fields weighted A (titles) and B (bodies), without language suffix.
SEARCHED = {
    "meetings": (Meeting, ["title"], ["summary", "objective", "deliberations", "city"]),
    "documents": (Document, ["title"], ["description"]),
    "actions": (Action, ["title"], ["description"]),
    "domains": (Domain, ["title", "full_title"], ["description"]),
    "objectives": (Objective, ["title"], ["description"]),
    "recommendations": (Recommendation, ["title"], ["summary", "proposal"]),
}


def search(query, user):
    """Search everything ``user`` may see for ``query``; at most 20 results per type."""
    # PostgreSQL refuses NUL in any text: a query with one would fail rather than find nothing.
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    if not query:
        return results
    language = (get_language() or "en")[:2]
    for group, (model, titles, bodies) in SEARCHED.items():
        queryset = _base_queryset(model, user)
        if connection.vendor == "postgresql":
            found = _full_text(queryset, query, titles, bodies, language)
        else:
            found = _contains(queryset, query, titles + bodies)
        setattr(results, group, list(found[:MAX_PER_GROUP]))
    return results


def _base_queryset(model, user):
    if model is Document:
        return Document.objects.visible_to(user)
    if model is Meeting:
        return Meeting.objects.select_related("host_country")
    if model is Action:
        return Action.objects.with_domain()
    if model in (Domain, Recommendation):
        return model.objects.select_related("plan")
    return model.objects.select_related("domain", "plan")


def _full_text(queryset, query, titles, bodies, language):
    config = CONFIGURATIONS.get(language, "simple")
    languages = [language] if language == "en" else [language, "en"]

    def vector(names, weight):
        columns = [f"{name}_{code}" for name in names for code in languages]
        return SearchVector(*columns, config=config, weight=weight)

    search_query = SearchQuery(query, config=config, search_type="websearch")
    return (
        queryset.annotate(search=vector(titles, "A") + vector(bodies, "B"))
        .filter(search=search_query)
        .annotate(rank=SearchRank(F("search"), search_query))
        .order_by("-rank", "pk")
    )


def _contains(queryset, query, names):
    for word in query.split()[:10]:
        condition = Q()
        for name in names:
            for code in ("en", "fr"):
                condition |= Q(**{f"{name}_{code}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset.order_by("pk")
