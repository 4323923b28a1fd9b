"""The stocktaking report: assembled from the portal's data for a period and a language, written
as HTML, and rendered to PDF by WeasyPrint with fonts and images from the project's static files
only (nothing is fetched from anywhere else)."""

import base64
import datetime
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.text import slugify

from actionplan.models import ActionPlan, Domain, Objective, Recommendation, ReferenceCountry
from consultations.models import Consultation
from consultations.services import response_rates
from focalpoints.models import Chairmanship
from ideas_lab.models import Idea
from labelling.models import LabellingRequest
from meetings import charts
from meetings.models import Document, Meeting
from meetings.services import activity_coverage
from stocktaking.models import Acronym, GeneratedReport


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, start, end):
        """A period from two ISO dates (strings or dates); raises ``ReportError`` when a date is
        not a date or the period ends before it starts."""
        try:
            start = (
                start if isinstance(start, datetime.date) else datetime.date.fromisoformat(start)
            )
            end = end if isinstance(end, datetime.date) else datetime.date.fromisoformat(end)
        except (TypeError, ValueError) as error:
            raise ReportError(f"Dates are written YYYY-MM-DD: {error}") from error
        if end < start:
            raise ReportError(f"The period ends ({end}) before it starts ({start}).")
        return cls(start, end)

    @classmethod
    def of_plan(cls, plan):
        return cls(datetime.date(plan.start_year, 5, 1), datetime.date(plan.end_year, 12, 31))


def _svg_data_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def assemble(period, language="en", plan=None):
    """Everything the report shows for ``period``, read from the database in ``language``."""
    plan = plan or ActionPlan.objects.current()
    if plan is None:
        raise ReportError("No action plan is recorded: run `manage.py bootstrap` first.")
    with translation.override(language):
        meetings = Meeting.objects.filter(
            start_date__gte=period.start, start_date__lte=period.end
        ).prefetch_related("results", "organisers", "co_chairs", "actions__objective__domain")
        held = meetings.filter(status=Meeting.Status.HELD).select_related(
            "participation", "host_country"
        )
        domains = list(
            Domain.objects.filter(plan=plan)
            .prefetch_related(
                Prefetch(
                    "objectives",
                    queryset=Objective.objects.annotate(action_count=Count("actions")).order_by(
                        "number"
                    ),
                ),
                Prefetch("reference_countries", queryset=ReferenceCountry.objects.with_related()),
            )
            .order_by("number")
        )
        thematic_kinds = [Meeting.Kind.THEMATIC, Meeting.Kind.WORKSHOP, Meeting.Kind.WEBINAR]
        by_domain = []
        for domain in domains:
            served = [
                meeting
                for meeting in held
                if meeting.kind in thematic_kinds
                and any(a.objective.domain_id == domain.pk for a in meeting.actions.all())
            ]
            for meeting in served:
                participation = getattr(meeting, "participation", None)
                svg = charts.participation_chart(participation) if participation else None
                meeting.chart = _svg_data_uri(svg) if svg else None
            by_domain.append((domain, served))
        postponed = (
            Meeting.objects.filter(status=Meeting.Status.POSTPONED)
            .filter(
                Q(date_changes__previous_start__gte=period.start)
                & Q(date_changes__previous_start__lte=period.end)
            )
            .distinct()
            .prefetch_related("date_changes")
        )
        consultations = [
            (consultation, response_rates(consultation)[0])
            for consultation in Consultation.objects.filter(
                opens_on__gte=period.start, opens_on__lte=period.end
            ).order_by("opens_on")
        ]
        coverage = activity_coverage(plan, period.start, period.end)
        chairs = [
            chair
            for chair in Chairmanship.objects.in_order()
            if (chair.start is None or chair.start <= period.end)
            and (chair.effective_end is None or chair.effective_end >= period.start)
        ]
        profiles = [
            meeting
            for meeting in Meeting.objects.filter(kind=Meeting.Kind.THEMATIC)
            .select_related("participation")
            .order_by("start_date")
            if hasattr(meeting, "participation")
            and meeting.participation.technical_share is not None
        ]
        return {
            "language": language,
            "plan": plan,
            "period": period,
            "acronyms": Acronym.objects.order_by("term"),
            "domains": domains,
            "priorities": plan.priorities.order_by("number"),
            "milestones": Meeting.objects.filter(kind=Meeting.Kind.MINISTERIAL_CONFERENCE)
            .filter(start_date__lte=period.end)
            .order_by("start_date"),
            "chairs": chairs,
            "by_domain": by_domain,
            "postponed": postponed,
            "events_by_kind": [
                (label, [m for m in meetings if m.kind == kind])
                for kind, label in Meeting.Kind.choices
            ],
            "consultations": consultations,
            "steering_committees": meetings.filter(kind=Meeting.Kind.STEERING_COMMITTEE).order_by(
                "start_date"
            ),
            "postponed_steering_committees": postponed.filter(kind=Meeting.Kind.STEERING_COMMITTEE),
            "profiles": profiles,
            "coverage_chart": _svg_data_uri(charts.coverage_chart(coverage.domains)),
            "coverage": coverage,
            "labelled_projects": LabellingRequest.objects.labelled_during(period.start, period.end)
            .for_listing()
            .prefetch_related("results_meetings")
            .order_by("title"),
            # The laboratory as it stood at the end of the period: what was put to the partners.
            "ideas": Idea.objects.published()
            .filter(is_hidden=False, created_at__date__lte=period.end)
            .for_listing()
            .annotate(interest_count=Count("interests", distinct=True))
            .order_by("created_at", "title"),
            "recommendations": Recommendation.objects.filter(plan=plan)
            .prefetch_related("follow_ups")
            .order_by("number"),
            "documents_by_category": [
                (label, list(Document.objects.public().filter(category=value).order_by("title")))
                for value, label in Document.Category.choices
            ],
        }


def render_html(context, preview=False):
    """The report as one HTML document: for WeasyPrint, or for a browser when ``preview``
    (the same document, its stylesheet served by the web server instead of ``static:``)."""

    def asset(path):
        return static(path) if preview else f"static:{path}"

    with translation.override(context["language"]):
        return render_to_string(
            "stocktaking/report.html",
            {
                **context,
                "stylesheet": asset("css/report.css"),
                "logo": asset("img/rabat-process-logo.svg"),
            },
        )


class StaticOnlyURLFetcher:
    """WeasyPrint's fetcher, limited to inline ``data:`` and the project's own static files
    (``static:css/report.css``). Anything else, a remote address or a file outside the static
    folders, is refused, so a report never makes the server fetch a URL or read another file."""

    PREFIX = "static:"

    @classmethod
    def build(cls):
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                path = cls.static_path(url)
                if path is None:
                    raise ValueError(f"The report may only use the project's static files: {url!r}")
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )

        return Fetcher()

    @classmethod
    def static_path(cls, url):
        """The file a ``static:`` URL names, if it lies in the project's static folders."""
        if not url.startswith(cls.PREFIX):
            return None
        try:
            found = finders.find(url[len(cls.PREFIX) :].lstrip("/"))
        except SuspiciousFileOperation:
            return None
        if not found:
            return None
        resolved = Path(found).resolve()
        folders = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
        return resolved if any(resolved.is_relative_to(folder) for folder in folders) else None


def render_pdf(html):
    """The PDF of ``html``: ``(bytes, number of pages)``."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=StaticOnlyURLFetcher.build()).render()
    return document.write_pdf(), len(document.pages)


def generate(generated_id):
    """Render a queued ``GeneratedReport``. Claims it first with a conditional update, so a task
    delivered twice renders it once; a failure is recorded on it and earlier PDFs stay.

    A rendering started more than ``REPORT_CLAIM_TIMEOUT`` ago is taken over: the worker that
    started it has died (the task's time limit is shorter), and the broker has handed the task
    to another worker, which must not find the report stuck half-way."""
    now = timezone.now()
    in_progress = [GeneratedReport.Status.ASSEMBLING, GeneratedReport.Status.RENDERING]
    claimed = (
        GeneratedReport.objects.filter(pk=generated_id)
        .filter(
            Q(status=GeneratedReport.Status.QUEUED)
            | Q(status__in=in_progress, started_at__lt=now - settings.REPORT_CLAIM_TIMEOUT)
        )
        .update(status=GeneratedReport.Status.ASSEMBLING, progress=10, started_at=now)
    )
    if claimed != 1:
        return None  # another worker got there first, or it is done
    generated = GeneratedReport.objects.select_related("report").get(pk=generated_id)
    report = generated.report
    started = time.monotonic()
    try:
        period = Period.parse(report.period_start, report.period_end)
        context = assemble(period, generated.language)
        context["report"] = report
        html = render_html(context)
        _progress(generated, GeneratedReport.Status.RENDERING, 50)
        pdf, pages = render_pdf(html)
        name = f"{slugify(report.title_en or report.title)}.pdf"
        generated.file.save(name, ContentFile(pdf), save=False)
        generated.page_count = pages
        generated.status = GeneratedReport.Status.DONE
        generated.progress = 100
    except Exception as error:
        # Whatever went wrong is shown to the Secretariat on the progress page.
        generated.status = GeneratedReport.Status.FAILED
        generated.error = f"{type(error).__name__}: {error}"
    generated.finished_at = timezone.now()
    generated.seconds = round(time.monotonic() - started, 2)
    generated.save()
    return generated


def _progress(generated, status, percent):
    GeneratedReport.objects.filter(pk=generated.pk).update(status=status, progress=percent)


def publish(generated):
    """Put a generated PDF in the public document library; returns the new ``Document``."""
    if generated.status != GeneratedReport.Status.DONE or not generated.file:
        raise ReportError("Only a PDF that was generated successfully can be published.")
    report = generated.report
    with transaction.atomic():
        base = slugify(f"{report.title_en or report.title}-{generated.language}")[:100]
        slug, number = base, 2
        while Document.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        with generated.file.open("rb") as pdf:
            document = Document(
                title=report.title,
                title_en=report.title_en,
                title_fr=report.title_fr,
                slug=slug,
                category=Document.Category.STRATEGIC,
                kind=Document.Kind.REPORT,
                language=generated.language,
                visibility=Document.Visibility.PUBLIC,
                published_on=timezone.localdate(),
                file=File(pdf, name=f"{slug}.pdf"),
            )
            document.save()
    return document


# --- The report's editorial content, loaded from the content files in fixtures/ ----------------

REPORT_CONTENT_FILES = (
    "fixtures/stocktaking_2018_2020.yaml",
    "fixtures/stocktaking_2018_2020_recommendations.yaml",
)


def _texts(field, value):
    """``{field}_en`` and ``{field}_fr`` from a ``{en: ..., fr: ...}`` mapping of a content
    file (modeltranslation keeps the untranslated column in step with English)."""
    value = value or {}
    english, french = (value.get("en") or "").strip(), (value.get("fr") or "").strip()
    return {f"{field}_en": english, f"{field}_fr": french}


def _sync(model, lookup, values):
    """``update_or_create`` that writes only when something differs: loading the same content
    twice changes no row (nor its history)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row


@transaction.atomic
def load_report_content(content, recommendations=None, plan=None):
    """Store the editorial content of a report from the two content files' data (see
    ``fixtures/stocktaking_2018_2020.yaml``): the report for its period, its sections with their
    subsections, its boxes, and the recommendations' parts and summaries of ``plan`` (the plan in
    force during the period by default). Idempotent: loading the same content again changes
    nothing; a part, subsection or box dropped from the files is removed. Returns the report."""
    from stocktaking.models import ReportBox, ReportSection, ReportSubsection, StocktakingReport

    head = content["report"]
    period = Period.parse(head["period_start"], head["period_end"])
    report = StocktakingReport.objects.filter(
        period_start=period.start, period_end=period.end
    ).first()
    values = {
        **_texts("title", head.get("title")),
        "french_is_translation": bool(head.get("french_is_translation")),
    }
    if report is None:
        report = StocktakingReport.objects.create(
            period_start=period.start, period_end=period.end, **values
        )
    else:
        report = _sync(StocktakingReport, {"pk": report.pk}, values)

    sections = {entry["key"]: entry for entry in content.get("sections") or []}
    recommendations = recommendations or {}
    if recommendations.get("intro") or recommendations.get("summary_intro"):
        sections.setdefault("3", {"key": "3"})["before"] = recommendations.get("intro")
        sections.setdefault("3-summary", {"key": "3-summary"})["before"] = recommendations.get(
            "summary_intro"
        )
    for key, entry in sections.items():
        section = _sync(
            ReportSection,
            {"report": report, "key": str(key)},
            {
                **_texts("heading", entry.get("heading")),
                **_texts("before", entry.get("before")),
                **_texts("after", entry.get("after")),
            },
        )
        subsections = entry.get("subsections") or []
        for position, sub in enumerate(subsections, start=1):
            _sync(
                ReportSubsection,
                {"section": section, "position": position},
                {
                    "anchor": str(sub.get("anchor") or "end"),
                    **_texts("heading", sub.get("heading")),
                    **_texts("text", sub.get("text")),
                },
            )
        section.subsections.filter(position__gt=len(subsections)).delete()

    boxes = [*(content.get("boxes") or []), *(recommendations.get("boxes") or [])]
    for order, box in enumerate(boxes, start=1):
        _sync(
            ReportBox,
            {"report": report, "number": int(box["number"])},
            {
                "section": str(box["section"]),
                "anchor": str(box.get("anchor") or "end"),
                "order": order,
                **_texts("title", box.get("title")),
                **_texts("text", box.get("text")),
            },
        )
    report.boxes.exclude(number__in=[int(box["number"]) for box in boxes]).delete()

    if recommendations.get("recommendations"):
        _load_recommendations(recommendations["recommendations"], plan or _plan_of(period))
    return report


def _plan_of(period):
    """The action plan in force during ``period``: the one whose years hold its start."""
    plans = ActionPlan.objects.filter(
        start_year__lte=period.start.year, end_year__gte=period.start.year
    )
    plan = plans.order_by("-start_year").first() or ActionPlan.objects.current()
    if plan is None:
        raise ReportError("No action plan is recorded: load the plan before the report.")
    return plan


def _load_recommendations(entries, plan):
    from actionplan.models import RecommendationPart

    for entry in entries:
        recommendation = Recommendation.objects.filter(plan=plan, number=entry["number"]).first()
        if recommendation is None:
            raise ReportError(f"{plan} has no recommendation R{entry['number']}.")
        values = _texts("title", entry.get("title"))
        if (entry.get("summary") or {}).get("en"):
            values.update(_texts("summary", entry.get("summary")))
        _sync(Recommendation, {"pk": recommendation.pk}, values)
        parts = entry.get("parts") or []
        for position, part in enumerate(parts, start=1):
            _sync(
                RecommendationPart,
                {"recommendation": recommendation, "position": position},
                {**_texts("heading", part.get("heading")), **_texts("text", part.get("text"))},
            )
        recommendation.parts.filter(position__gt=len(parts)).delete()


def load_report_files(paths=REPORT_CONTENT_FILES):
    """Load the report whose content files are ``paths`` (relative to the project), if the
    first exists; returns the report or None."""
    import yaml

    files = [settings.BASE_DIR / path for path in paths]
    if not files[0].exists():
        return None
    content = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    recommendations = None
    if len(files) > 1 and files[1].exists():
        recommendations = yaml.safe_load(files[1].read_text(encoding="utf-8"))
    return load_report_content(content, recommendations)
