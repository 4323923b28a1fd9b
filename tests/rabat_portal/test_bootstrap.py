"""``manage.py bootstrap``: the Dialogue as the source report gives it, loaded idempotently."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Objective,
    Recommendation,
    ReferenceCountry,
)
from focalpoints.models import Chairmanship, Partner, Region, SteeringCommitteeMembership

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("focalpoints", "actionplan")
        for model in apps.get_app_config(app).get_models()
    }


def test_bootstrap_twice_gives_the_same_database(seeded):
    first = row_counts()
    names = list(Partner.objects.order_by("slug").values_list("slug", "name_en", "name_fr"))

    call_command("bootstrap", verbosity=0)

    assert row_counts() == first
    assert list(Partner.objects.order_by("slug").values_list("slug", "name_en", "name_fr")) == (
        names
    )


def test_the_marrakesh_plan_has_5_domains_10_objectives_23_actions_and_6_priorities(seeded):
    plan = ActionPlan.objects.get(slug="marrakesh-2018-2020")

    assert (plan.start_year, plan.end_year, str(plan.adopted_on)) == (2018, 2020, "2018-05-02")
    assert Domain.objects.filter(plan=plan).count() == 5
    assert list(
        Objective.objects.filter(plan=plan)
        .order_by("number")
        .values_list("number", "domain__number")
    ) == [(n, (n + 1) // 2) for n in range(1, 11)]
    per_objective = [
        objective.actions.count()
        for objective in Objective.objects.filter(plan=plan).order_by("number")
    ]
    assert per_objective == [3, 2, 3, 2, 2, 2, 3, 2, 2, 2]
    assert list(Action.objects.filter(plan=plan).values_list("number", flat=True)) == list(
        range(1, 24)
    )
    assert CrossCuttingPriority.objects.filter(plan=plan).count() == 6


def test_domains_objectives_and_priorities_use_the_report_s_words(seeded):
    assert Domain.objects.get(number=2).title == "Legal migration and mobility"
    assert Domain.objects.get(number=5).title == "Return, readmission and reintegration"
    assert Objective.objects.get(number=1).title == (
        "Maximise the positive impact of regular migration for development"
    )
    assert (
        "safe return and sustainable reintegration" in Objective.objects.get(number=10).description
    )
    assert CrossCuttingPriority.objects.get(number=1).title == ("A human rights-based approach")


def test_no_action_wording_is_invented(seeded):
    worded = Action.objects.exclude(title="")

    assert list(worded.values_list("number", flat=True)) == [19]
    assert "protection and assistance of persons affected by smuggling" in (
        worded.get().description
    )
    assert not Action.objects.filter(wording_confirmed=True).exists()


def test_reference_countries_are_the_r7_table_with_associates_in_brackets(seeded):
    table = {
        (r.domain.number, r.partner.slug, r.is_associate)
        for r in ReferenceCountry.objects.with_related()
    }

    assert table == {
        (1, "nigeria", False),
        (2, "cabo-verde", False),
        (2, "portugal", False),
        (2, "morocco", True),
        (3, "switzerland", False),
        (4, "cote-d-ivoire", False),
        (4, "niger", False),
        (4, "spain", False),
        (4, "burkina-faso", True),
        (5, "cameroon", False),
        (5, "togo", False),
    }
    assert set(ReferenceCountry.objects.values_list("status", flat=True)) == {"confirmed"}


def test_the_ten_recommendations_have_title_summary_and_proposal(seeded):
    recommendations = Recommendation.objects.order_by("number")

    assert [r.code for r in recommendations] == [f"R{n}" for n in range(1, 11)]
    assert recommendations[0].title == "Energise the Dialogue governance"
    assert all(r.summary and r.proposal for r in recommendations)
    assert recommendations[1].proposal.startswith("Propose an active follow-up")


def test_partners_by_region_with_observers_and_organisations(seeded):
    countries = Partner.objects.countries()

    assert countries.filter(region=Region.EUROPE).count() == 29
    assert countries.exclude(region=Region.EUROPE).exclude(region="").count() == 28
    assert set(countries.filter(status=Partner.Status.OBSERVER).values_list("slug", flat=True)) == {
        "algeria",
        "libya",
    }
    assert Partner.objects.get(slug="lebanon").status == Partner.Status.INVITED
    assert set(
        Partner.objects.filter(is_partner_organisation=True).values_list("short_name_en", flat=True)
    ) == {"EU", "ECOWAS"}
    assert Partner.objects.get(slug="senegal").iso_code == "SN"


def test_steering_committee_and_chairmanship_history(seeded):
    members = set(SteeringCommitteeMembership.objects.values_list("partner__slug", flat=True))
    chairs = [c.partner.slug for c in Chairmanship.objects.in_order()]

    assert len(members) == 12
    assert {"belgium", "france", "senegal", "spain"} <= members
    assert chairs == [
        "morocco",
        "portugal",
        "mali",
        "belgium",
        "burkina-faso",
        "france",
        "equatorial-guinea",
        "spain",
        "morocco",
        "portugal",
        "nigeria",
    ]


def test_seeded_content_reads_in_french(seeded):
    with translation.override("fr"):
        assert Partner.objects.get(slug="senegal").name == "Sénégal"
        assert Domain.objects.get(number=2).title != "Legal migration and mobility"


def test_demo_accounts_are_refused_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("bootstrap", "--demo", verbosity=0)

    assert not get_user_model().objects.exists()


def test_demo_accounts_are_created_and_their_credentials_printed(db, settings, client):
    settings.DEBUG = True
    out = StringIO()

    call_command("bootstrap", "--demo", stdout=out)

    email, password = next(
        line.split() for line in out.getvalue().splitlines() if "secretariat@example.org" in line
    )
    user = get_user_model().objects.get(email=email)
    assert user.is_staff and user.groups.filter(name="Secretariat").exists()
    assert client.login(email=email, password=password)


def test_the_demo_has_a_hybrid_meeting_open_for_the_demo_focal_point_s_nominations(
    db, settings, client
):
    from django.urls import reverse

    from meetings.models import Meeting

    settings.DEBUG = True
    call_command("bootstrap", "--demo", stdout=StringIO())
    call_command("bootstrap", "--demo", stdout=StringIO())  # again: nothing doubles

    meeting = Meeting.objects.get(slug="demo-hybrid-meeting")
    assert meeting.format == Meeting.Format.HYBRID and meeting.is_upcoming
    assert meeting.invitation.nominations_open
    focal_point = get_user_model().objects.get(email="focal-point@example.org")
    invited = set(meeting.delegations.values_list("partner__slug", flat=True))
    assert invited == {focal_point.membership.partner.slug, "spain"}
    client.force_login(focal_point)
    page = client.get(reverse("meetings:delegation", kwargs={"slug": meeting.slug}))
    assert page.status_code == 200
