"""The public site says what the sources say and no more: chair terms as precisely as known,
the Secretariat as the Secretariat, counts by the partners page's categories, no invented
language, and texts not yet translated marked as such."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from focalpoints.models import Chairmanship, Partner
from ideas_lab.models import Idea
from labelling.models import LabellingRequest
from meetings.models import Document

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_chair_terms_end_as_precisely_as_the_sources_give_them(client, seeded):
    page = text_of(client.get(reverse("partner-list")))
    # Morocco's term ended when Portugal's began, known only to the year: no "1 January".
    assert "Morocco 2015 – 2016" in page
    assert "Portugal 1 February 2024 – 2025" in page
    # Mali's start is unknown, Portugal's 2016 term ended when Mali's began: unknown too.
    assert "Mali … – 21 March 2017" in page
    assert "Portugal 2016 – …" in page
    assert "1 January" not in page


def test_the_current_chair_and_the_outgoing_one(client, seeded):
    troika = Chairmanship.objects.troika()
    assert troika.current.partner.slug == "nigeria"
    assert troika.previous.partner.slug == "portugal"
    assert troika.current.start_display == "2025"


def test_a_recorded_end_known_to_the_year_is_shown_as_a_year():
    chair = Chairmanship(
        partner=Partner(name="Mali"),
        end=__import__("datetime").date(2017, 1, 1),
        end_precision="year",
    )
    with translation.override("en"):
        assert chair.term_display == "… – 2017"


def test_icmpd_is_the_secretariat_not_an_observer_and_the_icrc_is_not_named(client, seeded):
    assert Partner.objects.get(slug="icmpd").status == Partner.Status.SECRETARIAT
    assert not Partner.objects.filter(slug="icrc").exists()
    html = client.get(reverse("partner-list")).content.decode()
    secretariat = html.split("Secretariat</h3>")[1].split("</ul>")[0]
    assert "International Centre for Migration Policy Development" in secretariat
    observers = html.split("Organisations taking part as observers or experts")[1].split("</ul>")[0]
    assert "ICMPD" not in observers
    assert "Red Cross" not in html


def test_home_counts_match_the_partners_page(client, seeded):
    home = text_of(client.get(reverse("home")))
    partners = client.get(reverse("partner-list")).content.decode()
    regions = sum(
        int(n) for n in re.findall(r'<span class="muted">\((\d+)\)</span></h2>', partners)
    )
    # The observer badges in the regions' lists (the first one is the legend's).
    countries = partners.split('id="organisations"')[0]
    observers = countries.count('<span class="badge">observer</span>') - 1
    assert f"{regions - observers} partner countries and {observers} observer countries" in home
    assert "55 partner countries and 2 observer countries" in home
    assert "2 partner organisations" in home


def test_a_document_s_language_is_shown_only_where_it_is_known(client, seeded):
    document = Document.objects.public().first()
    assert document.language == ""
    page = client.get(reverse("meetings:document", kwargs={"pk": document.pk})).content.decode()
    assert "<dt>Language</dt>" not in page
    document.language = Document.Language.FRENCH
    document.save()
    page = client.get(reverse("meetings:document", kwargs={"pk": document.pk})).content.decode()
    assert "<dt>Language</dt><dd>French</dd>" in page


def test_a_new_document_has_no_language_by_default():
    assert Document().language == ""


def test_a_labelled_project_not_yet_in_french_says_so_on_its_french_page(client, seeded):
    project = LabellingRequest.objects.labelled().first()
    with translation.override("fr"):
        url = project.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Pas encore traduit" in page
    assert project.title_en in page
    project.title_fr = "Atelier"
    project.summary_fr = project.objectives_fr = project.expected_results_fr = "Texte"
    project.results_summary_fr = "Résultats" if project.results_summary_en else ""
    project.save()
    assert "Pas encore traduit" not in client.get(url).content.decode()


def test_a_project_written_in_french_only_shows_its_french_on_the_english_page(client, seeded):
    project = LabellingRequest.objects.labelled().first()
    LabellingRequest.objects.filter(pk=project.pk).update(
        title_en="", title_fr="Atelier migration et développement"
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Atelier migration et développement" in page
    assert "Not yet translated: shown in French." in page


def test_an_idea_not_yet_in_french_says_so_to_a_focal_point(client, seeded, senegal_focal_point):
    idea = Idea.objects.get(slug="cote-d-ivoire-mapping-of-the-ivorian-diaspora")
    client.force_login(senegal_focal_point)
    with translation.override("fr"):
        url = reverse("ideas:detail", kwargs={"pk": idea.pk})
    page = client.get(url).content.decode()
    assert "Mapping of the Ivorian diaspora" in page
    assert "Pas encore traduit" in page


def test_editing_in_french_does_not_save_the_english_fallback_as_french(seeded):
    from labelling.forms import ResultsForm

    project = LabellingRequest.objects.labelled().filter(results_summary_en="").first()
    project.results_summary_en = "Held in Paris."
    project.save()
    with translation.override("fr"):
        form = ResultsForm(
            {"results_summary": "Held in Paris."},
            instance=LabellingRequest.objects.get(pk=project.pk),
        )
        form.is_valid()
        form.instance.save()
    project.refresh_from_db()
    assert project.results_summary_en == "Held in Paris."
    assert not project.results_summary_fr
