"""The stocktaking report: assembled from the database, rendered to PDF by WeasyPrint."""

import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from stocktaking.services import Period, ReportError, StaticOnlyURLFetcher

# One worker renders the module's two reports once, for every test that reads them.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("stocktaking-reports")]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_pages(path, layout=True):
    text = subprocess.run(
        ["pdftotext", "-layout" if layout else "-raw", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")


@needs_poppler
def test_the_report_holds_the_report_s_facts(reports):
    # In the order it was written: -layout interleaves the lines of a table's cells.
    text = " ".join(" ".join(pdf_pages(reports["en"], layout=False)).split())

    for domain in (
        "Legal migration and mobility",
        "Protection and asylum",
        "Return, readmission and reintegration",
    ):
        assert domain in text
    for objective in range(1, 11):
        assert re.search(rf"\b{objective}\. \w", text)
    for figure in (
        "80 participants",
        "33 delegations",
        "66 % technical profile",
        "68 participants",
        "73 participants",
        "55 % technical profile",
        "41 delegations",
        "57 % technical",
    ):
        assert figure in text, figure
    for date in (
        "25 June 2018",
        "25 July 2018",
        "24 September 2018",
        "23 January 2019",
        "11 February 2019",
        "3 June 2019",
        "13 November 2019",
        "18 February 2020",
    ):
        assert date in text, date
    assert "Cabo Verde, Portugal, (Morocco)" in text
    assert "Côte d'Ivoire, Niger, Spain, (Burkina Faso)" in text
    for number in range(1, 11):
        assert f"R{number}. " in text
    assert "Migration and development workshop labelled “Rabat Process”, Paris (Meeting or" in text
    for idea in ("Mapping of the Ivorian diaspora", "Côte d'Ivoire", "Gabon", "Mali"):
        assert idea in text, idea


@needs_poppler
def test_the_contents_page_numbers_match_where_sections_start(reports):
    pages = pdf_pages(reports["en"])
    contents = pages[1]
    entries = re.findall(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)

    assert len(entries) >= 9
    for title, page in entries:
        heading = " ".join(title.split())
        start = pages[int(page) - 1]
        assert heading in " ".join(start.split()), f"{heading!r} is not on page {page}"


@needs_poppler
def test_the_french_report_is_in_french(reports):
    text = " ".join(" ".join(pdf_pages(reports["fr"], layout=False)).split())

    assert "Table des matières" in text
    assert "priorités transversales" in text
    assert "Migration légale et mobilité" in text
    assert "recommandations pour le Dialogue" in text


@needs_poppler
def test_fonts_are_embedded_in_both_languages(reports):
    for path in reports.values():
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all(row[-5] == "yes" for row in rows), fonts


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2020-10-31", "2018-05-01", "ends"),
        ("yesterday", "2020-10-31", "YYYY-MM-DD"),
        ("2018-02-30", "2020-10-31", "YYYY-MM-DD"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(tmp_path, start, end, message):
    with pytest.raises(ReportError, match=message):
        Period.parse(start, end)
    with pytest.raises(CommandError, match=message):
        call_command(
            "stocktaking_report", f"--from={start}", f"--to={end}", f"--output={tmp_path / 'r.pdf'}"
        )


def test_the_renderer_fetches_only_the_project_s_static_files():
    fetcher = StaticOnlyURLFetcher.build()

    assert fetcher.fetch("static:css/report.css").read().startswith(b"/* Print design")
    for url in (
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "static:../../etc/passwd",
        "static:does/not/exist.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_secretariat_previews_the_report_as_html(client, seeded, secretariat):
    client.force_login(secretariat)

    page = client.get(
        "/fr/private/stocktaking/preview/", {"from": "2018-05-01", "to": "2020-10-31"}
    )
    bad = client.get("/en/private/stocktaking/preview/", {"from": "2020-01-01", "to": "2019-01-01"})

    assert page.status_code == 200
    assert "Table des matières" in page.text and "/static/css/report.css" in page.text
    assert bad.status_code == 400 and "2019-01-01" in bad.text


@pytest.fixture
def report(seeded):
    from stocktaking.models import ReportSection, StocktakingReport

    report = StocktakingReport.objects.create(
        title_en="Stocktaking of the Marrakesh Action Plan",
        title_fr="Bilan du Plan d'action de Marrakech",
        period_start="2018-05-01",
        period_end="2020-10-31",
    )
    ReportSection.objects.create(
        report=report,
        key="4",
        before_en="The Dialogue adopted increasingly operational working methods.",
    )
    return report


def test_the_secretariat_generates_a_pdf_and_follows_its_progress(
    client, report, secretariat, django_capture_on_commit_callbacks
):
    from stocktaking.models import GeneratedReport

    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/stocktaking/stocktakingreport/{report.pk}/generate/", {"language": "en"}
        )

    generated = GeneratedReport.objects.get()
    assert response["Location"].endswith(f"/generation/{generated.pk}/")
    assert generated.status == GeneratedReport.Status.DONE and generated.progress == 100
    assert generated.page_count > 10 and generated.generated_by == secretariat
    progress = client.get(response["Location"])
    assert "Done" in progress.text and 'data-finished="true"' in progress.text
    assert "Refresh" not in progress.text
    download = client.get(
        f"/admin/stocktaking/stocktakingreport/generation/{generated.pk}/download/"
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.fixture
def renderings(monkeypatch):
    """WeasyPrint replaced by a fake that records each HTML it is given, for the tests of how
    renderings are claimed and recorded (the real rendering is tested above and below)."""
    from stocktaking import services as stocktaking

    rendered = []

    def fake_render_pdf(html):
        rendered.append(html)
        return b"%PDF-1.7 fake", 1

    monkeypatch.setattr(stocktaking, "render_pdf", fake_render_pdf)
    return rendered


def test_a_failure_is_shown_and_earlier_pdfs_are_kept(report, secretariat, monkeypatch, renderings):
    from stocktaking import services as stocktaking
    from stocktaking.models import GeneratedReport

    first = GeneratedReport.objects.create(report=report, language="en")
    stocktaking.generate(first.pk)

    def broken(html):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(stocktaking, "render_pdf", broken)
    second = GeneratedReport.objects.create(report=report, language="fr")
    stocktaking.generate(second.pk)

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == GeneratedReport.Status.FAILED
    assert second.error == "RuntimeError: Pango is missing"
    assert first.status == GeneratedReport.Status.DONE and first.file


def test_a_task_delivered_twice_renders_once(report, renderings):
    from stocktaking import services as stocktaking
    from stocktaking.models import GeneratedReport

    generated = GeneratedReport.objects.create(report=report, language="en")

    assert stocktaking.generate(generated.pk) is not None
    assert stocktaking.generate(generated.pk) is None
    assert len(renderings) == 1


def test_a_rendering_left_half_way_by_a_dead_worker_is_taken_over(report, settings, renderings):
    import datetime

    from django.utils import timezone

    from stocktaking import services as stocktaking
    from stocktaking.models import GeneratedReport

    started = timezone.now() - settings.REPORT_CLAIM_TIMEOUT - datetime.timedelta(seconds=1)
    left = GeneratedReport.objects.create(
        report=report, language="en", status=GeneratedReport.Status.RENDERING, started_at=started
    )
    running = GeneratedReport.objects.create(
        report=report,
        language="fr",
        status=GeneratedReport.Status.RENDERING,
        started_at=timezone.now(),
    )

    assert stocktaking.generate(left.pk).status == GeneratedReport.Status.DONE
    assert stocktaking.generate(running.pk) is None, "a rendering under way is left alone"
    assert len(renderings) == 1


@needs_poppler
def test_the_editorial_texts_are_in_the_pdf_and_it_is_published_in_one_step(
    client, report, secretariat
):
    from meetings.models import Document
    from stocktaking import services as stocktaking
    from stocktaking.models import GeneratedReport

    generated = stocktaking.generate(
        GeneratedReport.objects.create(report=report, language="en").pk
    )
    client.force_login(secretariat)

    client.post(
        "/admin/stocktaking/generatedreport/",
        {"action": "publish", "_selected_action": [generated.pk]},
    )

    document = Document.objects.exclude(file="").get(kind=Document.Kind.REPORT)
    assert document.is_public and document.title == "Stocktaking of the Marrakesh Action Plan"
    text = subprocess.run(
        ["pdftotext", document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "4. Conclusion" in text and "increasingly operational working methods" in text
    assert client.get(f"/en/documents/{document.pk}/download/").status_code == 200
