"""Lists of documents built from plain rows (``Document.objects.as_rows``) and written by
``meetings/document_rows.html``: the same markup, to the byte, as the include of one document
per row that they replace, in both languages, at a cost that does not grow."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import Document
from tests.actionplan.factories import ActionFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date

# The include each list rendered once per document (``meetings/document_item.html``), kept
# here as the reference the rows must match.
ITEM = Template(
    """{% load i18n portal %}
<li class="document-item">
  <a href="{{ document.get_absolute_url }}">{{ document.title }}</a>
  <span class="muted">{{ document|choice_label:"kind" }}{% if document.language %} · {{ document|choice_label:"language" }}{% endif %}{% if document.published_on %} · {{ document.published_on|date:"YEAR_MONTH_FORMAT" }}{% elif document.dated %} · {% blocktranslate with year=document.dated|date:"Y" %}meeting of {{ year }}{% endblocktranslate %}{% endif %}</span>
  {% if document.visibility == "members" %}<span class="badge">{% translate "members of partners" %}</span>{% elif not document.is_public %}<span class="badge">{% translate "focal points only" %}</span>{% endif %}
  {% if document.file %}<a class="download" href="{{ document.get_download_url }}">{% translate "Download" %}{% if document.file_size %} <span class="muted">({{ document.file_size|filesizeformat }})</span>{% endif %}</a>{% elif document.url %}<a class="download" href="{{ document.url }}" rel="noopener">{% translate "Open the link" %}</a>{% else %}<span class="muted">{% translate "not available online" %}</span>{% endif %}
</li>
"""  # noqa: E501
)


@pytest.fixture
def variety():
    """Documents with each way of showing a kind, a language, a date, a badge and a link."""
    meeting = MeetingFactory(start_date=D(2019, 11, 5))
    documents = [
        DocumentFactory(
            title_en="Conclusions of Rabat",
            title_fr="Conclusions de Rabat",
            language=Document.Language.BILINGUAL,
            published_on=D(2020, 3, 17),
        ),
        DocumentFactory(
            title_en="Minutes of the SOM",
            kind=Document.Kind.MINUTES,
            published_on=None,
            visibility=Document.Visibility.MEMBERS,
        ),
        DocumentFactory(
            title_en="Guide on returns & <readmission>",
            kind=Document.Kind.GUIDE,
            language=Document.Language.FRENCH,
            published_on=D(2018, 1, 1),
            file="",
            url="https://example.org/guide?a=1&b=2",
            visibility=Document.Visibility.FOCAL_POINTS,
        ),
        DocumentFactory(
            title_en="Roadmap without a copy",
            kind=Document.Kind.OTHER,
            published_on=None,
            file="",
            url="",
        ),
        DocumentFactory(title_en="Study of an unknown year", published_on=None),
    ]
    # A size with decimals, and a file whose size is not known.
    Document.objects.filter(pk=documents[0].pk).update(file_size=1_234_567)
    Document.objects.filter(pk=documents[4].pk).update(file_size=None)
    documents[1].meetings.add(meeting)
    documents[3].meetings.add(meeting)
    return documents


def rendered_items(documents):
    return "".join(ITEM.render(Context({"document": document})) for document in documents)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("dated", "annotated"), [(False, False), (True, False), (True, True)])
def test_the_rows_write_what_the_include_wrote(variety, language, dated, annotated):
    chosen = Document.objects.filter(pk__in=[document.pk for document in variety])
    if annotated:
        chosen = chosen.with_date()
    with translation.override(language):
        # The include read ``dated`` where the list had it, from ``with_date`` (as here).
        expected = rendered_items(chosen.with_date() if dated else chosen)
        html = render_to_string("meetings/document_rows.html", {"rows": chosen.as_rows(dated)})

    assert html == expected
    # Each case is in it: the French title, a size, the dates, both badges, each kind of link.
    assert ("Conclusions de Rabat" in html) == (language == "fr")
    assert {"en": "March 2020", "fr": "mars 2020"}[language] in html
    assert ({"en": "meeting of 2019", "fr": "réunion de 2019"}[language] in html) == dated
    size = {"en": "1.2\xa0MB", "fr": "1,2\xa0Mio"}[language]
    assert f"({size})" in html
    assert html.count('<span class="muted">(') == 2 and 'rel="noopener"' in html
    assert "Guide on returns &amp; &lt;readmission&gt;" in html
    assert {"en": "not available online", "fr": "non disponible en ligne"}[language] in html
    assert html.count('<span class="badge">') == 2


def test_an_empty_list_writes_nothing(db):
    assert render_to_string("meetings/document_rows.html", {"rows": []}) == ""


def test_the_rows_cost_one_query_or_two_with_their_meetings_dates(variety):
    chosen = Document.objects.filter(pk__in=[document.pk for document in variety])

    with CaptureQueriesContext(connection) as plain:
        chosen.as_rows()
    with CaptureQueriesContext(connection) as dated:
        chosen.as_rows(dated=True)
    with CaptureQueriesContext(connection) as annotated:
        chosen.with_date().as_rows(dated=True)

    assert (len(plain), len(dated), len(annotated)) == (1, 2, 1)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_meeting_s_page_lists_its_documents_as_the_include_did(client, variety, language):
    meeting = variety[1].meetings.get()
    public = Document.objects.public().filter(meetings=meeting).order_by("category", "title")

    with translation.override(language):
        html = client.get(meeting.get_absolute_url()).text
        expected = rendered_items(public)

    assert f'<ul class="document-list">{expected}</ul>' in html
    assert "Minutes of the SOM" not in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_library_lists_its_page_as_the_include_did(client, variety, language, settings):
    settings.PAGE_CACHE_SECONDS = 0
    public = Document.objects.public().with_date()

    with translation.override(language):
        html = client.get(f"/{language}/documents/").text
        expected = rendered_items(public)

    assert f'<ul class="document-list">{expected}</ul>' in html


def test_restricted_documents_are_listed_as_the_include_did(client, variety, senegal_focal_point):
    client.force_login(senegal_focal_point)
    restricted = Document.objects.restricted().newest_first()

    html = client.get("/fr/private/documents/").text
    with translation.override("fr"):
        expected = rendered_items(restricted)

    assert f'<ul class="document-list">{expected}</ul>' in html
    assert "membres des partenaires" in html and "points focaux uniquement" in html


def test_an_action_s_and_its_domain_s_pages_list_documents_as_the_include_did(
    client, variety, senegal_focal_point
):
    action = ActionFactory()
    for document in variety:
        document.actions.add(action)
    client.force_login(senegal_focal_point)
    seen = Document.objects.visible_to(senegal_focal_point).filter(actions=action)

    on_domain = client.get(action.domain.get_absolute_url()).text
    on_action = client.get(action.get_absolute_url()).text

    assert f'<ul class="document-list">{rendered_items(seen[:20])}</ul>' in on_domain
    # The action page wrote the same items in a loop of its own, indented otherwise.
    assert " ".join(rendered_items(seen[:5]).split()) in " ".join(on_action.split())
    assert on_action.count('<li class="document-item">') == 5


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_dashboard_and_the_laboratory_list_documents_as_the_include_did(
    client, variety, senegal_focal_point, language
):
    client.force_login(senegal_focal_point)
    newest = Document.objects.restricted().order_by("-created_at", "-pk")
    essentials = Document.objects.filter(kind__in=["conclusions", "recommendations"])

    dashboard = client.get(f"/{language}/private/").text
    laboratory = client.get(f"/{language}/private/ideas/").text
    with translation.override(language):
        expected_newest = rendered_items(newest)
        expected_essentials = rendered_items(essentials.order_by("-published_on", "-created_at"))

    assert f'<ul class="document-list">{expected_newest}</ul>' in dashboard
    assert f'<ul class="document-list">{expected_essentials}</ul>' in laboratory
