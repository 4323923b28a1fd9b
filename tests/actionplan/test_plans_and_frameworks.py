"""Several plans with one current, the plans' archive, the reference frameworks, the actions'
correspondences with them, the comparative tables and the coverage of the frameworks' items."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actionplan.coverage import activity_kinds, framework_coverage
from actionplan.models import (
    Action,
    ActionPlan,
    Framework,
    FrameworkItem,
    FrameworkMapping,
    Objective,
)
from ideas_lab.models import Idea
from labelling.models import LabellingRequest
from meetings.models import Meeting
from tests.actionplan.factories import (
    ActionFactory,
    ActionPlanFactory,
    DomainFactory,
    ObjectiveFactory,
)
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MARRAKESH = "marrakesh-2018-2020"
CADIZ = "cadiz-2023-2027"


def text(response):
    """The page's visible text, spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


# -- one current plan ---------------------------------------------------------------------


def test_the_current_plan_switches_when_the_clock_passes_its_start():
    marrakesh = ActionPlanFactory(slug="m", start_year=2018, end_year=2020)
    cadiz = ActionPlanFactory(slug="c", start_year=2023, end_year=2027)

    with time_machine.travel(datetime.datetime(2022, 12, 31, 12, 0, tzinfo=datetime.UTC)):
        # Between two plans, the last one to have started stays in force.
        assert ActionPlan.objects.current() == marrakesh
    with time_machine.travel(datetime.datetime(2023, 1, 1, 12, 0, tzinfo=datetime.UTC)):
        assert ActionPlan.objects.current() == cadiz
    assert ActionPlan.objects.current(today=datetime.date(2019, 5, 1)) == marrakesh


def test_the_plan_the_secretariat_marks_as_current_wins_and_only_one_may_be_marked():
    marrakesh = ActionPlanFactory(slug="m", start_year=2018, end_year=2020, marked_current=True)
    ActionPlanFactory(slug="c", start_year=2023, end_year=2027)

    assert ActionPlan.objects.current(today=datetime.date(2025, 1, 1)) == marrakesh
    second = ActionPlanFactory.build(slug="x", start_year=2030, end_year=2031, marked_current=True)
    with pytest.raises(ValidationError, match="already marked as current"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_meeting_is_shown_against_the_plan_in_force_on_its_date(client, seeded):
    madrid = client.get("/en/meetings/thematic-meeting-border-management-madrid-2019/")
    cadiz = client.get("/fr/meetings/ministerial-conference-cadiz-2022/")

    assert "Plan in force Marrakesh Action Plan 2018–2020" in text(madrid)
    # December 2022: between the two plans' periods, and the sources say nothing more.
    assert "aucun plan d'action ne couvre cette date" in text(cadiz)


def test_the_home_page_shows_the_plan_in_force_today_with_its_gaps(client, seeded):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)):
        home = text(client.get("/en/"))
    with time_machine.travel(datetime.datetime(2020, 6, 1, 9, 0, tzinfo=datetime.UTC)):
        earlier = text(client.get("/en/"))

    assert "Cadiz Action Plan 2023–2027 at a glance" in home
    assert "Domain 5 to be completed" in home
    assert "5 domains" in home and "29 actions" in home
    assert "Marrakesh Action Plan 2018–2020 at a glance" in earlier


# -- the archive --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_earlier_plans_stay_browsable_under_their_own_urls(client, seeded, language):
    plans = text(client.get(f"/{language}/action-plans/"))
    marrakesh = client.get(f"/{language}/action-plan/{MARRAKESH}/")
    cadiz = client.get(f"/{language}/action-plan/{CADIZ}/")
    current = client.get(f"/{language}/action-plan/")

    assert marrakesh.status_code == cadiz.status_code == 200
    assert client.get(f"/{language}/action-plan/{MARRAKESH}/actions/19/").status_code == 200
    assert client.get(f"/{language}/action-plan/{MARRAKESH}/domains/4/").status_code == 200
    if language == "en":
        assert "Marrakesh Action Plan 2018–2020" in plans and "Cadiz Action Plan 2023–2027" in plans
        assert "An earlier action plan, kept as an archive" in text(marrakesh)
        assert "The current action plan." in text(current)
        assert "Domain 3 to be completed" in text(cadiz)
        # The chairmanships since its adoption, as the sources give them.
        assert "Morocco" in text(cadiz) and "Nigeria" in text(cadiz)
    else:
        assert "Plan d'action de Marrakech 2018–2020" in plans
        assert "Un plan d'action antérieur, conservé en archive" in text(marrakesh)
        assert "Domaine 3 à compléter" in text(cadiz)


def test_the_cadiz_frame_is_loaded_without_invented_wording(seeded):
    cadiz = ActionPlan.objects.get(slug=CADIZ)

    assert (cadiz.start_year, cadiz.end_year) == (2023, 2027)
    assert "Sixth Euro-African Ministerial Conference" in cadiz.adopted_at_en
    assert "13–14 December 2022" in cadiz.adopted_at_en
    assert (cadiz.announced_domains, cadiz.announced_objectives, cadiz.announced_actions) == (
        5,
        10,
        29,
    )
    assert not cadiz.domains.exists() and not cadiz.actions.exists()
    assert cadiz.domains_to_complete() == [1, 2, 3, 4, 5]


# -- entering a plan's structure in the admin ---------------------------------------------


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _domain_form(domain, objectives):
    data = {
        "plan": str(domain.plan_id),
        "number": str(domain.number),
        "title_en": domain.title,
        "title_fr": "",
        "full_title_en": "",
        "full_title_fr": "",
        "description_en": "",
        "description_fr": "",
        **_management("objectives", len(objectives)),
        **_management("reference_countries", 0),
    }
    for index, (number, title) in enumerate(objectives):
        data[f"objectives-{index}-number"] = str(number)
        data[f"objectives-{index}-title_en"] = title
        data[f"objectives-{index}-title_fr"] = ""
        data[f"objectives-{index}-domain"] = str(domain.pk)
    return data


def test_the_secretariat_enters_a_domains_objectives_inline(client, secretariat):
    plan = ActionPlanFactory(slug="cadiz-test")
    domain = DomainFactory(plan=plan, number=1, title="Area one")
    client.force_login(secretariat)

    url = reverse("admin:actionplan_domain_change", args=[domain.pk])
    response = client.post(url, _domain_form(domain, [(1, "First"), (2, "Second")]))

    assert response.status_code == 302
    assert list(Objective.objects.filter(plan=plan).values_list("number", "title")) == [
        (1, "First"),
        (2, "Second"),
    ]


def test_a_number_used_twice_in_a_plan_is_a_clear_error_on_the_admin_page(client, secretariat):
    plan = ActionPlanFactory(slug="cadiz-test")
    first = DomainFactory(plan=plan, number=1)
    ObjectiveFactory(domain=first, number=1, title="Taken")
    second = DomainFactory(plan=plan, number=2)
    client.force_login(secretariat)
    url = reverse("admin:actionplan_domain_change", args=[second.pk])

    # Twice on the same page, then one already used by another domain of the plan.
    twice = client.post(url, _domain_form(second, [(3, "A"), (3, "B")]))
    taken = client.post(url, _domain_form(second, [(1, "C")]))

    assert twice.status_code == taken.status_code == 200
    assert "Number 3 is given to two rows" in twice.content.decode()
    assert "already used in this action plan" in taken.content.decode()
    assert Objective.objects.filter(plan=plan).count() == 1


def test_the_plan_admin_page_shows_the_structure_and_the_domains_to_complete(
    client, secretariat, seeded
):
    client.force_login(secretariat)
    cadiz = ActionPlan.objects.get(slug=CADIZ)
    marrakesh = ActionPlan.objects.get(slug=MARRAKESH)

    empty = client.get(reverse("admin:actionplan_actionplan_change", args=[cadiz.pk]))
    full = client.get(reverse("admin:actionplan_actionplan_change", args=[marrakesh.pk]))

    assert "Domains to be completed: 1, 2, 3, 4, 5." in empty.content.decode()
    objective = Objective.objects.get(plan=marrakesh, number=10)
    assert reverse("admin:actionplan_objective_change", args=[objective.pk]) in (
        full.content.decode()
    )


# -- frameworks ---------------------------------------------------------------------------


def test_the_frameworks_are_loaded_in_english_and_french(seeded):
    gcm = Framework.objects.get(slug="gcm")
    sdg = Framework.objects.get(slug="sdg")

    assert gcm.items.count() == 23
    assert Framework.objects.get(slug="jvap").items.count() == 5
    assert sorted(sdg.items.values_list("code", flat=True)) == sorted(
        ["5.2", "8.8", "10.7", "10.c", "16.2", "17.18"]
    )
    item = FrameworkItem.objects.get(framework=gcm, code="10")
    assert item.title_en.startswith("Prevent, combat and eradicate trafficking in persons")
    assert item.title_fr.startswith("Prévenir, combattre et éliminer la traite de personnes")
    assert "73/195" in gcm.source_en and "70/1" in sdg.source_en
    assert not FrameworkItem.objects.filter(title_fr="").exists()


def test_only_the_sourced_correspondence_is_loaded(seeded):
    mappings = FrameworkMapping.objects.select_related("action__objective__domain", "item")

    assert mappings.count() == 23
    assert {m.item.framework.slug for m in mappings} == {"jvap"}
    assert all(m.item.code == str(m.action.objective.domain.number) for m in mappings)


def test_activities_inherit_the_framework_items_of_their_actions():
    action = ActionFactory()
    other = ActionFactory()
    framework = Framework.objects.create(
        slug="f", name="F", short_name="F", item_name="item", source="S"
    )
    item = FrameworkItem.objects.create(framework=framework, code="1", position=1, title="One")
    FrameworkMapping.objects.create(action=action, item=item)
    serving = MeetingFactory()
    serving.actions.add(action, other)
    MeetingFactory().actions.add(other)

    assert list(Meeting.objects.mapped_to(item)) == [serving]
    assert list(FrameworkItem.objects.inherited_by(serving)) == [item]
    assert not LabellingRequest.objects.mapped_to(item).exists()
    assert not Idea.objects.mapped_to(item).exists()


def _framework_with_meetings(count):
    plan = ActionPlanFactory(slug="p", start_year=2018, end_year=2020)
    action = ActionFactory(objective=ObjectiveFactory(domain=DomainFactory(plan=plan)))
    framework = Framework.objects.create(
        slug="t", name="Test framework", short_name="TF", item_name="item", source="Source"
    )
    served = FrameworkItem.objects.create(framework=framework, code="1", position=1, title="A")
    FrameworkItem.objects.create(framework=framework, code="2", position=2, title="B")
    FrameworkMapping.objects.create(action=action, item=served)
    for _number in range(count):
        MeetingFactory(start_date=datetime.date(2019, 3, 1)).actions.add(action)
    # Outside the period, and not held: neither counts.
    MeetingFactory(start_date=datetime.date(2021, 3, 1)).actions.add(action)
    MeetingFactory(status=Meeting.Status.CANCELLED).actions.add(action)
    return framework, action


def test_framework_coverage_counts_each_activity_once_per_item_over_the_period():
    framework, _action = _framework_with_meetings(3)

    rows = framework_coverage(framework, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))

    assert [(row.item.code, row.counts["meetings"], row.total) for row in rows] == [
        ("1", 3, 3),
        ("2", 0, 0),
    ]
    # Ideas are never public: counted only on request (or for those who may see them).
    assert "ideas" not in rows[0].counts
    assert "ideas" in [kind.key for kind in activity_kinds(include_private=True)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_coverage_page_gives_the_figures_beside_the_chart(client, language):
    framework, _action = _framework_with_meetings(2)
    url = f"/{language}/frameworks/{framework.slug}/coverage/"

    page = client.get(url, {"from": "2019-01-01", "to": "2019-12-31"})
    chart = client.get(url.replace("coverage/", "coverage.svg"), {"from": "2019-01-01"})

    assert page.status_code == 200
    assert re.search(r"TF 1</strong> A</th><td>2</td><td>0</td><td>2</td>", page.content.decode())
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    heading = "Activities and the Test framework" if language == "en" else "Les activités et le"
    assert heading in text(page)


def test_the_coverage_page_runs_the_same_queries_whatever_the_number_of_activities(
    client, django_assert_num_queries
):
    framework, action = _framework_with_meetings(1)
    url = f"/en/frameworks/{framework.slug}/coverage/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _number in range(20):
        MeetingFactory(start_date=datetime.date(2019, 3, 1)).actions.add(action)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_comparative_table_lists_the_actions_by_domain_with_their_items(
    client, seeded, language, django_assert_max_num_queries
):
    marrakesh = ActionPlan.objects.get(slug=MARRAKESH)
    gcm_10 = FrameworkItem.objects.get(framework__slug="gcm", code="10")
    action_19 = Action.objects.get(plan=marrakesh, number=19)
    FrameworkMapping.objects.create(action=action_19, item=gcm_10)

    with django_assert_max_num_queries(12):
        page = client.get(f"/{language}/action-plan/{MARRAKESH}/frameworks/gcm/")
    html = page.content.decode()

    assert page.status_code == 200
    row = html[html.index(f"/{language}/action-plan/{MARRAKESH}/actions/19/") :]
    row = row[: row.index("</tr>")]
    assert "GCM 10" in row or "PMM 10" in row
    title = gcm_10.title_en if language == "en" else gcm_10.title_fr
    assert title.replace("'", "&#x27;") in row
    # The items no action serves yet are listed apart; GCM 10 is not among them.
    unserved = html[html.index('id="unserved"') :]
    assert title.replace("'", "&#x27;") not in unserved


def test_the_comparative_table_of_a_plan_without_structure_says_so(client, seeded):
    page = client.get(f"/en/action-plan/{CADIZ}/frameworks/jvap/")

    assert "to be completed by the Secretariat" in text(page)


def test_the_admin_offers_the_actions_of_every_plan_grouped_by_plan(client, secretariat):
    marrakesh = ActionPlanFactory(slug="m", name="Marrakesh Action Plan", start_year=2018)
    cadiz = ActionPlanFactory(slug="c", name="Cadiz Action Plan", start_year=2023)
    for plan in (marrakesh, cadiz):
        ActionFactory(
            objective=ObjectiveFactory(domain=DomainFactory(plan=plan, number=1), number=1),
            number=1,
        )
    client.force_login(secretariat)

    html = client.get(reverse("admin:meetings_meeting_add")).content.decode()

    assert '<optgroup label="Cadiz Action Plan 2023–2027 › Domain 1 › Objective 1' in html
    assert '<optgroup label="Marrakesh Action Plan 2018–2027 › Domain 1 › Objective 1' in html
    assert html.index("Cadiz Action Plan 2023") < html.index("Marrakesh Action Plan 2018")


def test_ideas_are_counted_only_for_those_who_may_open_the_laboratory(client, senegal_staff):
    framework, _action = _framework_with_meetings(1)
    url = f"/en/frameworks/{framework.slug}/coverage/"

    anonymous = client.get(url).content.decode()
    client.force_login(senegal_staff)
    member = client.get(url).content.decode()

    assert '<th scope="col">Ideas</th>' not in anonymous
    assert '<th scope="col">Meetings held</th>' in anonymous
    assert '<th scope="col">Ideas</th>' in member


def test_a_meeting_page_names_the_framework_items_its_actions_serve(client, seeded):
    page = client.get("/en/meetings/thematic-meeting-border-management-madrid-2019/")

    # Madrid served domain 4 of the Marrakesh plan, which the report aligns with JVAP domain 4.
    assert re.search(r'<a href="/en/frameworks/jvap/coverage/" title="[^"]+">JVAP 4</a>', page.text)
