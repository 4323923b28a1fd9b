"""Filters of the laboratory's home page (django-filter); each is in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.models import Action, Domain
from focalpoints.models import Partner
from ideas_lab.models import Idea


class IdeaFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Idea.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(choices=Idea.Status.choices, empty_label=_("Any status"))
    domain = django_filters.ModelChoiceFilter(
        queryset=Domain.objects.select_related("plan").order_by("-plan__start_year", "number"),
        label=_("Domain"),
        empty_label=_("All domains"),
    )
    action = django_filters.ModelChoiceFilter(
        queryset=Action.objects.select_related("plan").order_by("-plan__start_year", "number"),
        field_name="actions",
        label=_("Action"),
        empty_label=_("All actions"),
        distinct=True,
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.filter(ideas__isnull=False).distinct().order_by("name"),
        label=_("Partner"),
        empty_label=_("All partners"),
    )
    following = django_filters.BooleanFilter(
        method="filter_following",
        label=_("Ideas I follow"),
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Idea
        fields = []

    def filter_following(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        followed = self.request.user.idea_follows.filter(is_active=True).values("idea")
        return queryset.filter(pk__in=followed) if value else queryset.exclude(pk__in=followed)
