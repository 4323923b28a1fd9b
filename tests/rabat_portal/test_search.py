"""One search over meetings, documents and the Action Plan, grouped by type, in both languages."""

import re

import pytest
from django.db import connection
from django.urls import reverse

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


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)


@postgresql_only
@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_postgresql_stored_vectors_equal_the_vectors_computed_from_the_fields(seeded, language):
    from rabat_portal.search import SEARCHED, STORED_VECTORS, StoredVector, full_text_vector

    for model, titles, bodies in SEARCHED.values():
        if model not in STORED_VECTORS:
            continue
        rows = model.objects.annotate(
            stored=StoredVector(f"search_{language}"),
            computed=full_text_vector(titles, bodies, language),
        ).values_list("pk", "stored", "computed")
        assert rows
        assert [(pk, stored) for pk, stored, _ in rows] == [(pk, c) for pk, _, c in rows]


@postgresql_only
@pytest.mark.parametrize(
    ("language", "queries"),
    [
        ("en", ["border management", "smuggled migrants", "return", "Niamey"]),
        ("fr", ["gestion des frontières", "migrants", "retour", "border management"]),
    ],
)
def test_on_postgresql_stored_vectors_find_and_rank_as_computed_ones(seeded, language, queries):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from rabat_portal.search import SEARCHED, STORED_VECTORS, _base_queryset, _full_text

    compared = 0
    with translation.override(language):
        for query in queries:
            for model, titles, bodies in SEARCHED.values():
                if model not in STORED_VECTORS:
                    continue
                queryset = _base_queryset(model, AnonymousUser())
                found = [
                    list(
                        _full_text(
                            queryset, query, titles, bodies, language, stored=stored
                        ).values_list("pk", "rank")
                    )
                    for stored in (True, False)
                ]
                assert found[0] == found[1], (language, query, model)
                compared += len(found[0])
    assert compared > 0


@postgresql_only
def test_on_postgresql_meetings_and_documents_are_searched_without_parsing_every_row(seeded):
    from django.contrib.auth.models import AnonymousUser
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from rabat_portal.search import search

    with CaptureQueriesContext(connection) as queries, translation.override("fr"):
        search("gestion des frontières", AnonymousUser())

    for table in ("meetings_meeting", "meetings_document"):
        [sql] = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."id"')]
        assert f'"{table}"."search_fr" @@' in sql
        assert "to_tsvector" not in sql


@postgresql_only
def test_on_postgresql_an_edited_meeting_is_found_by_its_new_words(seeded):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from meetings.models import Meeting
    from rabat_portal.search import search

    meeting = Meeting.objects.get(slug="thematic-meeting-border-management-madrid-2019")
    meeting.title_fr = "Réunion sur les tortues luth"
    meeting.save()

    with translation.override("fr"):
        assert [m.pk for m in search("tortue", AnonymousUser()).meetings] == [meeting.pk]
    with translation.override("en"):
        assert search("tortue", AnonymousUser()).meetings == []


def test_the_header_s_search_has_a_button_and_keeps_the_words_on_the_results_page(client, seeded):
    home = client.get(reverse("home")).text
    results = client.get(reverse("search"), {"q": 'border "management'}).text

    header = re.search(r'<form class="site-search".*?</form>', home, re.S).group()
    assert '<button type="submit">Search</button>' in header
    header = re.search(r'<form class="site-search".*?</form>', results, re.S).group()
    assert 'value="border &quot;management"' in header
