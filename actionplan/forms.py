"""How forms and filters of every app let people pick actions."""

import itertools

from django import forms
from django.forms.models import ModelChoiceIterator
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
    """The actions in picking order, newest plan first, then by domain, objective and number,
    with what their labels and groups read."""
    return Action.objects.with_domain().order_by(
        "-plan__start_year", "plan", "objective__domain__number", "objective__number", "number"
    )


def action_group(action):
    """The heading pickers put an action under: its plan, domain and objective, so that actions
    of every plan can be picked and told apart ("Action 1" of Marrakesh and of Cadiz)."""
    objective = action.objective
    return _("%(plan)s %(period)s › Domain %(domain)s › %(objective)s") % {
        "plan": action.plan.name,
        "period": action.plan.period,
        "domain": objective.domain.number,
        "objective": objective,
    }


class GroupedActionIterator(ModelChoiceIterator):
    """Choices grouped by plan, domain and objective (an <optgroup> or a titled list of boxes
    each), in the queryset's order: ``actions_to_pick()`` gives the right one."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("plan", "objective__domain")
        for group, actions in itertools.groupby(queryset, key=action_group):
            yield (group, [self.choice(action) for action in actions])

    def __len__(self):
        # Only used to tell whether there are choices: one group per objective at most.
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class ActionChoiceField(forms.ModelChoiceField):
    iterator = GroupedActionIterator

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
    iterator = GroupedActionIterator
    widget = ActionCheckboxes

    def label_from_instance(self, action):
        return action_label(action)


class GroupedFrameworkItemIterator(ModelChoiceIterator):
    """Choices grouped by framework (an <optgroup> each), in the frameworks' order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.in_order()
        for framework, items in itertools.groupby(queryset, key=lambda item: item.framework):
            yield (framework.name, [self.choice(item) for item in items])

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class FrameworkItemChoiceField(forms.ModelChoiceField):
    """A pick among the items of the reference frameworks: "GCM 10: <its wording>"."""

    iterator = GroupedFrameworkItemIterator

    def label_from_instance(self, item):
        return str(item)
