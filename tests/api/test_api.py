"""The open-data API: what it lists (the pages' records, never a private one), in which language,
how a client caches and is limited, and that its queries do not grow with its rows."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from actionplan.models import Action, Domain, Framework, FrameworkItem, FrameworkMapping
from focalpoints.models import Partner
from labelling.models import LabellingRequest, State
from meetings.models import DatePrecision, Document, Meeting, MeetingDateChange, MeetingResult
from tests.actionplan.factories import (
    ActionFactory,
    ActionPlanFactory,
    DomainFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RecommendationFollowUpFactory,
)
from tests.focalpoints.factories import (
    ChairmanshipFactory,
    OrganisationFactory,
    PartnerFactory,
    SteeringCommitteeMembershipFactory,
)
from tests.labelling.factories import LabellingRequestFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory, ParticipationFactory

MADRID = "thematic-meeting-border-management-madrid-2019"
PLAN = "marrakesh-2018-2020"


def api(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.json()


def every_record(client, path):
    """Every record of an API list, page after page."""
    records, url = [], f"/api/v1/{path}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        records += response.json()["results"]
        url = response.json()["next"]
    return records


def domain(number, plan=PLAN):
    return Domain.objects.get(plan__slug=plan, number=number).pk


def action(number, plan=PLAN):
    return Action.objects.get(plan__slug=plan, number=number).pk


# The API and the pages agree


MEETING_FILTERS = [
    {},
    {"year": "2019"},
    {"kind": "thematic"},
    {"status": "held"},
    {"domain": lambda: domain(4)},
    {"action": lambda: action(19)},
    {"country": lambda: Partner.objects.get(slug="spain").pk},
    {"year": "2019", "domain": lambda: domain(4)},
    {"when": "past", "format": "in_person", "sort": "title"},
]


def resolved(filters):
    return {name: value() if callable(value) else value for name, value in filters.items()}


@pytest.mark.parametrize("filters", MEETING_FILTERS)
def test_the_meetings_api_lists_as_many_meetings_as_the_page_for_the_same_filters(
    client, seeded, filters
):
    query = resolved(filters)
    page = client.get("/en/meetings/", query)
    listed = api(client, f"meetings/?{_query(query)}")

    assert listed["count"] == page.context["page"].paginator.count
    assert listed["count"] > 0


def _query(query):
    from django.http import QueryDict

    encoded = QueryDict(mutable=True)
    encoded.update(query)
    return encoded.urlencode()


def test_the_meetings_api_pages_hold_the_pages_meetings_in_the_same_order(client, seeded):
    page = client.get("/en/meetings/", {"page": "2"})
    listed = api(client, "meetings/?page=2")

    assert len(listed["results"]) > 0

    assert [m["slug"] for m in listed["results"]] == [m.slug for m in page.context["page"]]


@pytest.mark.parametrize(
    "filters", [{}, {"category": "political"}, {"kind": "conclusions"}, {"year": "2019"}]
)
def test_the_documents_api_lists_the_public_library_pages_documents(client, seeded, filters):
    DocumentFactory(slug="members-minutes", visibility=Document.Visibility.MEMBERS)
    page = client.get("/en/documents/", filters)
    listed = api(client, f"documents/?{_query(filters)}")

    assert listed["count"] == page.context["page"].paginator.count


def labelled(**kwargs):
    """A labelled project, as the Secretariat's approval leaves it."""
    project = LabellingRequestFactory(**kwargs)
    LabellingRequest.objects.filter(pk=project.pk).update(
        state=State.APPROVED, decided_at=timezone.now()
    )
    return project


@pytest.mark.parametrize("filters", [{}, {"kind": "bilateral"}, {"year": "2027"}, "domain"])
def test_the_labelled_projects_api_lists_the_pages_projects(client, seeded, filters):
    project = labelled()
    LabellingRequestFactory(title="Still a draft")
    if filters == "domain":
        filters = {"domain": project.actions.get().objective.domain_id}
    page = client.get("/en/labelled-projects/", filters)
    listed = api(client, f"labelled-projects/?{_query(filters)}")

    assert listed["count"] == page.context["page"].paginator.count
    assert project.slug in [p["slug"] for p in listed["results"]]


def test_a_researcher_fetches_the_meetings_of_2019_in_domain_4_with_their_participation(
    client, seeded
):
    meetings = every_record(client, f"meetings/?year=2019&domain={domain(4)}")

    madrid = next(m for m in meetings if m["slug"] == MADRID)
    assert madrid["start"].startswith("2019")
    assert 4 in [d["number"] for d in madrid["domains"]]
    assert madrid["participation"] is not None
    assert madrid["participation"]["participants"] == (
        Meeting.objects.get(slug=MADRID).participation.participants
    )
    assert all(
        m["start"] is None or m["start"].startswith("2019") or m["postponements"] for m in meetings
    )


def test_the_plans_api_gives_each_plans_structure_and_leaves_unknown_wording_empty(client, seeded):
    plan = api(client, f"plans/{PLAN}/")

    assert len(plan["domains"]) == 5
    assert sum(len(d["objectives"]) for d in plan["domains"]) == 10
    actions = [a for d in plan["domains"] for o in d["objectives"] for a in o["actions"]]
    assert len(actions) == 23
    for listed in actions:
        assert listed["title"] == Action.objects.get(pk=listed["id"]).title


def test_the_partners_api_gives_chairmanships_and_steering_committee_memberships(client, db):
    partner = PartnerFactory(slug="mali", name="Mali")
    ChairmanshipFactory(
        partner=partner,
        start=datetime.date(2016, 1, 1),
        start_precision="year",
        end=datetime.date(2017, 3, 1),
    )
    SteeringCommitteeMembershipFactory(partner=partner, start=datetime.date(2015, 5, 1))

    mali = api(client, "partners/mali/")

    assert mali["chairmanships"] == [
        {"start": "2016", "start_precision": "year", "end": "2017-03-01", "occasion": ""}
    ]
    assert mali["on_steering_committee"] is True
    assert mali["steering_committee_memberships"][0]["start"] == "2015-05-01"
    assert api(client, "partners/?region=europe")["count"] == 0


def test_recommendations_come_with_their_follow_ups(client, seeded):
    recommendations = every_record(client, f"recommendations/?plan={PLAN}")

    assert [r["code"] for r in recommendations][:3] == ["R1", "R2", "R3"]
    follow_up = RecommendationFollowUpFactory(
        recommendation_id=recommendations[0]["id"], description="Done at the SOM."
    )
    first = api(client, f"recommendations/{recommendations[0]['id']}/")
    assert "Done at the SOM." in [f["description"] for f in first["follow_ups"]]
    assert follow_up.status in [f["status"] for f in first["follow_ups"]]


# Dates as they are known


@pytest.mark.parametrize(
    ("precision", "start", "expected"),
    [
        (DatePrecision.DAY, datetime.date(2019, 7, 1), "2019-07-01"),
        (DatePrecision.MONTH, datetime.date(2020, 3, 1), "2020-03"),
        (DatePrecision.QUARTER, datetime.date(2021, 4, 1), "2021-Q2"),
        (DatePrecision.HALF, datetime.date(2021, 7, 1), "2021-H2"),
        (DatePrecision.YEAR, datetime.date(2022, 1, 1), "2022"),
    ],
)
def test_a_meeting_date_is_given_no_more_precisely_than_it_is_known(
    client, db, precision, start, expected
):
    MeetingFactory(slug="vague", start_date=start, date_precision=precision)

    meeting = api(client, "meetings/vague/")

    assert meeting["start"] == expected
    assert meeting["date_precision"] == precision


def test_a_postponed_meeting_gives_its_earlier_dates_and_the_reason(client, db):
    meeting = MeetingFactory(
        slug="moved", status=Meeting.Status.POSTPONED, start_date=None, status_reason="COVID-19"
    )
    MeetingDateChange.objects.create(
        meeting=meeting,
        previous_start=datetime.date(2020, 3, 1),
        previous_precision=DatePrecision.MONTH,
        reason="COVID-19",
    )

    moved = api(client, "meetings/moved/")

    assert moved["start"] is None
    assert moved["status"] == "postponed"
    assert moved["postponements"][0]["previous_start"] == "2020-03"


# Languages


def test_lang_fr_gives_french_fields_and_labels(client, seeded):
    english = api(client, f"meetings/{MADRID}/")
    french = api(client, f"meetings/{MADRID}/?lang=fr")
    meeting = Meeting.objects.get(slug=MADRID)

    assert english["title"] == meeting.title_en
    assert french["title"] == (meeting.title_fr or meeting.title_en)
    assert french["kind_label"] == "Réunion thématique"
    assert "/fr/meetings/" in french["page_url"]


def test_accept_language_chooses_the_language_and_the_answer_says_it_varies_with_it(client, seeded):
    response = client.get(f"/api/v1/meetings/{MADRID}/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert response.json()["kind_label"] == "Réunion thématique"
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]
    # ?lang wins over the header; the language cookie of the pages plays no part.
    client.cookies["django_language"] = "fr"
    assert api(client, f"meetings/{MADRID}/?lang=en")["kind_label"] == "Thematic meeting"
    assert api(client, f"meetings/{MADRID}/")["kind_label"] == "Thematic meeting"


# Nothing private


ROLES_WITH_SESSIONS = [
    "senegal_focal_point",
    "senegal_staff",
    "spain_focal_point",
    "inactive_member",
    "secretariat",
]


@pytest.fixture
def private_records(seeded, senegal_focal_point):
    senegal = Partner.objects.get(slug="senegal")
    return {
        "members_document": DocumentFactory(
            slug="draft-minutes", title="Draft minutes", visibility=Document.Visibility.MEMBERS
        ),
        "focal_points_document": DocumentFactory(
            slug="draft-conclusions",
            title="Draft conclusions",
            visibility=Document.Visibility.FOCAL_POINTS,
        ),
        "draft_request": LabellingRequestFactory(lead_partner=senegal, title="A draft request"),
        "request_in_review": _in_review(LabellingRequestFactory(lead_partner=senegal)),
        "labelled": labelled(lead_partner=senegal, publish_contact=True),
    }


def _in_review(request):
    LabellingRequest.objects.filter(pk=request.pk).update(state=State.UNDER_REVIEW)
    return request


def _keys(data):
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in _keys(value)}
    if isinstance(data, list):
        return {key for value in data for key in _keys(value)}
    return set()


def _every_answer(client):
    """The text of every list of the API (every page) and of the index, and every key in them."""
    texts, keys = [client.get("/api/v1/").content.decode()], set()
    for path in (
        "plans/",
        "frameworks/",
        "recommendations/",
        "partners/",
        "meetings/",
        "documents/",
        "labelled-projects/",
    ):
        url = f"/api/v1/{path}?page_size=100"
        while url:
            response = client.get(url)
            assert response.status_code == 200
            texts.append(response.content.decode())
            keys |= _keys(response.json())
            url = response.json()["next"]
    return "\n".join(texts), keys


@pytest.mark.parametrize("role", [None, *ROLES_WITH_SESSIONS])
def test_nothing_private_is_reachable_whoever_is_signed_in(client, request, private_records, role):
    if role:
        client.force_login(request.getfixturevalue(role))

    everything, keys = _every_answer(client)

    assert "Draft minutes" not in everything
    assert "Draft conclusions" not in everything
    assert private_records["draft_request"].slug not in everything
    assert private_records["request_in_review"].slug not in everything
    assert private_records["labelled"].slug in everything
    # No person's e-mail address or name, even a project's contact person published on its page.
    assert not [key for key in keys if "mail" in key or "contact" in key or "user" in key]
    assert private_records["labelled"].contact_email not in everything
    assert private_records["labelled"].contact_name not in everything
    for person in ("senegal_focal_point", "secretariat"):
        assert request.getfixturevalue(person).email not in everything
    for document in ("members_document", "focal_points_document"):
        pk = private_records[document].pk
        assert client.get(f"/api/v1/documents/{pk}/").status_code == 404
    for labelling_request in ("draft_request", "request_in_review"):
        slug = private_records[labelling_request].slug
        assert client.get(f"/api/v1/labelled-projects/{slug}/").status_code == 404
    for path in ("ideas/", "consultations/", "users/", "labelling-requests/", "focal-points/"):
        assert client.get(f"/api/v1/{path}").status_code == 404


def test_the_api_takes_no_writes(client, seeded):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/meetings/{MADRID}/", data="{}", content_type="application/json"
        )
        assert response.status_code in (403, 405), method
    assert client.post("/api/v1/meetings/", data={}).status_code in (403, 405)


# Caching, CORS, rate limit


def test_an_unchanged_list_answers_304_to_its_etag(client, seeded):
    first = client.get("/api/v1/meetings/?year=2019")
    etag = first["ETag"]

    again = client.get("/api/v1/meetings/?year=2019", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert (
        client.get("/api/v1/meetings/?year=2019&lang=fr", HTTP_IF_NONE_MATCH=etag).status_code
        == 200
    )


def test_last_modified_follows_the_latest_change_and_answers_304_until_the_next(client, db):
    created = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(created, tick=False):
        meeting = MeetingFactory(slug="dated")
    response = client.get("/api/v1/meetings/")
    last_modified = response["Last-Modified"]

    assert last_modified == "Mon, 02 Mar 2026 09:30:00 GMT"
    assert client.get("/api/v1/meetings/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    with time_machine.travel(created + datetime.timedelta(hours=1), tick=False):
        MeetingResult.objects.create(meeting=meeting, text="A result.")

    changed = client.get("/api/v1/meetings/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] == "Mon, 02 Mar 2026 10:30:00 GMT"


def test_any_site_may_read_the_api_with_get_and_only_the_api(client, seeded):
    response = client.get("/api/v1/meetings/", HTTP_ORIGIN="https://data.example.org")
    preflight = client.options(
        "/api/v1/meetings/",
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    page = client.get("/en/meetings/", HTTP_ORIGIN="https://data.example.org")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in page


@override_settings(API_RATE_LIMIT="3/min", TRUSTED_PROXIES=["10.0.0.2"])
def test_each_client_address_is_limited_to_the_configured_rate(client, db):
    cache.clear()
    proxied = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    answers = [client.get("/api/v1/partners/", **proxied).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/partners/", **proxied)
    assert int(refused["Retry-After"]) > 0
    # Another address behind the same proxy has its own count; a forged header from a client
    # that is not a trusted proxy counts for the client's own address.
    other = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert client.get("/api/v1/partners/", **other).status_code == 200
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert [client.get("/api/v1/partners/", **forged).status_code for _ in range(3)] == [200] * 3
    assert client.get("/api/v1/partners/", **forged).status_code == 429
    cache.clear()


# Query counts


def _mapped(action):
    """``action``, mapped to two items of a framework of its own: the lists then give items."""
    framework = Framework.objects.create(
        slug=f"f{action.pk}", name="F", short_name="F", item_name="item", source="S"
    )
    for position in (1, 2):
        item = FrameworkItem.objects.create(
            framework=framework, code=str(position), position=position, title="An item"
        )
        FrameworkMapping.objects.create(action=action, item=item)
    return action


def _meetings(count):
    plan = ActionPlanFactory()
    actions = [
        _mapped(ActionFactory(objective=ObjectiveFactory(domain=DomainFactory(plan=plan))))
        for _ in range(2)
    ]
    organiser = OrganisationFactory()
    for n in range(count):
        meeting = MeetingFactory(start_date=datetime.date(2019, 1, 1) + datetime.timedelta(n))
        meeting.actions.set(actions)
        meeting.organisers.add(organiser)
        meeting.co_chairs.add(organiser)
        participation = ParticipationFactory(meeting=meeting, participants=40)
        participation.organisations_present.add(organiser)
        MeetingResult.objects.create(meeting=meeting, text="A result.")
        MeetingDateChange.objects.create(meeting=meeting, previous_start=datetime.date(2018, 1, 1))


def _documents(count):
    meeting = MeetingFactory()
    action = _mapped(ActionFactory())
    for _ in range(count):
        document = DocumentFactory()
        document.meetings.add(meeting)
        document.actions.add(action)


def _projects(count):
    country = PartnerFactory()
    for _ in range(count):
        project = labelled()
        _mapped(project.actions.get())
        project.countries.add(country)
        project.funding_partners.add(country)
        project.co_implementing_partners.add(country)


def _partners(count):
    for _ in range(count):
        partner = PartnerFactory()
        ChairmanshipFactory(
            partner=partner,
            start=datetime.date(2000, 1, 1) + datetime.timedelta(days=Partner.objects.count()),
        )
        SteeringCommitteeMembershipFactory(partner=partner)


def _recommendations(count):
    plan = ActionPlanFactory()
    for _ in range(count):
        RecommendationFollowUpFactory(recommendation=RecommendationFactory(plan=plan))


def _plans(count):
    for _ in range(count):
        plan = ActionPlanFactory()
        _mapped(ActionFactory(objective=ObjectiveFactory(domain=DomainFactory(plan=plan))))


def _frameworks(count):
    for _ in range(count):
        _mapped(ActionFactory())


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("meetings/", _meetings),
        ("documents/", _documents),
        ("labelled-projects/", _projects),
        ("partners/", _partners),
        ("recommendations/", _recommendations),
        ("plans/", _plans),
        ("frameworks/", _frameworks),
    ],
)
def test_the_query_count_of_each_list_does_not_grow_with_its_rows(client, db, path, make):
    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    make(5)
    few, five = queries(f"/api/v1/{path}?page_size=100")
    make(45)
    many, fifty = queries(f"/api/v1/{path}?page_size=100")

    assert (five, fifty) == (5, 50)
    assert many == few


def test_a_meetings_list_costs_as_many_queries_with_or_without_participation_figures(client, db):
    meetings = [MeetingFactory() for _ in range(3)]

    def queries():
        client.get("/api/v1/meetings/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/meetings/")
        return len(captured)

    without = queries()
    organisation = OrganisationFactory(name="ICMPD")
    for meeting in meetings:
        ParticipationFactory(meeting=meeting, participants=30).organisations_present.add(
            organisation
        )

    assert queries() == without
    detail = api(client, f"meetings/{meetings[0].slug}/")
    assert detail["participation"]["participants"] == 30
    assert [o["name"] for o in detail["participation"]["organisations_present"]] == ["ICMPD"]
