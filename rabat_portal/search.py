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
from django.db.models import BooleanField, Expression, F
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from actionplan.models import Action, Domain, Objective, Recommendation
from meetings.models import Document, Meeting
from portal_lib.rows import address_pattern, columns_in_turn, first_filled

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
        # As rows (addresses and labels written out once for all, the postponements of the
        # undated meetings fetched with them), not model instances.
        if model is Meeting:
            found = found.as_rows(all_changes=False)
        elif model is Document:
            found = _document_rows(found)
        else:
            found = _plan_rows(model, found)
        setattr(results, group, found)
    return results


def _base_queryset(model, user):
    """The rows of ``model`` that ``user`` may find. Each group reads them as rows (the
    meetings' ``as_rows``, ``_document_rows``, ``_plan_rows``) with the columns a result shows:
    not the long texts in each language that the search reads but the page does not show."""
    if model is Document:
        return Document.objects.visible_to(user)
    return model.objects.all()


def _titles():
    """The columns of a title that its ``title`` reads, in turn: the active language's, then
    the others it falls back to; the first neither empty nor None is the title."""
    return columns_in_turn("title")


def _document_rows(queryset):
    """The documents of ``queryset``, in its order, as rows for the results: ``url`` (its
    page), ``title`` (``_titles``) and ``kind_label``."""
    titles = _titles()
    kinds = {value: str(label) for value, label in Document.Kind.choices}
    address = address_pattern("meetings:document", "pk")
    return [
        {
            "url": address.format(pk=row["pk"]),
            "title": first_filled(row, titles),
            "kind_label": kinds.get(row["kind"], row["kind"]),
        }
        for row in queryset.raw_values("pk", "kind", *titles)
    ]


# The label of a result of each part of the Action Plan, with ``%(number)s`` and ``%(title)s``,
# as the part's ``str`` writes it; an action's, its number alone: its title follows apart, as
# ``actionplan/action_link.html`` shows an action.
PLAN_LABELS = {
    Domain: _("Domain %(number)s: %(title)s"),
    Objective: _("Objective %(number)s: %(title)s"),
    Action: _("Action %(number)s"),
    Recommendation: "R%(number)s %(title)s",
}
SLUG_PLACEHOLDER = "slug-placeholder"


def _plan_rows(model, queryset):
    """The parts of the Action Plan in ``queryset`` (of ``model``), in its order, as rows for
    the results: ``url``, the page the part's link leads to; ``label`` (``PLAN_LABELS``); and
    ``title`` (``_titles``)."""
    titles = _titles()
    # An objective is shown on its domain's page.
    parent = "domain__" if model is Objective else ""
    fields = dict.fromkeys(["number", f"{parent}number", f"{parent}plan__slug", *titles])
    address, label = _plan_address(model), str(PLAN_LABELS[model])
    rows = []
    for row in queryset.raw_values(*fields):
        title = first_filled(row, titles)
        number = row["number"]
        rows.append(
            {
                "url": address.format(
                    plan=row[f"{parent}plan__slug"], page=row[f"{parent}number"], number=number
                ),
                "label": label % {"number": number, "title": title},
                "title": title,
            }
        )
    return rows


def _plan_address(model):
    """The address a result of ``model`` (a part of the Action Plan) links to, with
    ``{plan}`` (its plan's slug), ``{page}`` (the number of the domain or action whose page it
    is) and ``{number}`` (its own) to fill in: reversed once per search, not for each row."""
    if model is Recommendation:
        # One page holds them all, each at the anchor of its plan and code.
        return reverse("actionplan:recommendations") + "#{plan}-R{number}"
    view = "actionplan:action" if model is Action else "actionplan:domain"
    # A slug and a number need no quoting: each row's address is this one with its own.
    url = reverse(view, kwargs={"plan": SLUG_PLACEHOLDER, "number": 0})
    before, _zero, after = url.rpartition("0")
    address = before.replace(SLUG_PLACEHOLDER, "{plan}") + "{page}" + after
    return address + "#objective-{number}" if model is Objective else address


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
    """The rows of ``queryset`` in which each of the query's first ten words is in one of the
    fields ``names`` at least, in either language, in any case; by key."""
    fields = tuple(
        queryset.model._meta.get_field(f"{name}_{code}") for name in names for code in ("en", "fr")
    )
    return queryset.filter(ContainsEveryWord(fields, tuple(query.split()[:10]))).order_by("pk")


class ContainsEveryWord(Expression):
    """True where each of ``words`` is in one of ``fields`` (of the queried table) at least, in
    any case: the SQL of an ``icontains`` lookup per field and word, ORed by word and ANDed, as
    a Q of those lookups would write it, without building that Q (most of a search's time)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields, words):
        super().__init__()
        self.fields = fields
        self.words = words

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        operator = connection.operators["icontains"]
        any_field = " OR ".join(
            connection.ops.lookup_cast("icontains", field.get_internal_type())
            % f"{table}.{connection.ops.quote_name(field.column)}"
            + f" {operator}"
            for field in self.fields
        )
        patterns = [f"%{connection.ops.prep_for_like_query(word)}%" for word in self.words]
        sql = " AND ".join([f"({any_field})"] * len(patterns))
        return f"({sql})", [pattern for pattern in patterns for _field in self.fields]
