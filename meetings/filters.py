"""Filters of the meetings list and the document library (django-filter); each is in the URL."""

import hashlib

import django_filters
import django_filters.constants
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from actionplan.filters import ActionFilter, FrameworkItemFilter
from actionplan.forms import actions_to_pick
from actionplan.models import Domain
from focalpoints.models import Partner
from meetings.models import SPAN_RANK, Document, Meeting
from portal_lib import page_cache

SEARCH_MAX_LENGTH = 300


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting in which records without a value (a meeting's unknown date) always come last."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            field = F(name.lstrip("-"))
            ordering.append(
                field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)
            )
        if value and self.get_ordering_value(value[0]).lstrip("-") == "start_date":
            # Within a day, the shorter span first, as in the default order.
            ordering.append(SPAN_RANK)
        return qs.order_by(*ordering, "pk")


def year_choices(queryset, field, name=None):
    """The years of ``field`` among ``queryset``'s rows, newest first: a scan of the table,
    so kept until the content changes (one query per change, not per request).

    They are kept under ``name``, or else under the query's SQL (compiling it costs about as
    much as the rest of the filters: a fixed queryset is better named)."""
    if name is None:
        sql, params = queryset.dates(field, "year").query.sql_with_params()
        name = hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()
    return page_cache.cached_for_content(
        f"year-choices:{name}",
        lambda: [(d.year, d.year) for d in queryset.dates(field, "year", order="DESC")],
    )


class MeetingFilter(django_filters.FilterSet):
    # Bounded: no title is longer, and SQLite refuses LIKE patterns past 50,000 bytes.
    q = django_filters.CharFilter(
        method="filter_text", label=_("Search"), max_length=SEARCH_MAX_LENGTH
    )
    when = django_filters.ChoiceFilter(
        method="filter_when",
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        empty_label=_("Any time"),
    )
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, empty_label=_("All kinds"))
    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years")
    )
    domain = django_filters.ModelChoiceFilter(
        queryset=Domain.objects.select_related("plan").order_by("-plan__start_year", "number"),
        method="filter_domain",
        label=_("Domain"),
        empty_label=_("All domains"),
    )
    action = ActionFilter(
        queryset=actions_to_pick(),
        field_name="actions",
        label=_("Action"),
        empty_label=_("All actions"),
        distinct=True,
    )
    framework_item = FrameworkItemFilter()
    country = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.countries().order_by("name"),
        field_name="host_country",
        label=_("Host country"),
        empty_label=_("All countries"),
    )
    status = django_filters.ChoiceFilter(
        choices=Meeting.Status.choices, empty_label=_("Any status")
    )
    format = django_filters.ChoiceFilter(
        choices=Meeting.Format.choices, empty_label=_("Any format")
    )
    # Newest first is the default (no choice); each other order is offered once.
    sort = NullsLastOrderingFilter(
        fields=[("start_date", "date"), ("title", "title")],
        choices=[("date", _("Oldest first")), ("title", _("Title"))],
        label=_("Sort by"),
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = year_choices(Meeting.objects.all(), "start_date", name="meetings")
        self.filters["year"].extra["choices"] = self.years

    # The form's class for each language (some labels are put in words when a field is made),
    # with the years it offers: {language: (years, class)}.
    _form_classes = {}

    def get_form_class(self):
        """The filters' form class, made once per language and set of years offered: its
        fields (with their querysets and choices) were built anew for each request, a third of
        the filters' time. Each form still works on copies of them, as Django's forms do."""
        language = get_language()
        years, form_class = self._form_classes.get(language, (None, None))
        if years != self.years:
            form_class = super().get_form_class()
            self._form_classes[language] = (self.years, form_class)
        return form_class

    def count(self):
        """How many meetings the filters choose, kept until the content or the day changes
        (the upcoming ones change with it): counting them anew for each page of the list and
        each visitor scanned the same rows again."""
        data = self.data
        # A query's values (a QueryDict), else a dict's.
        items = data.lists() if hasattr(data, "lists") else data.items()
        chosen = sorted(
            (name, values) for name, values in items if name in self.filters and name != "sort"
        )
        digest = hashlib.sha256(repr(chosen).encode()).hexdigest()
        return page_cache.cached_for_content(
            f"meetings-count:{timezone.localdate().isoformat()}:{digest}", self.qs.count
        )

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:10]:
            queryset = queryset.filter(
                Q(title_en__icontains=word)
                | Q(title_fr__icontains=word)
                | Q(city_en__icontains=word)
                | Q(city_fr__icontains=word)
                | Q(host_country__name_en__icontains=word)
                | Q(host_country__name_fr__icontains=word)
            )
        return queryset

    def filter_when(self, queryset, name, value):
        return queryset.upcoming() if value == "upcoming" else queryset.past()

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    def filter_domain(self, queryset, name, value):
        return queryset.serving_domain(value)


class DocumentFilter(django_filters.FilterSet):
    # Bounded: no title is longer, and SQLite refuses LIKE patterns past 50,000 bytes.
    q = django_filters.CharFilter(
        method="filter_text", label=_("Search"), max_length=SEARCH_MAX_LENGTH
    )
    category = django_filters.ChoiceFilter(
        choices=Document.Category.choices, empty_label=_("All categories")
    )
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, empty_label=_("All kinds"))
    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years")
    )
    language = django_filters.ChoiceFilter(
        choices=Document.Language.choices, empty_label=_("All languages")
    )
    # A slug rather than a drop-down: there are thousands of meetings; their pages link here.
    meeting = django_filters.CharFilter(
        field_name="meetings__slug", label=_("Meeting"), distinct=True
    )
    action = ActionFilter(
        queryset=actions_to_pick(),
        field_name="actions",
        label=_("Action"),
        empty_label=_("All actions"),
        distinct=True,
    )

    class Meta:
        model = Document
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The year of a document's date: its publication's, or its meeting's (``with_date``).
        self.filters["year"].extra["choices"] = year_choices(self.queryset.with_date(), "dated")

    def filter_year(self, queryset, name, value):
        return queryset.with_date().filter(dated__year=int(value))

    def filter_text(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title_en__icontains=word)
                | Q(title_fr__icontains=word)
                | Q(description_en__icontains=word)
                | Q(description_fr__icontains=word)
            )
        return queryset
