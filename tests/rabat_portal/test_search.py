"""One search over meetings, documents and the Action Plan, grouped by type, in both languages."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_results_are_grouped_by_type(client, seeded):
    html = client.get("/en/search/", {"q": "border management"}).text

    assert 'id="found-meetings"' in html
    assert "Thematic meeting on cooperation between countries of origin" in html
    assert 'id="found-documents"' in html
    assert "Some good practices in the implementation of border management projects" in html


def test_the_action_plan_is_searched_too(client, seeded):
    html = client.get("/en/search/", {"q": "reintegration"}).text

    assert 'id="found-plan"' in html
    assert "Return, readmission and reintegration" in html


def test_french_pages_search_the_french_text(client, seeded):
    html = client.get("/fr/search/", {"q": "frontières"}).text

    assert "gestion des frontières" in html


def test_an_empty_or_absurd_query_is_answered_calmly(client, seeded):
    assert client.get("/en/search/").status_code == 200
    assert client.get("/en/search/", {"q": "   "}).status_code == 200
    long = client.get("/en/search/", {"q": "x" * 5000 + " & | ! ( ) : * '"})
    assert long.status_code == 200
    assert "Nothing matches" in long.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text ranking needs PostgreSQL")
def test_on_postgresql_titles_rank_above_bodies_and_words_are_stemmed(seeded):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from rabat_portal.search import search

    with translation.override("en"):
        results = search("smuggled migrants", AnonymousUser())

    # "smuggled" finds "smuggling"; the two meetings with it in their title come first.
    assert {meeting.slug for meeting in results.meetings[:2]} == {
        "workshop-migrant-smuggling-abidjan-2019",
        "thematic-meeting-trafficking-smuggling-porto-2015",
    }
