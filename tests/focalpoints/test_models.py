import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from focalpoints.models import Chairmanship, DatePrecision, Partner, Region
from tests.focalpoints.factories import (
    ChairmanshipFactory,
    OrganisationFactory,
    PartnerFactory,
    SteeringCommitteeMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_users_sign_in_with_their_email_address_and_have_no_user_name():
    user = get_user_model().objects.create_user("Amina@Example.org", "a long passphrase")

    assert user.email == "Amina@example.org"
    assert user.check_password("a long passphrase")
    assert not hasattr(user, "username") or user.username is None
    assert get_user_model().USERNAME_FIELD == "email"


def test_two_accounts_cannot_share_an_email_address():
    get_user_model().objects.create_user("nfp@example.org")
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user("nfp@example.org")


def test_two_countries_cannot_share_an_iso_code_but_organisations_have_none():
    PartnerFactory(iso_code="SN")
    OrganisationFactory()
    OrganisationFactory()  # two organisations without a code are fine
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(iso_code="SN")


def test_an_organisation_has_neither_region_nor_iso_code():
    organisation = OrganisationFactory.build(slug="ecowas", region=Region.WEST_AFRICA)
    with pytest.raises(ValidationError, match="neither an ISO code nor a region"):
        organisation.full_clean()


def test_only_an_organisation_can_be_a_partner_organisation():
    with pytest.raises(IntegrityError):
        PartnerFactory(is_partner_organisation=True)


def test_partner_names_fall_back_to_english_where_no_french_is_entered():
    translated = PartnerFactory(name_en="Senegal", name_fr="Sénégal", slug="senegal")
    untranslated = PartnerFactory(name_en="Cabo Verde", name_fr="", slug="cabo-verde")

    with translation.override("fr"):
        assert Partner.objects.get(pk=translated.pk).name == "Sénégal"
        assert Partner.objects.get(pk=untranslated.pk).name == "Cabo Verde"
    with translation.override("en"):
        assert Partner.objects.get(pk=translated.pk).name == "Senegal"


def test_steering_committee_flag_follows_the_membership_dates():
    member = SteeringCommitteeMembershipFactory(start=datetime.date(2018, 1, 1)).partner
    former = SteeringCommitteeMembershipFactory(
        start=datetime.date(2015, 1, 1), end=datetime.date(2018, 1, 1)
    ).partner
    outsider = PartnerFactory()

    flags = {
        p.pk: p.on_steering_committee
        for p in Partner.objects.with_steering_committee_flag(on=datetime.date(2019, 6, 1))
    }

    assert flags == {member.pk: True, former.pk: False, outsider.pk: False}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_partner_rows_read_as_the_partners_do(language):
    SteeringCommitteeMembershipFactory(
        partner=OrganisationFactory(
            name_en="Economic Community", name_fr="Communauté économique", short_name_en="EC"
        ),
        start=datetime.date(2018, 1, 1),
    )
    PartnerFactory(name_en="Cabo Verde", name_fr="", slug="cabo-verde", status="observer")
    PartnerFactory(name_en="Senegal", name_fr="Sénégal", slug="senegal", region="west_africa")
    fields = ["pk", "slug", "kind", "region", "status", "is_partner_organisation"]

    with translation.override(language):
        partners = Partner.objects.with_steering_committee_flag().order_by("name")
        fields += ["name", "short_name", "on_steering_committee"]
        rows = partners.as_rows()
        assert [{name: row[name] for name in fields} for row in rows] == [
            {name: getattr(p, name) for name in fields} for p in partners
        ]
        assert [row["on_steering_committee"] for row in rows] == [
            row["slug"].startswith("organisation") for row in rows
        ]
        assert "on_steering_committee" not in Partner.objects.as_rows()[0]


@pytest.fixture
def chair_history():
    """Part of the real history, with Mali's unknown start and year-only starts."""
    rows = [
        ("portugal", datetime.date(2016, 1, 1), DatePrecision.YEAR, None),
        ("mali", None, DatePrecision.DAY, datetime.date(2017, 3, 21)),
        ("belgium", datetime.date(2017, 3, 21), DatePrecision.DAY, None),
        ("burkina-faso", datetime.date(2018, 5, 2), DatePrecision.DAY, None),
        ("france", datetime.date(2019, 6, 3), DatePrecision.DAY, None),
    ]
    return {
        slug: ChairmanshipFactory(
            partner=PartnerFactory(slug=slug, name=slug.title()),
            start=start,
            start_precision=precision,
            end=end,
        )
        for slug, start, precision, end in rows
    }


def test_troika_gives_the_outgoing_current_and_incoming_chairs(chair_history):
    troika = Chairmanship.objects.troika(on=datetime.date(2018, 11, 1))

    assert troika.previous.partner.slug == "belgium"
    assert troika.current.partner.slug == "burkina-faso"
    assert troika.next.partner.slug == "france"


def test_a_chairmanship_ends_when_the_next_one_starts(chair_history):
    assert Chairmanship.objects.troika(on=datetime.date(2019, 6, 2)).current.partner.slug == (
        "burkina-faso"
    )
    assert Chairmanship.objects.troika(on=datetime.date(2019, 6, 3)).current.partner.slug == (
        "france"
    )


def test_the_latest_chair_has_no_successor_yet(chair_history):
    previous, current, following = Chairmanship.objects.troika(on=datetime.date(2026, 1, 1))

    assert (previous.partner.slug, current.partner.slug, following) == (
        "burkina-faso",
        "france",
        None,
    )


def test_a_chair_whose_start_is_unknown_sorts_by_its_end(chair_history):
    order = [chair.partner.slug for chair in Chairmanship.objects.in_order()]

    assert order == ["portugal", "mali", "belgium", "burkina-faso", "france"]


def test_the_troika_is_found_among_chairs_already_read_as_it_is_from_the_table(chair_history):
    chairs = Chairmanship.objects.in_order()
    for day in [(2010, 1, 1), (2016, 6, 1), (2017, 3, 21), (2018, 11, 1), (2026, 1, 1)]:
        on = datetime.date(*day)
        assert Chairmanship.objects.troika(on=on, chairs=chairs) == Chairmanship.objects.troika(
            on=on
        )


def test_before_the_first_recorded_chair_there_is_no_current_chair(chair_history):
    troika = Chairmanship.objects.troika(on=datetime.date(2010, 1, 1))

    assert troika.current is None
    assert troika.next.partner.slug == "portugal"


def test_terms_are_shown_as_precisely_as_they_are_known(chair_history):
    chairs = {chair.partner.slug: chair for chair in Chairmanship.objects.in_order()}

    with translation.override("en"):
        assert chairs["portugal"].term_display == "2016 – …"
        assert chairs["mali"].term_display == "… – 21 March 2017"
        assert chairs["burkina-faso"].term_display == "2 May 2018 – 3 June 2019"
        assert chairs["france"].term_display == "3 June 2019 –"
    with translation.override("fr"):
        assert chairs["burkina-faso"].term_display == "2 mai 2018 – 3 juin 2019"


def test_a_chairmanship_needs_a_start_or_an_end():
    with pytest.raises(IntegrityError):
        ChairmanshipFactory(start=None, end=None)


def test_a_chairmanship_cannot_end_before_it_starts():
    chair = ChairmanshipFactory.build(
        partner=PartnerFactory(), start=datetime.date(2020, 1, 1), end=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError, match="ends after it starts"):
        chair.full_clean()


def test_the_secretariat_s_accounts_list_each_person_once(secretariat):
    from django.contrib.auth.models import Group

    from focalpoints.permissions import SECRETARIAT_GROUP, secretariat_accounts

    chief = UserFactory(email="chief@example.org", is_staff=True, is_superuser=True)
    # Each group is a row of the join: a superuser in two groups came twice.
    chief.groups.add(Group.objects.get(name=SECRETARIAT_GROUP), Group.objects.create(name="Board"))
    UserFactory(email="former@example.org", is_staff=True, is_superuser=True, is_active=False)

    assert sorted(user.email for user in secretariat_accounts()) == [
        "chief@example.org",
        "secretariat@example.org",
    ]
