import factory
from django.contrib.auth import get_user_model

from focalpoints.models import (
    Chairmanship,
    Membership,
    Partner,
    Region,
    SteeringCommitteeMembership,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        """Accounts come from accepted invitations, which verify the address (allauth)."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


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


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Membership.Role.FOCAL_POINT
