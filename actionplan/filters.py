"""Filters of other apps' lists on the action plan."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.forms import ActionChoiceField, FrameworkItemChoiceField
from actionplan.models import FrameworkItem


class ActionFilter(django_filters.ModelChoiceFilter):
    """A list's filter on one action, labelled as the pickers are (see ``action_label``)."""

    field_class = ActionChoiceField


def _mapped_to(queryset, name, item):
    return queryset.mapped_to(item)


class FrameworkItemFilter(django_filters.ModelChoiceFilter):
    """A list's filter on one item of a reference framework: the activities serving an action
    mapped to it (``mapped_to``, the activities' vocabulary), as the coverage pages count them."""

    field_class = FrameworkItemChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", FrameworkItem.objects.in_order())
        kwargs.setdefault("method", _mapped_to)
        kwargs.setdefault("label", _("Framework item"))
        kwargs.setdefault("empty_label", _("All framework items"))
        super().__init__(*args, **kwargs)
