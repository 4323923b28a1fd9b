"""The public meeting pages, feeds and document library, on the seeded Dialogue."""

import datetime
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.models import Domain
from meetings.models import Document, Meeting
from tests.meetings.factories import DocumentFactory, MeetingFactory, pdf_upload

pytestmark = pytest.mark.django_db

MADRID = "thematic-meeting-border-management-madrid-2019"
ABIDJAN = "workshop-migrant-smuggling-abidjan-2019"
ABUJA = "workshop-diaspora-remittances-abuja-2019"
PARIS = "thematic-meeting-root-causes-paris-2018"


def listed_slugs(response):
    return re.findall(r'<h3><a href="/\w\w/meetings/([\w-]+)/">', response.text)


@pytest.mark.parametrize(
    ("slug", "figures"),
    [
        (MADRID, ["1–2 July 2019", "80", "33", "66 %", "Lebanon", "Morocco", "Action 15"]),
        (
            ABIDJAN,
            [
                "24 October 2019",
                "68",
                "25",
                "15 African, 10 European",
                "27",
                "UNODC",
                "Frontex",
                "Niamey",
            ],
        ),
        (
            ABUJA,
            ["5–6 November 2019", "73", "55 %", "compendium", "Belgium", "Action 2", "Action 3"],
        ),
        (PARIS, ["23–24 October 2018", "41", "57 %", "36 technical recommendations", "Senegal"]),
    ],
)
def test_the_report_s_figures_are_on_the_meeting_pages(client, seeded, slug, figures):
    html = client.get(f"/en/meetings/{slug}/").text

    for figure in figures:
        assert figure in html, figure


def test_the_participation_chart_is_an_svg_drawn_from_the_figures(client, seeded):
    response = client.get(f"/en/meetings/{ABUJA}/participation.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag.endswith("svg")
    assert client.get(f"/en/meetings/{ABUJA}/participation.svg").content == response.content


def test_a_meeting_without_figures_has_no_chart(client, seeded):
    assert (
        client.get("/en/meetings/steering-committee-2019-06-03/participation.svg").status_code
        == 404
    )


def test_a_postponed_meeting_shows_its_history_and_new_date(client, seeded):
    html = client.get("/en/meetings/workshop-international-migration-development-paris/").text

    assert "Postponed" in html
    assert "21 April 2020 → 19 October 2020 → first quarter of 2021" in html
    assert "COVID-19" in html


@pytest.mark.parametrize(
    ("query", "expected", "excluded"),
    [
        ({"domain": "DOMAIN4", "year": "2019"}, [MADRID, ABIDJAN], [ABUJA, PARIS]),
        ({"year": "2019", "kind": "workshop"}, [ABIDJAN, ABUJA], [MADRID]),
        ({"action": "ACTION15"}, [MADRID, ABIDJAN], [ABUJA]),
        ({"country": "NIGERIA"}, [ABUJA], [MADRID]),
        (
            {"status": "postponed", "year": "2020"},
            ["som-paris-2020", "workshop-voluntary-return-reintegration-yaounde"],
            [MADRID],
        ),
        ({"format": "virtual"}, ["webinar-anti-trafficking-assessment-2020"], [MADRID]),
        ({"q": "border Madrid"}, [MADRID], [ABIDJAN]),
        (
            {"kind": "steering_committee", "year": "2018"},
            ["steering-committee-2018-06-25"],
            [PARIS],
        ),
    ],
)
def test_filters_combine_and_stay_in_the_url(client, seeded, query, expected, excluded):
    from actionplan.models import Action, Domain
    from focalpoints.models import Partner

    replacements = {
        "DOMAIN4": str(Domain.objects.get(number=4).pk),
        "ACTION15": str(Action.objects.get(number=15).pk),
        "NIGERIA": str(Partner.objects.get(slug="nigeria").pk),
    }
    params = {key: replacements.get(value, value) for key, value in query.items()}

    response = client.get("/en/meetings/", params)

    slugs = listed_slugs(response)
    assert set(expected) <= set(slugs), slugs
    assert not set(excluded) & set(slugs)
    for key, value in params.items():
        assert re.search(
            rf'name="{key}"[^>]*value="{re.escape(value)}"|value="{re.escape(value)}"[^>]*selected',
            response.text,
        )


def test_the_list_is_sorted_and_paginated_with_the_filters_kept(client, seeded):
    first = client.get("/en/meetings/", {"sort": "date"})
    second_page = client.get("/en/meetings/", {"sort": "date", "page": "2"})

    assert listed_slugs(first)[0] == "ministerial-conference-rabat-2006"
    assert 'href="?sort=date&amp;page=2"' in first.text
    assert listed_slugs(second_page) and listed_slugs(second_page)[0] not in listed_slugs(first)
    assert client.get("/en/meetings/", {"page": "999"}).status_code == 200
    assert client.get("/en/meetings/", {"year": "not-a-year"}).status_code == 200


def test_the_calendar_shows_a_year_with_its_postponed_activities(client, seeded):
    html = client.get("/en/calendar/", {"year": "2020"}).text

    assert "Calendar of Rabat Process activities 2020" in html
    for year in ("2018", "2019", "2021"):
        assert f'href="?year={year}"' in html
    assert "Technical workshop on voluntary return and reintegration, Yaoundé" in html
    assert "previously planned: 18–19 March 2020" in html
    assert "Webinar: Assessment of anti-trafficking gaps" in html
    assert "Thematic meeting on cooperation between countries of origin" not in html


def test_the_calendar_opens_on_the_latest_year_and_ignores_a_bad_one(client, seeded):
    latest = client.get("/en/calendar/").text
    bad = client.get("/en/calendar/", {"year": "nineteen"}).text

    assert "activities 2025" in latest
    assert "activities 2025" in bad


def feed_events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["url"]).rsplit("/", 2)[-2]: event for event in calendar.walk("VEVENT")}


def test_the_ics_calendar_parses_and_carries_the_right_status(client, seeded):
    response = client.get(reverse("meetings:calendar-ics"))

    events = feed_events(response)
    assert response["Content-Type"].startswith("text/calendar")
    assert str(events[MADRID]["status"]) == "CONFIRMED"
    assert events[MADRID].decoded("dtstart").isoformat() == "2019-07-01"
    assert events[MADRID].decoded("dtend").isoformat() == "2019-07-03"
    assert str(events["som-paris-2020"]["status"]) == "CANCELLED"
    assert len({str(event["uid"]) for event in events.values()}) == len(events)


def test_a_meeting_known_only_to_the_year_is_not_put_on_a_false_day(client, seeded):
    porto = Meeting.objects.get(slug="som-porto-2025")
    assert "Held" in client.get(porto.get_absolute_url()).text

    events = feed_events(client.get(reverse("meetings:calendar-ics")))

    assert "som-porto-2025" not in events, "held in 2025, on no known day"
    assert "workshop-international-migration-development-paris" not in events, "a quarter"
    for slug, event in events.items():
        meeting = Meeting.objects.get(slug=slug)
        expected = {"held": "CONFIRMED", "planned": "CONFIRMED", "postponed": "TENTATIVE"}.get(
            meeting.status, "CANCELLED"
        )
        if meeting.start_date is not None:
            assert str(event["status"]) == expected, slug
    page = client.get(porto.get_absolute_url()).text
    assert reverse("meetings:meeting-ics", kwargs={"slug": porto.slug}) not in page
    ics = client.get(reverse("meetings:meeting-ics", kwargs={"slug": porto.slug}))
    assert ics.status_code == 404


def test_a_calendar_feed_follows_the_filters_of_the_meetings_list(client, seeded):
    domain = Domain.objects.get(plan__slug="marrakesh-2018-2020", number=4)
    listing = client.get(reverse("meetings:list"), {"domain": domain.pk, "sort": "title"})
    subscribe = f"{reverse('meetings:calendar-subscribe')}?domain={domain.pk}"
    assert f'href="{subscribe}"' in listing.text

    page = client.get(subscribe).text
    feed_url = f"{settings.SITE_URL}{reverse('meetings:calendar-ics')}?domain={domain.pk}"
    assert f'value="{feed_url}"' in page
    assert f'href="webcal://{feed_url.split("://")[1]}"' in page
    assert "Google Calendar" in page and "Outlook" in page

    feed = client.get(feed_url)
    events = feed_events(feed)
    served = set(Meeting.objects.serving_domain(domain).values_list("slug", flat=True))
    assert events and set(events) <= served
    assert MADRID in events
    assert "attachment" not in feed["Content-Disposition"], "a feed, not a file to download"
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert str(domain) in str(calendar["x-wr-calname"])
    everything = feed_events(client.get(reverse("meetings:calendar-ics")))
    assert len(everything) > len(events)
    assert f'href="{subscribe}"' in client.get(domain.get_absolute_url()).text


def test_one_meeting_has_its_own_ics(client, seeded):
    response = client.get(f"/en/meetings/{ABUJA}/calendar.ics")

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert "Abuja" in str(event["summary"])
    assert str(event["location"]) == "Abuja, Nigeria"


def test_the_atom_feed_lists_held_meetings_with_their_results(client, seeded):
    response = client.get(reverse("meetings:outcomes-feed"))

    feed = ET.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("atom:title", ns).text for entry in feed.findall("atom:entry", ns)]
    assert any("Abuja" in title for title in titles)
    assert not any("Yaoundé" in title for title in titles)
    assert "compendium" in response.text


def test_action_and_domain_pages_list_their_meetings(client, seeded):
    action = client.get("/en/action-plan/marrakesh-2018-2020/actions/15/").text
    domain = client.get("/en/action-plan/marrakesh-2018-2020/domains/1/").text

    assert "Thematic meeting on cooperation between countries of origin" in action
    assert "Technical workshop on diaspora remittances" in domain


def test_coverage_shows_the_focus_on_domains_1_and_4(client, seeded):
    html = client.get(reverse("meetings:coverage"), {"from": "2018-05-01", "to": "2020-10-31"}).text
    counts = dict(re.findall(r"Domain (\d) (\d+)", html))

    # Paris and Abuja under domain 1; Madrid, Abidjan and the anti-trafficking webinar under 4.
    assert counts == {"1": "2", "2": "0", "3": "0", "4": "3", "5": "0"}
    assert client.get(reverse("meetings:coverage-chart")).status_code == 200


def test_a_bad_period_on_the_coverage_page_falls_back_to_the_plan_s_years(client, seeded):
    assert (
        client.get(
            reverse("meetings:coverage"), {"from": "yesterday", "to": "2019-13-45"}
        ).status_code
        == 200
    )


def test_the_document_library_filters_by_category_and_meeting(client, seeded):
    knowledge = client.get("/en/documents/", {"category": "knowledge"}).text
    madrid = client.get("/en/documents/", {"meeting": MADRID}).text

    assert "Compendium of Good Practices on Engaging with the Diaspora" in knowledge
    assert "Press releases" not in knowledge
    assert "Some good practices in the implementation of border management projects" in madrid
    assert "Compendium of Good Practices" not in madrid


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/en/meetings/", 12),
        (f"/en/meetings/{ABIDJAN}/", 20),
        ("/en/documents/", 10),
        ("/en/search/?q=migration", 10),
        # The extra meetings below are in 2019: a column left out of the calendar's query
        # would cost a query per row.
        ("/en/calendar/?year=2019", 5),
        ("/fr/calendar/?year=2019", 5),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    client, seeded, url, max_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(max_queries):
        client.get(url)
    for number in range(60):
        MeetingFactory(slug=f"extra-{number}", title=f"Extra migration meeting {number}")
        DocumentFactory(slug=f"extra-doc-{number}", title=f"Extra migration document {number}")
    with django_assert_max_num_queries(max_queries):
        client.get(url)


class TestPrivateDocuments:
    """A focal-points-only document never shows to the public, by any route."""

    @pytest.fixture
    def private(self, seeded):
        document = DocumentFactory(
            title="Draft conclusions restricted to focal points",
            slug="draft-conclusions",
            visibility=Document.Visibility.FOCAL_POINTS,
        )
        document.meetings.add(Meeting.objects.get(slug=MADRID))
        return document

    def test_not_in_lists_searches_or_meeting_pages(self, client, private):
        for url in [
            "/en/documents/",
            f"/en/meetings/{MADRID}/",
            "/en/search/?q=restricted",
            "/en/documents/?q=Draft",
        ]:
            assert "Draft conclusions restricted" not in client.get(url).text, url

    def test_not_in_the_sitemap_or_feed(self, client, private):
        sitemap = client.get("/sitemap-documents.xml").text
        assert f"/documents/{private.pk}/" not in sitemap
        assert (
            "Draft conclusions restricted" not in client.get(reverse("meetings:outcomes-feed")).text
        )

    def test_direct_urls_ask_visitors_to_log_in_and_answer_404_to_others(
        self, client, private, senegal_staff
    ):
        for url in (f"/en/documents/{private.pk}/", f"/en/documents/{private.pk}/download/"):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
            assert "Draft conclusions" not in response.text
        client.force_login(senegal_staff)
        assert client.get(f"/en/documents/{private.pk}/").status_code == 404
        assert client.get(f"/en/documents/{private.pk}/download/").status_code == 404

    def test_the_page_counts_leave_it_out(self, client, private):
        public = Document.objects.public().count()
        assert f"{public} documents" in client.get("/en/documents/").text

    def test_the_secretariat_sees_and_downloads_it(self, client, private, secretariat):
        client.force_login(secretariat)

        download = client.get(f"/en/documents/{private.pk}/download/")

        assert client.get(f"/en/documents/{private.pk}/").status_code == 200
        assert download.status_code == 200
        assert download["Cache-Control"] == "private, no-store"
        assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_public_file_downloads_with_its_name_and_type(client, db):
    document = DocumentFactory(title="Conclusions Abidjan")

    response = client.get(f"/en/documents/{document.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="conclusions.pdf"'
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_stored_files_get_random_names_outside_the_media_root(db, settings):
    document = DocumentFactory()

    assert document.original_filename == "conclusions.pdf"
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", document.file.name)
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    assert not document.file.path.startswith(str(settings.MEDIA_ROOT) + "/")


def test_sitemap_and_robots(client, seeded):
    index = client.get("/sitemap.xml")
    meetings = client.get("/sitemap-meetings.xml").text
    robots_response = client.get("/robots.txt")
    robots = robots_response.text

    assert index.status_code == 200
    assert f"/en/meetings/{MADRID}/" in meetings and f"/fr/meetings/{MADRID}/" in meetings
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert robots_response["Cache-Control"] == "max-age=86400, public"
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", ["/meetings/", "/documents/", "/meetings/?year=2019"])
def test_a_list_is_in_one_total_order_so_its_pages_neither_repeat_nor_skip(
    client, db, language, path
):
    """Rows that tie on the visible sort keys (same date; in French, titles often empty) must
    still have one order, or PostgreSQL may return them differently for each page: the list
    ends its ORDER BY with the primary key."""
    MeetingFactory(start_date=datetime.date(2019, 7, 1))
    DocumentFactory(published_on=datetime.date(2019, 7, 1))
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/{language}{path}")
    # The page of the list: newest first, and a LIMIT (the next meetings box is oldest first).
    # A column the query also selects is ordered by its place among them ("1 ASC").
    listing = [
        query["sql"]
        for query in queries
        if re.search(r'ORDER BY ("meetings_\w+"\."\w+"|\d+) DESC NULLS LAST.* LIMIT', query["sql"])
    ]
    assert listing, "the page ran no paginated query"
    for sql in listing:
        last = re.search(r"ORDER BY .*, (\S+) ASC(?: LIMIT|$)", sql).group(1)
        if last.isdigit():
            # The selected columns before it hold no comma: those of a row come first.
            last = re.search(rf"SELECT (?:[^,]+, ){{{int(last) - 1}}}(\S+)", sql).group(1)
        assert last.endswith('"."id"'), sql


def test_a_file_uploaded_under_another_type_s_name_downloads_under_its_own(client, db):
    document = DocumentFactory(file=pdf_upload("conclusions.html"))

    response = client.get(f"/en/documents/{document.pk}/download/")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="conclusions.pdf"'


@pytest.mark.parametrize("name", ["meetings:list", "meetings:documents"])
def test_a_search_longer_than_any_title_is_refused_with_a_message(client, db, name):
    from meetings.filters import SEARCH_MAX_LENGTH

    response = client.get(reverse(name), {"q": "x" * 60_000})

    assert response.status_code == 200
    assert f"at most {SEARCH_MAX_LENGTH} characters" in response.content.decode()


def test_a_visitor_whose_session_ended_logs_in_and_comes_back_to_the_restricted_document(
    client, senegal_focal_point
):
    document = DocumentFactory(slug="draft-minutes", visibility=Document.Visibility.FOCAL_POINTS)
    page = reverse("meetings:document", kwargs={"pk": document.pk})

    refused = client.get(page)
    assert refused.status_code == 302
    assert refused["Location"] == f"{reverse('account_login')}?next={page}"

    logged_in = client.post(
        refused["Location"],
        {"login": senegal_focal_point.email, "password": "correct horse battery staple"},
    )
    assert logged_in["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    ("visibility", "staff_answer"),
    [(Document.Visibility.MEMBERS, 200), (Document.Visibility.FOCAL_POINTS, 404)],
)
def test_partner_staff_see_documents_shared_with_members_but_not_those_for_focal_points(
    client, senegal_staff, senegal_focal_point, visibility, staff_answer
):
    document = DocumentFactory(slug="draft-minutes", title="Draft minutes", visibility=visibility)

    for person, answer in ((senegal_staff, staff_answer), (senegal_focal_point, 200)):
        client.force_login(person)
        assert client.get(document.get_download_url()).status_code == answer
        listed = "Draft minutes" in client.get(reverse("meetings:restricted-documents")).text
        dashboard = "Draft minutes" in client.get(reverse("dashboard")).text
        assert listed == dashboard == (answer == 200), person


def test_restricted_documents_come_newest_first_by_their_meeting_s_date(
    client, seeded, senegal_focal_point
):
    client.force_login(senegal_focal_point)

    listed = [
        document.title
        for document in client.get(reverse("meetings:restricted-documents")).context["page"]
    ]

    minutes = [title for title in listed if title.startswith("Minutes and conclusions")]
    assert minutes[0].endswith("February 2020")
    assert minutes[-1].endswith("May 2018")
    assert minutes.index("Minutes and conclusions of the Steering Committee, June 2019") < (
        minutes.index("Minutes and conclusions of the Steering Committee, February 2019")
    )


def test_the_meetings_list_offers_each_order_once(client, db):
    page = client.get(reverse("meetings:list")).text
    sort = re.search(r'<select name="sort".*?</select>', page, re.S).group()

    labels = re.findall(r"<option[^>]*>([^<]*)</option>", sort)
    assert labels == ["Newest first", "Oldest first", "Title"]


def test_a_feed_with_a_wrong_filter_keeps_the_valid_ones_and_names_them(client, seeded):
    domain = Domain.objects.get(plan__slug="marrakesh-2018-2020", number=4)

    feed = client.get(reverse("meetings:calendar-ics"), {"domain": domain.pk, "kind": "nonsense"})

    calendar = icalendar.Calendar.from_ical(feed.content)
    assert str(calendar["x-wr-calname"]) == f"Rabat Process: {domain}"
    subscribe = client.get(reverse("meetings:calendar-subscribe"), {"year": "abc", "q": "x" * 400})
    assert subscribe.status_code == 200


def test_a_document_without_a_file_says_so_before_the_click_and_whom_to_ask(client, settings):
    settings.SECRETARIAT_CONTACT_EMAIL = "secretariat@example.org"
    meeting = MeetingFactory()
    document = DocumentFactory(title="Conclusions of Rabat", file="", url="")
    document.meetings.add(meeting)

    listed = client.get(reverse("meetings:documents")).text
    on_meeting = client.get(meeting.get_absolute_url()).text
    detail = client.get(document.get_absolute_url()).text

    for page in (listed, on_meeting):
        item = page[page.index("Conclusions of Rabat") :]
        assert "not available online" in item[: item.index("</li>")]
    assert 'href="mailto:secretariat@example.org?subject=Conclusions%20of%20Rabat"' in detail


def test_a_document_without_its_own_date_takes_its_meeting_s_year(client):
    meeting = MeetingFactory(start_date=datetime.date(2019, 11, 5))
    minutes = DocumentFactory(title="Minutes of the SOM", published_on=None)
    minutes.meetings.add(meeting)
    DocumentFactory(title="A study of 2016", published_on=datetime.date(2016, 3, 1))
    url = reverse("meetings:documents")

    years = [
        value for value, _label in client.get(url).context["filters"].form["year"].field.choices
    ]
    of_2019 = client.get(url, {"year": "2019"}).text

    assert 2019 in years and 2016 in years
    assert "Minutes of the SOM" in of_2019 and "A study of 2016" not in of_2019
    assert "meeting of 2019" in of_2019


@pytest.mark.parametrize("path", ["/en/documents/", "/en/meetings/", "/en/private/documents/"])
def test_a_list_runs_as_many_queries_for_many_rows_as_for_a_few(
    path, client, senegal_focal_point, settings
):
    """Built afresh each time (the page cache off), a page of twenty rows costs the queries of a
    page of two: nothing is fetched per row, and undated documents get their meeting's year in
    one query for the page."""
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(senegal_focal_point)

    def queries_of_the_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    for number in range(2):
        meeting = MeetingFactory(start_date=datetime.date(2015 + number, 3, 1))
        for visibility in ("public", "members"):
            DocumentFactory(published_on=None, visibility=visibility).meetings.add(meeting)
    few = queries_of_the_page()
    for number in range(25):
        meeting = MeetingFactory(start_date=datetime.date(2000 + number % 20, 3, 1))
        for visibility in ("public", "members"):
            DocumentFactory(published_on=None, visibility=visibility).meetings.add(meeting)
    assert queries_of_the_page() == few


def test_an_undated_document_in_the_library_shows_its_meeting_s_year(client):
    meeting = MeetingFactory(start_date=datetime.date(2016, 5, 3))
    DocumentFactory(title="Minutes without a date", published_on=None).meetings.add(meeting)

    response = client.get("/en/documents/?q=Minutes+without")

    assert "meeting of 2016" in response.text
