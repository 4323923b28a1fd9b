import factory

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    ReferenceCountry,
)
from tests.focalpoints.factories import PartnerFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ["slug"]

    name = "Cadiz Action Plan"
    slug = factory.Sequence(lambda n: f"plan-{n}")
    start_year = 2023
    end_year = 2027


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Domain title {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    domain = factory.SubFactory(DomainFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective title {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    number = factory.Sequence(lambda n: n + 1)


class CrossCuttingPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossCuttingPriority

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class ReferenceCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceCountry

    domain = factory.SubFactory(DomainFactory)
    partner = factory.SubFactory(PartnerFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Recommendation {n}")


class RecommendationFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationFollowUp

    recommendation = factory.SubFactory(RecommendationFactory)
    date = factory.Faker("date_object")
    status = RecommendationFollowUp.Status.IN_PROGRESS
    description = "Discussed at the Steering Committee."
