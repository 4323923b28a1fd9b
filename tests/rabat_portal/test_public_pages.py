"""The public pages, in English and in French."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from actionplan.models import Action, Domain

pytestmark = pytest.mark.django_db

PLAN = "marrakesh-2018-2020"


def page_urls(language):
    with translation.override(language):
        return {
            "home": reverse("home"),
            "action plan": reverse("actionplan:current-plan"),
            "plan": reverse("actionplan:plan", kwargs={"plan": PLAN}),
            "domain": reverse("actionplan:domain", kwargs={"plan": PLAN, "number": 4}),
            "action": reverse("actionplan:action", kwargs={"plan": PLAN, "number": 19}),
            "partners": reverse("partner-list"),
            "partner": reverse("partner-detail", kwargs={"slug": "burkina-faso"}),
            "reference countries": reverse("actionplan:reference-countries"),
            "recommendations": reverse("actionplan:recommendations"),
        }


EXPECTED = {
    "en": {
        "home": ["Founded in 2006", "Domain 4", "Current chair"],
        # The plan in force today: the Cadiz plan, whose structure the Secretariat enters.
        "action plan": ["Cadiz Action Plan", "The current action plan.", "Domain 5"],
        "plan": [
            "Legal migration and mobility",
            "A regional approach",
            "Objective 10",
            "Action 23",
            "Cross-cutting priorities",
        ],
        "domain": ["Objective 7", "Action 15", "Côte d&#x27;Ivoire", "associate"],
        "action": ["Action 19", "Protection and assistance", "Objective 8"],
        "partners": ["Central Africa", "Senegal", "Steering Committee", "Chairmanship history"],
        "partner": ["Burkina Faso", "West Africa", "Reference country", "Marrakesh"],
        "reference countries": ["Nigeria", "Switzerland", "associate"],
        "recommendations": ["R1", "R10", "Energise the Dialogue governance", "No follow-up"],
    },
    "fr": {
        "home": ["Fondé en 2006", "Domaine 4", "Présidence actuelle"],
        "action plan": [
            "Plan d&#x27;action de Cadix",
            "Le plan d'action en cours.",
            "Domaine 5",
        ],
        "plan": ["Objectif 10", "Action 23", "Priorités transversales"],
        "domain": ["Objectif 7", "Action 15", "Côte d&#x27;Ivoire", "associé"],
        "action": ["Action 19", "Objectif 8"],
        "partners": ["Afrique centrale", "Sénégal", "Comité de pilotage", "Historique"],
        "partner": ["Burkina Faso", "Afrique de l&#x27;Ouest", "Pays de référence"],
        "reference countries": ["Nigeria", "Suisse", "associé"],
        "recommendations": ["R1", "R10"],
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("page", list(EXPECTED["en"]))
def test_every_public_page_answers_in_both_languages_with_its_content(
    client, seeded, language, page
):
    url = page_urls(language)[page]

    response = client.get(url)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    for text in EXPECTED[language][page]:
        assert text in response.text, f"{text!r} missing from {url}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_action_plan_lists_23_actions_under_10_objectives_under_5_domains(
    client, seeded, language
):
    html = client.get(page_urls(language)["plan"]).text

    domains = re.split(r'<section class="domain"', html)[1:]
    objectives_per_domain = [section.count('<div class="objective">') for section in domains]
    actions = re.findall(r'<li value="(\d+)"><a href="[^"]+/actions/\d+/"', html)

    assert objectives_per_domain == [2, 2, 2, 2, 2]
    assert [int(n) for n in actions] == list(range(1, 24))


def test_actions_without_wording_are_told_once_for_the_plan_not_on_every_line(client, seeded):
    html = client.get(page_urls("en")["plan"]).text
    action_page = client.get(page_urls("en")["action"].replace("/19/", "/1/")).text

    assert html.count("still to be completed by the Secretariat") == 1
    assert "The wording of 22 actions is still to be completed" in html
    assert "wording to be completed" not in html
    assert "to be completed by the Secretariat" in action_page


def test_an_action_without_wording_still_shows_its_objective_meetings_and_projects(client, seeded):
    action = Action.objects.get(number=5, plan__slug=Action.objects.get(number=19).plan.slug)
    assert not action.title
    html = client.get(action.get_absolute_url()).text

    assert escape(str(action.objective)) in html
    assert "Technical workshop “International Migration and Development" in html


def test_french_pages_fall_back_to_english_content_where_none_is_translated(client, seeded):
    Action.objects.filter(number=19).update(title_fr="", description_fr="")

    html = client.get(page_urls("fr")["action"]).text

    assert "Protection and assistance of persons affected by smuggling" in html


@pytest.mark.parametrize("page", ["domain", "action", "partners", "recommendations"])
def test_the_language_switcher_keeps_the_page(client, seeded, page):
    english, french = page_urls("en")[page], page_urls("fr")[page]

    assert f'href="{french}"' in client.get(english).text
    assert f'href="{english}"' in client.get(french).text


def test_hreflang_alternates_are_absolute_addresses_of_the_page_in_each_language(
    client, seeded, settings
):
    settings.SITE_URL = "https://portal.example"
    english, french = page_urls("en")["domain"], page_urls("fr")["domain"]

    html = client.get(english).text

    assert f'<link rel="alternate" hreflang="fr" href="https://portal.example{french}">' in html
    assert f'<link rel="alternate" hreflang="en" href="https://portal.example{english}">' in html


def test_the_favicon_is_served_on_every_page_and_at_favicon_ico(client, seeded, secretariat):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302
    assert icon["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    assert icon["Location"] in client.get(page_urls("en")["home"]).text
    client.force_login(secretariat)
    assert icon["Location"] in client.get(reverse("admin:index")).text


def test_the_root_sends_visitors_to_their_language(client, seeded):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr").headers["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").headers["Location"] == "/en/"


@pytest.mark.parametrize(
    "url",
    [
        f"/en/action-plan/{PLAN}/domains/9/",
        f"/en/action-plan/{PLAN}/actions/24/",
        "/en/action-plan/no-such-plan/",
        "/en/partners/atlantis/",
    ],
)
def test_unknown_records_answer_404(client, seeded, url):
    assert client.get(url).status_code == 404


def test_pages_use_local_assets_only(client, seeded):
    html = client.get(page_urls("en")["home"]).text
    html = re.sub(r'<link rel="alternate"[^>]*>', "", html)  # addresses, not assets

    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "/static/css/portal.css" in html


@pytest.mark.parametrize(
    "page", ["action plan", "partners", "reference countries", "recommendations"]
)
def test_list_pages_run_a_fixed_number_of_queries(
    client, seeded, page, django_assert_max_num_queries
):
    url = page_urls("en")[page]
    with django_assert_max_num_queries(10):
        client.get(url)


def test_the_domain_page_lists_its_reference_countries_and_objectives(client, seeded):
    domain = Domain.objects.get(number=2)

    html = client.get(domain.get_absolute_url()).text

    assert "Cabo Verde" in html and "Portugal" in html and "Morocco" in html
    assert "Objective 3" in html and "Objective 4" in html


@pytest.mark.django_db
def test_a_partner_page_works_before_any_chairmanship_is_recorded(client, senegal):
    response = client.get(reverse("partner-detail", kwargs={"slug": "senegal"}))

    assert response.status_code == 200
    assert "Senegal" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/meetings/", "/fr/meetings/thematic-meeting-border-management-madrid-2019/"]
)
def test_an_unchanged_public_page_is_not_sent_again(client, seeded, url):
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
