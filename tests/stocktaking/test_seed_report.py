"""The 2018–2020 report regenerated from the seed, read side by side with the source: its
sections and contents, the source's facts in both languages, no invented figure, an accessible
PDF; the editorial content loaded once and edited in the admin."""

import contextlib
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("stocktaking-reports")]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

# The source's contents (shared/seeds/000_*.txt), in its order.
SOURCE_HEADINGS = [
    "List of acronyms",
    "1. Introduction",
    "1.1 Background",
    "1.2 Objectives of the stocktaking report",
    "2. Stocktaking of the implementation of the Marrakesh Action Plan 2018-2020",
    "2.1 A variety of activities on the five domains of the Action Plan",
    "2.2 Monitoring and implementation of the Joint Valletta Action Plan (JVAP)",
    "2.3 Steering Committee meetings",
    "2.4 A more operational way of working",
    "3. Ten Recommendations for the Dialogue",
    "Summary of recommendations",
    "4. Conclusion",
    "Reference documents",
]
FACTS = yaml.safe_load((Path(__file__).parent / "facts.yaml").read_text(encoding="utf-8"))


def normal(text):
    """Text compared as a reader reads it: one kind of space, dash and apostrophe."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    text = re.sub(r"[‐‑–—-]", "-", text)
    return " ".join(text.split())


def pdf_pages(path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def pdf_objects(path):
    """The PDF's objects, those in compressed object streams included, as one byte string."""
    raw = Path(path).read_bytes()
    parts = [raw]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream.group(1)))
    return b"\n".join(parts)


def contents(pages):
    """(heading, page number) of each entry of the contents page; an entry may wrap."""
    entries, pending = [], ""
    lines = pages[1].splitlines()
    start = next(i for i, line in enumerate(lines) if re.search("contents|matières", line))
    for line in lines[start + 1 :]:
        match = re.match(r"^\s*(.*?)\s*\.{3,}\s*(\d+)\s*$", line)
        if match:
            entries.append((normal(f"{pending} {match.group(1)}"), int(match.group(2))))
            pending = ""
        elif line.strip() and not line.strip().isdigit():
            pending = f"{pending} {line}"
    return entries


@needs_poppler
def test_every_section_of_the_source_is_in_the_contents_on_its_page(reports):
    pages = pdf_pages(reports["en"])
    entries = contents(pages)

    titles = [title.lower() for title, _page in entries]
    assert titles == [normal(heading).lower() for heading in SOURCE_HEADINGS]
    for title, page in entries:
        assert title.lower() in normal(pages[page - 1]).lower(), f"{title!r} not on page {page}"


@needs_poppler
def test_the_french_contents_point_at_their_pages_too(reports):
    pages = pdf_pages(reports["fr"])
    entries = contents(pages)

    assert len(entries) == len(SOURCE_HEADINGS)
    assert entries[0][0] == "Liste des sigles"
    for title, page in entries:
        assert title.lower() in normal(pages[page - 1]).lower(), f"{title!r} not on page {page}"


@needs_poppler
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_source_s_facts_are_in_the_report(reports, language):
    text = normal(" ".join(pdf_pages(reports[language])))

    missing = [fact[language] for fact in FACTS if normal(fact[language]) not in text]

    assert not missing


@needs_poppler
def test_no_percentage_is_printed_that_the_data_does_not_hold(reports, seeded):
    from meetings.models import Participation
    from stocktaking.models import StocktakingReport

    held = set()
    for participation in Participation.objects.all():
        for share in (
            participation.technical_share,
            participation.reported_technical_share,
            participation.reported_non_technical_share,
        ):
            if share is not None:
                held |= {share, 100 - share}
    report = StocktakingReport.objects.get(period_start="2018-05-01")
    editorial = " ".join(
        [
            *(f"{s.before_en} {s.after_en}" for s in report.sections.all()),
            *(box.text_en for box in report.boxes.all()),
        ]
    )
    from actionplan.models import RecommendationPart

    editorial += " ".join(part.text_en for part in RecommendationPart.objects.all())
    held |= {int(n) for n in re.findall(r"(\d+)\s?%", editorial)}
    text = normal(" ".join(pdf_pages(reports["en"])))

    printed = {int(n) for n in re.findall(r"(\d+) ?%", text)}

    assert printed <= held, printed - held
    assert "0 % (0/57)" not in text and "(0/" not in text


@needs_poppler
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pdf_is_tagged_with_its_language_and_has_thirty_pages_or_more(reports, language):
    info = subprocess.run(
        ["pdfinfo", str(reports[language])], capture_output=True, text=True, check=True
    ).stdout

    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1)) >= 30
    objects = pdf_objects(reports[language])
    assert f"/Lang ({language})".encode() in objects
    assert b"/Outlines" in objects


@needs_poppler
def test_the_report_reads_like_the_source_where_the_issue_found_it_did_not(reports):
    text = normal(" ".join(pdf_pages(reports["en"])))
    french = normal(" ".join(pdf_pages(reports["fr"])))

    # Organisers, co-chairs, the invited non-partner, the reaction's source as a footnote.
    assert "Organised by Nigeria; co-chaired by Belgium and France" in text
    assert "Lebanon" in text and "at the Dialogue's invitation" in text
    assert "evaluation forms completed by the participants" in text.lower()
    # The postponed meeting with no earlier date record is listed.
    assert "cities" in text.lower() and "first half of 2021" in text
    # Restricted documents by title, marked.
    assert "Operating procedures of the Steering Committee (available to the National" in text
    # The two postponed Steering Committees once.
    assert text.count("Steering Committee meetings postponed") == 1
    # Chairmanships as recorded: no Portugal 2016 in 2018-2020.
    assert "Portugal 2016" not in text
    # French typography.
    months = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    assert not re.search(rf"(?<![\d.,])1 ({months})", french)
    assert re.search(r"\w \: ", " ".join(pdf_pages(reports["fr"])).replace("\u00a0", " "))


def test_loading_the_report_content_twice_changes_nothing(seeded):
    from actionplan.models import RecommendationPart
    from stocktaking.models import ReportBox, ReportSection, ReportSubsection, StocktakingReport
    from stocktaking.services import load_report_files

    models = [StocktakingReport, ReportSection, ReportSubsection, ReportBox, RecommendationPart]

    def state():
        return [
            (model.objects.count(), model.history.count(), sorted(model.objects.values_list("pk")))
            for model in models
        ]

    before = state()
    report = load_report_files()

    assert state() == before
    assert report.french_is_translation
    assert report.boxes.count() == 7
    assert ReportSection.objects.filter(report=report, key="4").exists()
    assert RecommendationPart.objects.filter(recommendation__number=1).count() >= 3


def test_the_secretariat_edits_a_box_and_the_preview_shows_it(client, seeded, secretariat):
    from stocktaking.models import ReportBox

    box = ReportBox.objects.get(number=1)
    client.force_login(secretariat)

    response = client.post(
        f"/admin/stocktaking/reportbox/{box.pk}/change/",
        {
            "report": box.report_id,
            "number": 1,
            "section": "2.1",
            "anchor": "domain-1",
            "order": 1,
            "title_en": "A compendium, edited",
            "title_fr": "Un recueil, modifié",
            "text_en": "New text with a note.[^1]\n\n[^1]: The note.",
            "text_fr": "Nouveau texte.",
        },
    )
    preview = client.get("/en/private/stocktaking/preview/", {"report": box.report_id})

    assert response.status_code == 302
    assert "A compendium, edited" in preview.text
    assert '<span class="footnote">The note.</span>' in preview.text


def test_the_secretariat_edits_a_recommendation_s_parts(client, seeded, secretariat):
    from actionplan.models import Recommendation

    recommendation = Recommendation.objects.get(number=10)
    client.force_login(secretariat)

    page = client.get(f"/admin/actionplan/recommendation/{recommendation.pk}/change/")

    assert page.status_code == 200
    assert 'name="parts-TOTAL_FORMS"' in page.text
    assert 'name="parts-0-text_fr"' in page.text


def test_the_preview_marks_the_gaps_for_the_secretariat(client, seeded, secretariat):
    from stocktaking.models import ReportSection
    from stocktaking.services import report_gaps

    section = ReportSection.objects.get(key="1.2")
    section.before_en = section.before_fr = section.after_en = section.after_fr = ""
    section.save()
    client.force_login(secretariat)

    gaps = report_gaps(section.report)
    preview = client.get("/en/private/stocktaking/preview/", {"report": section.report_id})

    assert any(gap.kind == "section" and "1.2" in gap.label for gap in gaps)
    assert "Still to be completed" in preview.text and 'class="gap"' in preview.text


def test_the_secretariat_rewrites_a_recommendation_s_part_in_the_admin(client, seeded, secretariat):
    from actionplan.models import Recommendation

    recommendation = Recommendation.objects.get(number=10)
    parts = list(recommendation.parts.all())
    client.force_login(secretariat)
    data = {
        "plan": recommendation.plan_id,
        "number": 10,
        "title_en": recommendation.title_en,
        "title_fr": recommendation.title_fr,
        "summary_en": recommendation.summary_en,
        "summary_fr": recommendation.summary_fr,
        "proposal_en": recommendation.proposal_en,
        "proposal_fr": recommendation.proposal_fr,
        "parts-TOTAL_FORMS": len(parts),
        "parts-INITIAL_FORMS": len(parts),
        "follow_ups-TOTAL_FORMS": 0,
        "follow_ups-INITIAL_FORMS": 0,
    }
    for index, part in enumerate(parts):
        data.update(
            {
                f"parts-{index}-id": part.pk,
                f"parts-{index}-recommendation": recommendation.pk,
                f"parts-{index}-position": part.position,
                f"parts-{index}-heading_en": part.heading_en,
                f"parts-{index}-heading_fr": part.heading_fr,
                f"parts-{index}-text_en": part.text_en,
                f"parts-{index}-text_fr": part.text_fr,
            }
        )
    data["parts-0-text_en"] = "Online tools, **rewritten** by the Secretariat."

    response = client.post(f"/admin/actionplan/recommendation/{recommendation.pk}/change/", data)
    preview = client.get(
        "/en/private/stocktaking/preview/", {"from": "2018-05-01", "to": "2020-10-31"}
    )

    assert response.status_code == 302, response.content[:2000]
    assert recommendation.parts.first().text_en.startswith("Online tools")
    assert "Online tools, <strong>rewritten</strong> by the Secretariat." in preview.text


def test_the_command_uses_the_stored_report_or_the_one_chosen(seeded, tmp_path):
    from django.core.management import CommandError, call_command

    from stocktaking.models import ReportSection, StocktakingReport

    other = StocktakingReport.objects.create(
        title_en="A second draft", period_start="2019-01-01", period_end="2019-12-31"
    )
    ReportSection.objects.create(report=other, key="4", before_en="Concluded in the draft.")
    seed, chosen = tmp_path / "seed.html", tmp_path / "chosen.html"

    call_command(
        "stocktaking_report", "--from=2018-05-01", "--to=2020-10-31", "--html", f"--output={seed}"
    )
    call_command("stocktaking_report", f"--report={other.pk}", "--html", f"--output={chosen}")

    assert "Founded in 2006" in seed.read_text()
    assert "A second draft" in chosen.read_text()
    assert "Concluded in the draft." in chosen.read_text()
    with pytest.raises(CommandError, match="No stocktaking report"):
        call_command("stocktaking_report", "--report=999999", f"--output={chosen}")
