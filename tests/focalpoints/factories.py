import factory
from django.contrib.auth import get_user_model

from focalpoints.models import Chairmanship, Partner, Region, SteeringCommitteeMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    kind = Partner.Kind.COUNTRY
    region = Region.WEST_AFRICA
    status = Partner.Status.PARTNER


class OrganisationFactory(PartnerFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Partner.Kind.ORGANISATION
    region = ""


class ChairmanshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chairmanship

    partner = factory.SubFactory(PartnerFactory)


class SteeringCommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringCommitteeMembership

    partner = factory.SubFactory(PartnerFactory)
