"""Actions are picked as boxes grouped by domain and objective, in every form that picks them."""

import pytest
from django import forms

from actionplan.forms import ActionCheckboxes, ActionMultipleChoiceField, actions_to_pick
from tests.actionplan.factories import ActionFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


class Picker(forms.Form):
    actions = ActionMultipleChoiceField(queryset=actions_to_pick(), required=False)


def test_boxes_sit_in_a_fieldset_per_domain_and_per_objective_in_the_plans_order():
    objective = ObjectiveFactory(title="Know the diaspora")
    other = ObjectiveFactory(domain=objective.domain, title="Involve it")
    first = ActionFactory(objective=objective, number=1, title="Map the diaspora")
    ActionFactory(objective=objective, number=2)
    ActionFactory(objective=other, number=3)

    html = str(Picker(initial={"actions": [first.pk]})["actions"])

    assert isinstance(Picker().fields["actions"].widget, ActionCheckboxes)
    assert html.count("<fieldset>") == 3
    domain_at = html.index(f"<legend>{objective.domain}</legend>")
    first_objective_at = html.index(f"<legend>{objective}</legend>")
    second_objective_at = html.index(f"<legend>{other}</legend>")
    assert domain_at < first_objective_at < html.index("Action 2<") < second_objective_at
    assert "Action 1: Map the diaspora" in html
    assert html.count('type="checkbox"') == 3 and html.count("checked") == 1


def test_a_second_plan_is_named_in_its_domains_legends_and_choices_still_post():
    newer, older = ActionFactory(number=1), ActionFactory(number=1)
    assert newer.plan != older.plan  # each factory-made action has a plan of its own

    form = Picker({"actions": [older.pk]})

    assert form.is_valid() and list(form.cleaned_data["actions"]) == [older]
    html = str(form["actions"])
    assert f"({older.objective.domain.plan})</legend>" in html
