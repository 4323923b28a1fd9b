import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actionplan.models import Action, ActionPlan, Domain, Objective
from tests.actionplan.factories import (
    ActionFactory,
    ActionPlanFactory,
    DomainFactory,
    ObjectiveFactory,
    RecommendationFactory,
    ReferenceCountryFactory,
)
from tests.focalpoints.factories import OrganisationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_objectives_and_actions_take_their_plan_from_their_domain():
    plan = ActionPlanFactory()
    action = ActionFactory(objective=ObjectiveFactory(domain=DomainFactory(plan=plan)))

    assert action.plan == plan
    assert action.objective.plan == plan
    assert action.domain == action.objective.domain


def test_numbers_are_unique_within_a_plan():
    plan = ActionPlanFactory()
    DomainFactory(plan=plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DomainFactory(plan=plan, number=1)
    first = ObjectiveFactory(domain=DomainFactory(plan=plan, number=2), number=1)
    ActionFactory(objective=first, number=1)
    # Actions are numbered through the plan, not per objective.
    second = ObjectiveFactory(domain=first.domain, number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(objective=second, number=1)


def test_a_second_plan_reuses_the_numbers_as_data():
    marrakesh = ActionPlanFactory(slug="marrakesh", start_year=2018, end_year=2020)
    cadiz = ActionPlanFactory(slug="cadiz", start_year=2023, end_year=2027)
    for plan in (marrakesh, cadiz):
        ActionFactory(
            objective=ObjectiveFactory(domain=DomainFactory(plan=plan, number=1), number=1),
            number=1,
        )

    assert Action.objects.filter(number=1).count() == 2
    assert ActionPlan.objects.current() == cadiz


def test_a_duplicate_number_is_a_form_error_even_though_the_plan_is_not_on_the_form():
    objective = ObjectiveFactory()
    ActionFactory(objective=objective, number=7)
    duplicate = Action(objective=objective, number=7)

    with pytest.raises(ValidationError) as error:
        # The admin's form leaves out the plan field: it follows the objective.
        duplicate.full_clean(exclude=["plan"])

    assert "already used in this action plan" in str(error.value)


def test_a_plan_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        ActionPlanFactory(start_year=2020, end_year=2018)


def test_a_reference_country_is_a_country_and_only_once_per_domain():
    domain = DomainFactory()
    senegal = PartnerFactory()
    ReferenceCountryFactory(domain=domain, partner=senegal)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceCountryFactory(domain=domain, partner=senegal)

    organisation = ReferenceCountryFactory.build(domain=domain, partner=OrganisationFactory())
    with pytest.raises(ValidationError, match="must be a country"):
        organisation.full_clean()


def test_structure_is_fetched_in_a_constant_number_of_queries(django_assert_num_queries):
    plan = ActionPlanFactory()
    for number in range(1, 4):
        objective = ObjectiveFactory(domain=DomainFactory(plan=plan, number=number), number=number)
        ActionFactory(objective=objective, number=number)

    with django_assert_num_queries(5):
        loaded = ActionPlan.objects.with_structure().get(pk=plan.pk)
        titles = [
            action.number
            for domain in loaded.domains.all()
            for objective in domain.objectives.all()
            for action in objective.actions.all()
        ]
        list(loaded.priorities.all())

    assert titles == [1, 2, 3]


def test_content_falls_back_to_english_in_french():
    domain = DomainFactory(title_en="Protection and asylum", title_fr="")
    objective = ObjectiveFactory(
        title_en="Strengthen protection", title_fr="Renforcer la protection"
    )

    with translation.override("fr"):
        assert Domain.objects.get(pk=domain.pk).title == "Protection and asylum"
        assert Objective.objects.get(pk=objective.pk).title == "Renforcer la protection"


def test_recommendations_are_coded_r_and_their_number():
    assert RecommendationFactory(number=7).code == "R7"
    assert str(ActionFactory(number=19, title="")) == "Action 19"


def test_pickers_tell_actions_without_wording_apart_by_their_objective(seeded):
    from actionplan.forms import action_label, actions_to_pick
    from meetings.filters import MeetingFilter

    labels = [action_label(action) for action in actions_to_pick()]
    assert len(set(labels)) == len(labels) == 23
    first = actions_to_pick().filter(title="").first()
    assert action_label(first) == f"Action {first.number} ({first.objective})"
    # Grouped by plan, domain and objective, so that the actions of every plan can be picked.
    groups = [
        (group, options)
        for group, options in MeetingFilter().form.fields["action"].choices
        if isinstance(options, list)
    ]
    options = [label for _group, group_options in groups for _value, label in group_options]
    assert action_label(first) in options
    assert groups[0][0] == (f"Marrakesh Action Plan 2018–2020 › Domain 1 › {first.objective}")
