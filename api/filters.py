"""Filters of the API's lists that have no page of their own to borrow them from; the meetings,
documents and labelled projects take their pages' FilterSets, so the same query gives the same
records in both."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from actionplan.models import ActionPlan, Recommendation
from focalpoints.models import Partner, Region


class FilterBackend(DjangoFilterBackend):
    """django-filter's, which leaves a list asked for with none of its filters as it is without
    building its FilterSet: an empty filter filters nothing, and the FilterSet's form and choices
    (a year's scan, the actions, the partners) were a fifth of such a list's time."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not asks_for_any(request, filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


def asks_for_any(request, filters):
    """Whether a parameter of ``request`` is one of ``filters``, or one of its parts (a range's
    ``<name>_min`` …)."""
    return any(
        parameter == name or parameter.startswith(f"{name}_")
        for parameter in request.query_params
        for name in filters
    )


class PartnerFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices)
    region = django_filters.ChoiceFilter(choices=Region.choices)
    status = django_filters.ChoiceFilter(choices=Partner.Status.choices)

    class Meta:
        model = Partner
        fields = []


class RecommendationFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.all(),
        to_field_name="slug",
        label=_("Action plan"),
    )

    class Meta:
        model = Recommendation
        fields = []
