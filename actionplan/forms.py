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


class ActionCheckboxes(forms.CheckboxSelectMultiple):
    """Boxes to tick, grouped by domain and, within it, by objective (fieldsets with their
    legends), instead of one long list or a multiple select that needs Ctrl-click."""

    template_name = "actionplan/widgets/action_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [
            option for _group, group, _index in context["widget"]["optgroups"] for option in group
        ]
        actions = [getattr(option["value"], "instance", None) for option in options]
        several_plans = len({action.plan_id for action in actions if action}) > 1
        domains = {}
        for option, action in zip(options, actions, strict=True):
            if action is None:
                continue
            domain = action.objective.domain
            domain_label = f"{domain} ({action.plan})" if several_plans else str(domain)
            objectives = domains.setdefault((action.plan_id, domain.pk), (domain_label, {}))[1]
            objectives.setdefault(action.objective_id, (str(action.objective), []))[1].append(
                # Under its objective's legend, an action without wording is its number.
                {**option, "label": str(action)}
            )
        context["widget"]["domains"] = [
            {
                "label": label,
                "objectives": [{"label": o, "options": opts} for o, opts in objs.values()],
            }
            for label, objs in domains.values()
        ]
        return context


class ActionMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = ActionCheckboxes

    def label_from_instance(self, action):
        return action_label(action)
