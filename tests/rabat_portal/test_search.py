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


@pytest.mark.parametrize(
    "query",
    ["border management", "FRONTIÈRES", "gestion des frontières", "retour x", "100%", "a_b", "\\"],
)
def test_each_word_is_looked_for_in_every_searched_field_as_icontains_lookups_would(seeded, query):
    """The condition written straight to SQL finds what a Q of ``icontains`` lookups found."""
    from django.db.models import Q

    from rabat_portal.search import SEARCHED, _contains

    for model, titles, bodies in SEARCHED.values():
        queryset = model.objects.all()
        for word in query.split():
            condition = Q()
            for name in titles + bodies:
                for code in ("en", "fr"):
                    condition |= Q(**{f"{name}_{code}__icontains": word})
            queryset = queryset.filter(condition)
        expected = list(queryset.order_by("pk").values_list("pk", flat=True))
        found = _contains(model.objects.all(), query, titles + bodies)
        assert list(found.values_list("pk", flat=True)) == expected, (model, query)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_action_plan_results_show_each_part_as_its_own_link_did(seeded, language):
    """The rows of the Action Plan's results give the address and words that each part's
    instance gave the results page (its ``str``, its page, ``actionplan/action_link.html``)."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.html import escape

    from actionplan.models import Action, Domain, Objective, Recommendation
    from rabat_portal.search import _plan_rows

    # A part without a French title shows its English one, as its ``title`` does.
    Objective.objects.filter(pk=Objective.objects.order_by("pk").first().pk).update(title_fr="")
    with translation.override(language):
        objectives = Objective.objects.select_related("domain__plan").order_by("pk")
        assert _plan_rows(Objective, objectives) == [
            {
                "url": f"{o.domain.get_absolute_url()}#objective-{o.number}",
                "label": str(o),
                "title": o.title,
            }
            for o in objectives
        ]
        domains = Domain.objects.select_related("plan").order_by("pk")
        assert _plan_rows(Domain, domains) == [
            {"url": d.get_absolute_url(), "label": str(d), "title": d.title} for d in domains
        ]
        page = reverse("actionplan:recommendations")
        recommendations = Recommendation.objects.select_related("plan").order_by("pk")
        assert _plan_rows(Recommendation, recommendations) == [
            {"url": f"{page}#{r.plan.slug}-{r.code}", "label": str(r), "title": r.title}
            for r in recommendations
        ]
        actions = Action.objects.select_related("plan").order_by("pk")
        rows = _plan_rows(Action, actions)
        assert len(rows) == len(actions) > 0
        for action, row in zip(actions, rows, strict=True):
            title = f" {escape(row['title'])}" if row["title"] else ""
            assert render_to_string("actionplan/action_link.html", {"action": action}) == (
                f'<a href="{row["url"]}"><span class="action-number">{escape(row["label"])}'
                f"</span>{title}</a>\n"
            )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_document_results_show_each_document_as_its_instance_did(seeded, language):
    from django.utils import translation

    from meetings.models import Document
    from rabat_portal.search import _document_rows

    # A document without a French title shows its English one, as its ``title`` does.
    Document.objects.filter(pk=Document.objects.order_by("pk").first().pk).update(title_fr="")
    with translation.override(language):
        documents = Document.objects.order_by("pk")
        assert documents
        assert _document_rows(documents) == [
            {"url": d.get_absolute_url(), "title": d.title, "kind_label": d.get_kind_display()}
            for d in documents
        ]
