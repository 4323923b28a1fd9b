"""Issue 21's acceptance, as its reporter would check it: a researcher fetches every public
meeting of 2019 in domain 4 with its participation figures as JSON or CSV without reading HTML
(and both agree with the meetings page); the home page shows the plan in force today; and the
Marrakesh plan's actions are mapped to the Global Compact in a comparative table the Secretariat
edits (the page, its download and the API show the Secretariat's entry)."""

import csv
import datetime
import io

import pytest
import time_machine

from meetings.models import Meeting
from tests.api.test_api import PLAN, api, domain, every_record

CADIZ = "cadiz-2023-2027"


def test_a_researcher_gets_2019s_meetings_in_domain_4_as_json_and_csv_as_the_page_lists_them(
    client, seeded
):
    query = f"year=2019&domain={domain(4)}"
    page = client.get(f"/en/meetings/?{query}")
    as_json = every_record(client, f"meetings/?{query}&page_size=100")
    download = client.get(f"/en/meetings/export.csv?{query}")
    as_csv = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))

    listed = page.context["page"].paginator.object_list
    on_page = Meeting.objects.filter(pk__in=[meeting.pk for meeting in listed])
    assert download["Content-Type"].startswith("text/csv")
    assert len(as_json) == len(as_csv) == page.context["page"].paginator.count > 1
    assert [m["title"] for m in as_json] == [row["Title"] for row in as_csv]
    assert {m["slug"] for m in as_json} == set(on_page.values_list("slug", flat=True))
    with_figures = 0
    for meeting, row in zip(as_json, as_csv, strict=True):
        assert 4 in [d["number"] for d in meeting["domains"]]
        assert "4" in row["Domains"].split("; ")
        assert meeting["start"] == (row["Start"] or None)
        figures = meeting["participation"]
        recorded = Meeting.objects.get(slug=meeting["slug"])
        if figures is None:
            assert not hasattr(recorded, "participation") and row["Participants"] == ""
            continue
        with_figures += 1
        assert figures["participants"] == recorded.participation.participants
        assert row["Participants"] == (
            "" if figures["participants"] is None else str(figures["participants"])
        )
        assert row["Partner countries"] == (
            "" if figures["partner_countries"] is None else str(figures["partner_countries"])
        )
    assert with_figures > 0


@pytest.mark.parametrize(
    ("today", "plan", "name"),
    [
        (datetime.datetime(2026, 11, 30, 9, 0), CADIZ, "Cadiz Action Plan 2023–2027"),
        (datetime.datetime(2023, 1, 1, 12, 0), CADIZ, "Cadiz Action Plan 2023–2027"),
        (datetime.datetime(2022, 12, 31, 12, 0), PLAN, "Marrakesh Action Plan 2018–2020"),
        (datetime.datetime(2019, 6, 1, 9, 0), PLAN, "Marrakesh Action Plan 2018–2020"),
    ],
)
def test_the_home_page_shows_the_plan_in_force_today_as_the_api_does(
    client, seeded, today, plan, name
):
    with time_machine.travel(today.replace(tzinfo=datetime.UTC), tick=False):
        home = client.get("/en/").content.decode()
        plans = api(client, "plans/")["results"]
        current = client.get("/en/action-plan/")

    assert f"{name} at a glance" in home
    assert [p["slug"] for p in plans if p["is_current"]] == [plan]
    assert current.context["plan"].slug == plan


def test_the_secretariat_maps_a_marrakesh_action_to_the_global_compact_and_every_reader_sees_it(
    client, seeded, secretariat
):
    from django.urls import reverse

    from actionplan.models import Action, FrameworkItem

    action_19 = Action.objects.get(plan__slug=PLAN, number=19)
    gcm_11 = FrameworkItem.objects.get(framework__slug="gcm", code="11")
    client.force_login(secretariat)
    saved = client.post(
        reverse("admin:actionplan_frameworkmapping_add"),
        {"action": action_19.pk, "item": gcm_11.pk, "source": "Comparative table, 2019"},
    )
    assert saved.status_code == 302
    client.logout()

    table = client.get(f"/en/action-plan/{PLAN}/frameworks/gcm/").content.decode()
    row = table[table.index(f"/en/action-plan/{PLAN}/actions/19/") :]
    download = list(
        csv.reader(
            io.StringIO(
                client.get(f"/en/action-plan/{PLAN}/frameworks/gcm/export.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    plan = api(client, f"plans/{PLAN}/")
    actions = [a for d in plan["domains"] for o in d["objectives"] for a in o["actions"]]

    assert "GCM 11" in row[: row.index("</tr>")]
    assert [r[4] for r in download[1:] if r[2] == "19"] == ["GCM 11"]
    assert "GCM 11" in [
        i["label"] for a in actions if a["number"] == 19 for i in a["framework_items"]
    ]
