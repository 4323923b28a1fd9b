"""One search over meetings, documents and the Action Plan, results grouped by type.

On PostgreSQL: full-text search, titles weighted above bodies, with the English or French
configuration by the page's language and the fields written in that language. Meetings and
documents, thousands of rows, have their vectors kept by PostgreSQL in indexed generated columns
(migration meetings 0005); the few rows of the Action Plan are parsed at each search. Elsewhere
(SQLite for development): every word must appear in a title or body.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Q
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


# Models whose vectors PostgreSQL keeps in a column per language (search_en, search_fr), equal to
# what _full_text would compute from SEARCHED (a test checks it); the column is no model field.
STORED_VECTORS = {Meeting, Document}


class StoredVector(Expression):
    """The search vector column that PostgreSQL keeps for the queried table."""

    def __init__(self, column):
        super().__init__(output_field=SearchVectorField())
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


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
            found = _full_text(
                queryset, query, titles, bodies, language, stored=model in STORED_VECTORS
            )
        else:
            found = _contains(queryset, query, titles + bodies)
        found = found[:MAX_PER_GROUP]
        # Meetings as rows (their address and dates written out once for all, the
        # postponements of the undated ones fetched with them), not model instances.
        setattr(
            results,
            group,
            found.as_rows(all_changes=False) if model is Meeting else list(found),
        )
    return results


def _base_queryset(model, user):
    """The rows of ``model`` that ``user`` may find, with the columns a result shows: not the
    long texts in each language that the search reads but the page does not show."""
    if model is Document:
        return Document.objects.visible_to(user).for_listing()
    if model is Meeting:
        return Meeting.objects.all()  # read as rows: ``Meeting.objects.as_rows``
    if model is Action:
        return Action.objects.with_domain()
    if model in (Domain, Recommendation):
        return model.objects.select_related("plan")
    # An objective links to its domain's page, which names the plan.
    return model.objects.select_related("domain__plan", "plan")


def _full_text(queryset, query, titles, bodies, language, stored=False):
    config = CONFIGURATIONS.get(language, "simple")
    search_query = SearchQuery(query, config=config, search_type="websearch")
    if stored and language in CONFIGURATIONS:
        search = StoredVector(f"search_{language}")
    else:
        search = full_text_vector(titles, bodies, language)
    # alias(), not annotate(): the vector is matched and ranked, never sent back to Python.
    return (
        queryset.alias(search=search)
        .filter(search=search_query)
        .annotate(rank=SearchRank(F("search"), search_query))
        .order_by("-rank", "pk")
    )


def full_text_vector(titles, bodies, language):
    """Titles weighted A, bodies B, in the page's language (French falls back to English)."""
    config = CONFIGURATIONS.get(language, "simple")
    languages = [language] if language == "en" else [language, "en"]

    def vector(names, weight):
        columns = [f"{name}_{code}" for name in names for code in languages]
        return SearchVector(*columns, config=config, weight=weight)

    return vector(titles, "A") + vector(bodies, "B")


def _contains(queryset, query, names):
    for word in query.split()[:10]:
        condition = Q()
        for name in names:
            for code in ("en", "fr"):
                condition |= Q(**{f"{name}_{code}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset.order_by("pk")
