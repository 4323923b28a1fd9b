"""The reference frameworks in the API: the frameworks and their items, the items each action
serves (in the plans and wherever an action is named), the current plan, and the meetings and
labelled projects filtered by a framework's item as their pages filter them."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from actionplan.models import Action, FrameworkItem, FrameworkMapping
from labelling.models import LabellingRequest, State
from meetings.models import Meeting
from tests.api.test_api import MADRID, PLAN, api, domain, every_record
from tests.labelling.factories import LabellingRequestFactory

CADIZ = "cadiz-2023-2027"


def item(framework, code):
    return FrameworkItem.objects.get(framework__slug=framework, code=code)


def test_the_frameworks_api_gives_each_framework_with_its_items_in_order(client, seeded):
    frameworks = api(client, "frameworks/")["results"]

    assert [f["slug"] for f in frameworks] == ["jvap", "gcm", "sdg"]
    counts = {f["slug"]: len(f["items"]) for f in frameworks}
    assert counts == {"jvap": 5, "gcm": 23, "sdg": 6}
    sdg = frameworks[2]
    assert [i["code"] for i in sdg["items"]] == [
        i.code for i in FrameworkItem.objects.filter(framework__slug="sdg").order_by("position")
    ]
    assert sdg["items"][0]["label"] == f"SDG {sdg['items'][0]['code']}"
    assert sdg["page_url"] == "http://testserver/en/frameworks/sdg/coverage/"


def test_a_framework_reads_in_french_with_lang_fr(client, seeded):
    gcm = api(client, "frameworks/gcm/?lang=fr")
    ten = item("gcm", "10")

    assert gcm["short_name"] == "PMM"
    listed = next(i for i in gcm["items"] if i["code"] == "10")
    assert listed["title"] == ten.title_fr
    assert listed["label"] == "PMM 10"
    assert listed["wording_confirmed"] is ten.wording_confirmed


def test_a_changed_item_dates_the_frameworks_answer(client, seeded):
    changed = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(changed, tick=False):
        ten = item("gcm", "10")
        ten.title_en = ten.title_en + " (checked)"
        ten.save()

    response = client.get("/api/v1/frameworks/gcm/")
    assert response["Last-Modified"] == "Mon, 04 May 2026 08:00:00 GMT"
    assert response["ETag"]
    again = client.get("/api/v1/frameworks/gcm/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_each_action_of_a_plan_names_the_framework_items_it_serves(client, seeded):
    FrameworkMapping.objects.create(
        action=Action.objects.get(plan__slug=PLAN, number=19), item=item("gcm", "11")
    )

    plan = api(client, f"plans/{PLAN}/")

    objectives = [o for d in plan["domains"] for o in d["objectives"]]
    actions = {a["number"]: a for o in objectives for a in o["actions"]}
    # The report aligns domain 4 of the plan (actions 16 to 19) with JVAP domain 4.
    assert [i["label"] for i in actions[19]["framework_items"]] == ["JVAP 4", "GCM 11"]
    assert actions[19]["framework_items"][1] == {
        "id": item("gcm", "11").pk,
        "framework": "gcm",
        "code": "11",
        "label": "GCM 11",
    }


@pytest.mark.parametrize(
    ("today", "current"),
    [(datetime.datetime(2019, 6, 1, 9, 0), PLAN), (datetime.datetime(2026, 11, 30, 9, 0), CADIZ)],
)
def test_the_plans_api_marks_the_plan_in_force_today(client, seeded, today, current):
    with time_machine.travel(today.replace(tzinfo=datetime.UTC)):
        plans = api(client, "plans/")["results"]
        alone = api(client, f"plans/{current}/")

    assert [p["slug"] for p in plans if p["is_current"]] == [current]
    assert alone["is_current"] is True


def test_a_meetings_actions_carry_the_items_the_meeting_inherits(client, seeded):
    madrid = api(client, f"meetings/{MADRID}/")
    listed = next(m for m in every_record(client, "meetings/?year=2019") if m["slug"] == MADRID)

    labels = {i["label"] for a in madrid["actions"] for i in a["framework_items"]}
    assert labels == {
        i.label for i in FrameworkItem.objects.inherited_by(Meeting.objects.get(slug=MADRID))
    }
    assert "JVAP 4" in labels
    assert listed["actions"] == madrid["actions"]


@pytest.mark.parametrize(("framework", "code"), [("jvap", "4"), ("jvap", "1"), ("gcm", "10")])
def test_the_meetings_page_and_api_filter_by_a_framework_item_alike(
    client, seeded, framework, code
):
    served = item(framework, code)
    page = client.get("/en/meetings/", {"framework_item": served.pk})
    listed = every_record(client, f"meetings/?framework_item={served.pk}")

    assert page.status_code == 200
    assert len(listed) == page.context["page"].paginator.count
    assert {m["slug"] for m in listed} == set(
        Meeting.objects.mapped_to(served).values_list("slug", flat=True)
    )
    if framework == "jvap":
        # Every Marrakesh action is mapped to its domain's JVAP domain (the report's alignment):
        # the same meetings as the page's filter on that domain.
        by_domain = client.get("/en/meetings/", {"domain": domain(int(code))})
        assert len(listed) == by_domain.context["page"].paginator.count
        assert listed or code != "4"  # Madrid served domain 4
        assert all(
            served.pk in [i["id"] for a in m["actions"] for i in a["framework_items"]]
            for m in listed
        )
    else:
        assert listed == []  # no Marrakesh action is mapped to the Global Compact yet


def test_the_meetings_filter_offers_the_items_grouped_by_framework(client, seeded):
    html = client.get("/fr/meetings/").content.decode()

    assert '<select name="framework_item"' in html
    assert '<optgroup label="Plan d&#x27;action conjoint de La Valette">' in html
    assert html.index("PACV 1") < html.index("PMM 1") < html.index("ODD")


def test_the_labelled_projects_page_and_api_filter_by_a_framework_item_alike(client, seeded):
    project = LabellingRequestFactory(title="Mapped project")
    LabellingRequest.objects.filter(pk=project.pk).update(
        state=State.APPROVED, decided_at=timezone.now()
    )
    served = item("sdg", "10.7")
    FrameworkMapping.objects.create(action=project.actions.get(), item=served)
    LabellingRequestFactory(title="A draft serving its action", actions=[project.actions.get()])

    page = client.get("/en/labelled-projects/", {"framework_item": served.pk})
    listed = api(client, f"labelled-projects/?framework_item={served.pk}")

    assert [p["slug"] for p in listed["results"]] == [project.slug]
    assert listed["count"] == page.context["page"].paginator.count == 1
    assert "SDG 10.7" in [i["label"] for i in listed["results"][0]["actions"][0]["framework_items"]]


def test_an_unknown_framework_item_is_a_400_that_says_which_filter(client, seeded):
    response = client.get("/api/v1/meetings/?framework_item=999999")

    assert response.status_code == 400
    assert "framework_item" in response.json()


def test_an_address_under_the_api_that_no_operation_matches_answers_json(client, db):
    response = client.get("/api/v1/plans/not.a.slug/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    assert client.get("/en/no-such-page/")["Content-Type"].startswith("text/html")
