"""Filters of other apps' lists on the action plan."""

import django_filters

from actionplan.forms import ActionChoiceField


class ActionFilter(django_filters.ModelChoiceFilter):
    """A list's filter on one action, labelled as the pickers are (see ``action_label``)."""

    field_class = ActionChoiceField
