"""Filters of the API's lists that have no page of their own to borrow them from; the meetings,
documents and labelled projects take their pages' FilterSets, so the same query gives the same
records in both."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, Recommendation
from focalpoints.models import Partner, Region


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
