"""Filters of the laboratory's home page (django-filter); each is in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.filters import ActionFilter
from actionplan.forms import actions_to_pick
from actionplan.models import Domain
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
    action = ActionFilter(
        queryset=actions_to_pick(),
        field_name="actions",
        label=_("Action"),
        empty_label=_("All actions"),
        distinct=True,
    )
    # The partners of the ideas being listed (see __init__): a partner whose only ideas are
    # drafts or hidden must not show, to those who may not see them, that it has any.
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.none(),
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

    def __init__(self, data=None, queryset=None, **kwargs):
        """``queryset`` is the ideas the viewer may see; the partner filter offers theirs."""
        super().__init__(data, queryset, **kwargs)
        self.filters["partner"].queryset = Partner.objects.filter(
            pk__in=self.queryset.order_by().values("partner")
        ).order_by("name")

    def filter_following(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        followed = self.request.user.idea_follows.filter(is_active=True).values("idea")
        return queryset.filter(pk__in=followed) if value else queryset.exclude(pk__in=followed)
