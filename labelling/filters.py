"""Filters of the labelled projects' list and the Secretariat's review queue (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actionplan.filters import ActionFilter, FrameworkItemFilter
from actionplan.forms import actions_to_pick
from actionplan.models import Domain
from focalpoints.models import Partner
from labelling.models import OPEN_STATES, LabellingRequest, State
from portal_lib import page_cache


def _domain_filter():
    return django_filters.ModelChoiceFilter(
        queryset=Domain.objects.select_related("plan").order_by("-plan__start_year", "number"),
        field_name="actions__objective__domain",
        label=_("Domain"),
        empty_label=_("All domains"),
        distinct=True,
    )


class LabelledProjectFilter(django_filters.FilterSet):
    domain = _domain_filter()
    action = ActionFilter(
        queryset=actions_to_pick(),
        field_name="actions",
        label=_("Action"),
        empty_label=_("All actions"),
        distinct=True,
    )
    framework_item = FrameworkItemFilter()
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.filter(
            Q(labelling_requests__state=State.APPROVED)
            | Q(co_implemented_labelling_requests__state=State.APPROVED)
            | Q(funded_labelling_requests__state=State.APPROVED)
        )
        .distinct()
        .order_by("name"),
        method="filter_partner",
        label=_("Partner"),
        empty_label=_("All partners"),
    )
    kind = django_filters.ChoiceFilter(
        choices=LabellingRequest.Kind.choices, label=_("Type"), empty_label=_("All types")
    )
    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years")
    )

    class Meta:
        model = LabellingRequest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same for every visitor until the content changes: not a scan per request.
        self.filters["year"].extra["choices"] = page_cache.cached_for_content(
            "labelled-project-years", self._years
        )

    def _years(self):
        years = set()
        for start, meeting_start in LabellingRequest.objects.labelled().values_list(
            "start_date", "meeting__start_date"
        ):
            when = start or meeting_start
            if when:
                years.add(when.year)
        return [(year, year) for year in sorted(years, reverse=True)]

    def filter_partner(self, queryset, name, partner):
        return queryset.filter(
            Q(lead_partner=partner)
            | Q(co_implementing_partners=partner)
            | Q(funding_partners=partner)
        ).distinct()

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            Q(start_date__year=year) | Q(start_date__isnull=True, meeting__start_date__year=year)
        )


class ReviewQueueFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=[choice for choice in State.choices if choice[0] != State.DRAFT],
        label=_("State"),
        widget=forms.CheckboxSelectMultiple,
    )
    domain = _domain_filter()
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.order_by("name"),
        field_name="lead_partner",
        label=_("Lead partner"),
        empty_label=_("All partners"),
    )
    # Waiting longest is the default (no choice); each other order is offered once.
    sort = django_filters.OrderingFilter(
        fields=[("submitted_at", "waiting"), ("updated_at", "updated")],
        choices=[("-waiting", _("Submitted last")), ("-updated", _("Changed last"))],
        label=_("Sort by"),
        empty_label=_("Waiting longest"),
    )

    class Meta:
        model = LabellingRequest
        fields = []

    @property
    def qs(self):
        queryset = super().qs.exclude(state=State.DRAFT)
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(state__in=OPEN_STATES)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("submitted_at", "pk")
        return queryset
