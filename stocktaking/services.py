"""The stocktaking report: assembled from the portal's data for a period and a language, written
as HTML, and rendered to PDF by WeasyPrint with fonts and images from the project's static files
only (nothing is fetched from anywhere else)."""

import base64
import datetime
import mimetypes
import re
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
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from actionplan.models import (
    Action,
    ActionPlan,
    Domain,
    Objective,
    Recommendation,
    ReferenceCountry,
)
from consultations.models import Consultation
from consultations.services import response_rates
from focalpoints.models import Chairmanship
from ideas_lab.models import Idea
from labelling.models import LabellingRequest
from meetings import charts
from meetings.models import Document, Meeting, MeetingDateChange
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


# Where the data parts that the source prints inside a recommendation go: the reference
# countries' table in the recommendation on reference countries, the labelled projects and the
# laboratory of ideas in the one on those tools (R7 and R8 of the 2018–2020 report). A report
# without that recommendation prints them at the end of 2.4.
DATA_IN_RECOMMENDATION = {"reference_countries": 7, "labelling": 8}

THEMATIC_KINDS = ("thematic", "workshop", "webinar", "side_event")


def _placed(report, sections, recommendation_numbers, domain_numbers):
    """The report's subsections and boxes by section and anchor: ``{key: {anchor: [item]}}``,
    each item a ``ReportSubsection`` (``item.is_box`` False) or a ``ReportBox``. An anchor that
    names nothing in its section is read as "end", so no text is ever left out."""
    placed = {}
    if report is None:
        return placed
    items = []
    for section in sections.values():
        for sub in section.subsections.all():
            sub.is_box, sub.section_key = False, section.key
            items.append(sub)
    for box in report.boxes.all():
        box.is_box, box.section_key = True, box.section
        items.append(box)
    for item in items:
        known = {"start", "end"}
        if item.section_key == "2.1":
            known |= {f"domain-{number}" for number in domain_numbers}
        if item.section_key in ("3", "3-summary"):
            known |= {f"R{number}" for number in recommendation_numbers}
        section = sections.get(item.section_key)
        if section is not None:
            known |= set(_headings(section.before_en)) | set(_headings(section.after_en))
        anchor = item.anchor if item.anchor in known else "end"
        if item.is_box and item.section_key == "3-summary":
            item.section_key = "3"
        placed.setdefault(item.section_key, {}).setdefault(anchor, []).append(item)
    for anchors in placed.values():
        for entries in anchors.values():
            entries.sort(key=lambda item: (item.is_box, getattr(item, "order", 0), item.pk))
    return placed


_HEADING = re.compile(r"<h([3-6])>(.*?)</h\1>", re.DOTALL)


def _headings(markdown_text):
    """The plain text of the headings of a Markdown text, in order."""
    from stocktaking.printing import report_markdown

    html = str(report_markdown(markdown_text))
    return [strip_tags(match.group(2)).strip() for match in _HEADING.finditer(html)]


def _text_with_items(text, text_en, placed_items):
    """``text`` (Markdown) as the report's HTML, with the boxes and subsections anchored at one
    of its headings (by the English heading, found at the same place in the translation)
    inserted at the end of that heading's part."""
    from stocktaking.printing import report_markdown

    html = str(report_markdown(text))
    if not placed_items:
        return mark_safe(html)
    english = _headings(text_en)
    matches = list(_HEADING.finditer(html))
    inserts = []
    for anchor, items in placed_items.items():
        if anchor not in english or english.index(anchor) >= len(matches):
            continue
        index = english.index(anchor)
        level = matches[index].group(1)
        end = next((m.start() for m in matches[index + 1 :] if m.group(1) <= level), len(html))
        rendered = render_to_string("stocktaking/_placed.html", {"items": items})
        inserts.append((end, rendered))
    for position, chunk in sorted(inserts, key=lambda insert: insert[0], reverse=True):
        html = html[:position] + chunk + html[position:]
    return mark_safe(html)


def _chairs_in(period):
    """The chairmanships in office during ``period``, as recorded: a term ends when the next
    recorded start comes (the handover), and an unknown start or end stays unknown."""
    chairs = Chairmanship.objects.in_order()
    starts = [chair.start for chair in chairs]
    result = []
    for index, chair in enumerate(chairs):
        later = [start for start in starts[index + 1 :] if start is not None]
        until = chair.end or (min(later) if later else None)
        began = chair.start or chair.end
        if began is None or began > period.end:
            continue
        if until is not None and until <= period.start:
            continue
        if chair.start is None:
            continue
        chair.handed_over = until
        result.append(chair)
    return result


def _postponed(period):
    """Activities postponed during ``period`` (not Steering Committees: 2.3 lists those): a
    postponement recorded in it, or a postponed activity with no earlier date on record that
    was planned after the period's start (its postponement is its status)."""
    moved = MeetingDateChange.objects.filter(
        previous_start__gte=period.start, previous_start__lte=period.end
    ).values("meeting_id")
    never_dated = Meeting.objects.filter(date_changes__isnull=True).values("pk")
    postponed = list(
        Meeting.objects.filter(status=Meeting.Status.POSTPONED)
        .exclude(kind=Meeting.Kind.STEERING_COMMITTEE)
        .filter(
            Q(pk__in=moved)
            | Q(pk__in=never_dated) & (Q(start_date__isnull=True) | Q(start_date__gte=period.start))
        )
        .select_related("host_country")
        .prefetch_related(
            Prefetch("date_changes", queryset=MeetingDateChange.objects.order_by("previous_start"))
        )
    )
    return sorted(
        postponed,
        key=lambda meeting: (
            _first_planned(meeting) is None,
            _first_planned(meeting) or period.end,
            meeting.title,
        ),
    )


def stored_report(period):
    """The stored ``StocktakingReport`` of exactly ``period``, the latest one if several, or
    None."""
    from stocktaking.models import StocktakingReport

    return (
        StocktakingReport.objects.filter(period_start=period.start, period_end=period.end)
        .order_by("-created_at", "-pk")
        .first()
    )


def _first_planned(meeting):
    changes = list(meeting.date_changes.all())
    return changes[0].previous_start if changes else meeting.start_date


def assemble(period, language="en", plan=None, report=None, preview=False):
    """Everything the report shows for ``period``, read from the database in ``language``:
    the data parts, and the editorial texts of ``report`` (a ``StocktakingReport``) if given.
    The plan is by default the one in force when the period starts, not today's."""
    plan = plan or _plan_of(period)
    with translation.override(language):
        meetings = list(
            Meeting.objects.filter(start_date__gte=period.start, start_date__lte=period.end)
            .select_related("participation", "host_country", "parent")
            .prefetch_related(
                "results",
                "organisers",
                "co_chairs",
                "invited_non_partners",
                "participation__organisations_present",
                Prefetch("actions", queryset=Action.objects.with_domain().order_by("number")),
            )
            .order_by("start_date", "title")
        )
        held = [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD]
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
        activities = [meeting for meeting in held if meeting.kind in THEMATIC_KINDS]
        by_domain, placed_meetings = [], set()
        for domain in domains:
            served = [
                meeting
                for meeting in activities
                if any(a.objective.domain_id == domain.pk for a in meeting.actions.all())
                and meeting.pk not in placed_meetings
            ]
            placed_meetings |= {meeting.pk for meeting in served}
            by_domain.append((domain, served))
        for meeting in activities:
            participation = meeting.participation_figures()
            svg = charts.participation_chart(participation, width=4) if participation else None
            meeting.chart = _svg_data_uri(svg) if svg else None
        other_activities = [m for m in activities if m.pk not in placed_meetings]
        postponed = _postponed(period)
        consultations = []
        for consultation in Consultation.objects.filter(
            opens_on__gte=period.start, opens_on__lte=period.end
        ).order_by("opens_on"):
            # Figures only where answers are recorded: a round the portal did not run has
            # none, and "0 %" would be a figure no one measured.
            rate = response_rates(consultation)[0] if consultation.answers.exists() else None
            consultations.append((consultation, rate))
        steering = [m for m in meetings if m.kind == Meeting.Kind.STEERING_COMMITTEE]
        postponed_steering = list(
            Meeting.objects.filter(
                kind=Meeting.Kind.STEERING_COMMITTEE, status=Meeting.Status.POSTPONED
            )
            .filter(
                pk__in=MeetingDateChange.objects.filter(
                    previous_start__gte=period.start, previous_start__lte=period.end
                ).values("meeting_id")
            )
            .prefetch_related(
                Prefetch(
                    "date_changes", queryset=MeetingDateChange.objects.order_by("previous_start")
                )
            )
        )
        postponed_steering.sort(key=_first_planned)
        profiles = [
            meeting
            for meeting in Meeting.objects.filter(kind__in=THEMATIC_KINDS)
            .filter(start_date__lte=period.end)
            .select_related("participation", "host_country")
            .order_by("start_date", "title")
            if (figures := meeting.participation_figures()) is not None
            and (
                figures.technical_share is not None
                or figures.reported_non_technical_share is not None
                or figures.participants is not None
                or figures.delegations is not None
            )
        ]
        coverage = activity_coverage(plan, period.start, period.end)
        recommendations = list(
            Recommendation.objects.filter(plan=plan)
            .prefetch_related("follow_ups", "parts")
            .order_by("number")
        )
        sections = {}
        if report is not None:
            for section in report.sections.prefetch_related("subsections"):
                section.subs = list(section.subsections.all())
                sections[section.key] = section
        numbers = [r.number for r in recommendations]
        data_at = {
            block: (number if number in numbers else None)
            for block, number in DATA_IN_RECOMMENDATION.items()
        }
        # In the alphabetical order of the report's language (a missing French title falls
        # back to the English one, which the database cannot sort by).
        documents = sorted(
            Document.objects.with_date().filter(Q(dated__isnull=True) | Q(dated__lte=period.end)),
            key=lambda document: str(document.title).casefold(),
        )
        held_by_kind = [
            (label, len([m for m in held if m.kind == kind]))
            for kind, label in Meeting.Kind.choices
            if kind not in (Meeting.Kind.CONSULTATION,)
        ]
        placed = _placed(report, sections, numbers, [d.number for d in domains])
        for key, section in sections.items():
            anchors = placed.get(key, {})
            for field in ("before", "after"):
                headings = set(_headings(getattr(section, f"{field}_en")))
                at_headings = {a: items for a, items in anchors.items() if a in headings}
                setattr(
                    section,
                    f"{field}_html",
                    _text_with_items(
                        getattr(section, field), getattr(section, f"{field}_en"), at_headings
                    ),
                )
        return {
            "language": language,
            "preview": preview,
            "report": report,
            "sections": sections,
            "placed": placed,
            "plan": plan,
            "period": period,
            "acronyms": Acronym.objects.order_by("term"),
            "domains": domains,
            "priorities": plan.priorities.order_by("number"),
            "milestones": Meeting.objects.filter(kind=Meeting.Kind.MINISTERIAL_CONFERENCE)
            .filter(start_date__lte=period.end)
            .order_by("start_date"),
            "chairs": _chairs_in(period),
            "by_domain": by_domain,
            "other_activities": other_activities,
            "postponed": postponed,
            "held_by_kind": [(label, count) for label, count in held_by_kind if count],
            "consultations": consultations,
            "steering_committees": steering,
            "postponed_steering_committees": postponed_steering,
            "profiles": profiles,
            "profiles_chart": _svg_data_uri(charts.profiles_chart(profiles)) if profiles else None,
            "coverage_chart": _svg_data_uri(charts.coverage_chart(coverage.domains, width=4)),
            "coverage": coverage,
            "data_at": data_at,
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
            "recommendations": recommendations,
            "documents_by_category": [
                (label, [d for d in documents if d.category == value])
                for value, label in Document.Category.choices
            ],
        }


NUMBER_WORDS = {
    1: gettext_lazy("One"),
    2: gettext_lazy("Two"),
    3: gettext_lazy("Three"),
    4: gettext_lazy("Four"),
    5: gettext_lazy("Five"),
    6: gettext_lazy("Six"),
    7: gettext_lazy("Seven"),
    8: gettext_lazy("Eight"),
    9: gettext_lazy("Nine"),
    10: gettext_lazy("Ten"),
    11: gettext_lazy("Eleven"),
    12: gettext_lazy("Twelve"),
}

# The cover's logo in each language; another language falls back to English.
LOGOS = {"en": "img/rabat-process-logo.svg", "fr": "img/rabat-process-logo-fr.svg"}


def render_html(context, preview=False):
    """The report as one HTML document: for WeasyPrint, or for a browser when ``preview``
    (the same document, its stylesheet served by the web server instead of ``static:``, and
    the gaps the Secretariat still has to fill marked; none of those marks is printed)."""
    from stocktaking.printing import french_typography

    def asset(path):
        return static(path) if preview else f"static:{path}"

    language = context["language"]
    with translation.override(language):
        count = len(context["recommendations"])
        word = NUMBER_WORDS.get(count, count)
        report = context.get("report")
        html = render_to_string(
            "stocktaking/report.html",
            {
                **context,
                "preview": preview,
                "gaps": report_gaps(report) if preview and report else [],
                "recommendations_heading": gettext("%(count)s Recommendations for the Dialogue")
                % {"count": word},
                "stylesheet": asset("css/report.css"),
                "logo": asset(LOGOS.get(language, LOGOS["en"])),
                # The English logo says "Euro-African Dialogue" only: the cover completes it.
                "logo_has_full_name": language == "fr",
            },
        )
    return french_typography(html) if language == "fr" else html


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
    # PDF/UA: a tagged PDF (structure, reading order, alternative texts), its language and
    # title set, its headings as the outline, so that a screen reader can read it.
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


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
        html = render_html(assemble(period, generated.language, report=report))
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
    plan = ActionPlan.objects.in_force_on(period.start) or ActionPlan.objects.current()
    if plan is None:
        raise ReportError("No action plan is recorded: run `manage.py bootstrap` first.")
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


# --- What the Secretariat still has to write ------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Something the report needs that the portal does not hold yet: what kind of gap, a line
    saying what is missing, and where to fill it in the admin."""

    kind: str
    label: str
    edit_url: str

    @property
    def kind_label(self):
        return GAP_KINDS[self.kind]


GAP_KINDS = {
    "section": gettext_lazy("Report sections without text"),
    "section_fr": gettext_lazy("Report sections without French"),
    "box_fr": gettext_lazy("Boxes without French"),
    "recommendation_parts": gettext_lazy("Recommendations without their full text"),
    "recommendation_summary": gettext_lazy("Recommendations without a summary"),
    "recommendation_fr": gettext_lazy("Recommendation texts without French"),
    "meeting_figures": gettext_lazy("Held meetings without participation figures"),
    "meeting_reaction": gettext_lazy("Held meetings without the participants' reaction"),
    "steering_deliberations": gettext_lazy("Steering Committee meetings without deliberations"),
}

# Sections whose whole content is the portal's data need no text of their own.
SECTIONS_OF_DATA = {"2.3", "3", "3-summary"}


def _admin_url(obj):
    from django.urls import reverse

    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def report_gaps(report, plan=None):
    """What ``report`` (a ``StocktakingReport``) still lacks, as a list of ``Gap`` in the order
    of the report: its sections' texts in each language, its boxes' French, the
    recommendations' full texts and summaries, and the data of its period that the report
    prints (participation figures, reactions, Steering Committee deliberations)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from stocktaking.models import SECTION_ORDER, SectionKey

    gaps = []
    report_url = reverse("admin:stocktaking_stocktakingreport_change", args=[report.pk])
    sections = {section.key: section for section in report.sections.all()}
    labels = dict(SectionKey.choices)
    for key in SECTION_ORDER:
        section = sections.get(key)
        if key not in SECTIONS_OF_DATA and not (
            section and (section.before_en or section.after_en)
        ):
            gaps.append(
                Gap("section", _("%(section)s: no text") % {"section": labels[key]}, report_url)
            )
            continue
        if section and any(
            getattr(section, f"{field}_en") and not getattr(section, f"{field}_fr")
            for field in ("heading", "before", "after")
        ):
            gaps.append(
                Gap(
                    "section_fr", _("%(section)s: no French") % {"section": labels[key]}, report_url
                )
            )
    for box in report.boxes.all():
        if (box.title_en and not box.title_fr) or (box.text_en and not box.text_fr):
            gaps.append(Gap("box_fr", _("%(box)s: no French") % {"box": box}, report_url))
    plan = plan or _plan_of(Period(report.period_start, report.period_end))
    for recommendation in (
        Recommendation.objects.filter(plan=plan).prefetch_related("parts").order_by("number")
    ):
        url = _admin_url(recommendation)
        parts = list(recommendation.parts.all())
        if not parts:
            gaps.append(Gap("recommendation_parts", str(recommendation), url))
        if not recommendation.summary_en:
            gaps.append(Gap("recommendation_summary", str(recommendation), url))
        if any(part.text_en and not part.text_fr for part in parts) or (
            recommendation.summary_en and not recommendation.summary_fr
        ):
            gaps.append(Gap("recommendation_fr", str(recommendation), url))
    held = (
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            start_date__gte=report.period_start,
            start_date__lte=report.period_end,
        )
        .select_related("participation")
        .order_by("start_date")
    )
    for meeting in held:
        label = f"{meeting.title} ({meeting.dates_display})"
        if meeting.kind in ("thematic", "workshop", "webinar"):
            participation = meeting.participation_figures()
            if participation is None or (
                participation.participants is None
                and participation.delegations is None
                and participation.technical_share is None
            ):
                gaps.append(Gap("meeting_figures", label, _admin_url(meeting)))
            if not meeting.reaction:
                gaps.append(Gap("meeting_reaction", label, _admin_url(meeting)))
        if meeting.kind == Meeting.Kind.STEERING_COMMITTEE and not meeting.deliberations:
            gaps.append(Gap("steering_deliberations", label, _admin_url(meeting)))
    return gaps
