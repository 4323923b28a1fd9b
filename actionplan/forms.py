"""How forms and filters of every app let people pick actions."""

from django import forms
from django.utils.translation import gettext as _

from actionplan.models import Action


def action_label(action):
    """An action as pickers name it: its number and wording, or, while its wording is not
    recorded, its number and objective, so that "Action 1" … "Action 23" can be told apart."""
    if action.title:
        return str(action)
    return _("Action %(number)s (%(objective)s)") % {
        "number": action.number,
        "objective": action.objective,
    }


def actions_to_pick():
    """The actions in picking order, newest plan first, with what their labels read."""
    return Action.objects.with_domain().order_by("-plan__start_year", "number")


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, action):
        return action_label(action)


class ActionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, action):
        return action_label(action)
