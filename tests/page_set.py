"""Every type of page the portal serves to people, public and private, in both languages: the
set the accessibility, HTML and phone checks walk through."""

from django.urls import reverse
from django.utils import timezone, translation

from actionplan.models import ActionPlan
from consultations.models import Consultation
from focalpoints.models import Membership, Partner
from ideas_lab.models import Idea
from labelling.models import LabellingAttachment, LabellingRequest
from meetings.models import Document, Meeting
from stocktaking.models import StocktakingReport
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.labelling.factories import LabellingRequestFactory
from tests.meetings.factories import pdf_upload

LANGUAGES = ("en", "fr")


def _public():
    # The latest plan whose structure is entered (the current one, Cadiz, has only its frame).
    plan = ActionPlan.objects.filter(domains__isnull=False).distinct().order_by("-start_year")[0]
    current = ActionPlan.objects.current()
    domain = plan.domains.order_by("number").first()
    action = plan.actions.order_by("number").first()
    meeting = Meeting.objects.order_by("-start_date").first()
    document = Document.objects.filter(visibility=Document.Visibility.PUBLIC).order_by("pk").first()
    project = LabellingRequest.objects.labelled().order_by("pk").first()
    partner = Partner.objects.get(slug="senegal")
    return {
        "home": reverse("home"),
        "action plan": reverse("actionplan:current-plan"),
        "action plans": reverse("actionplan:plans"),
        "archived action plan": reverse("actionplan:plan", args=[plan.slug]),
        "plan to be completed": reverse("actionplan:plan", args=[current.slug]),
        "comparative table": reverse("actionplan:comparative-table", args=[plan.slug, "gcm"]),
        "framework coverage": reverse("actionplan:framework-coverage", args=["jvap"]),
        "domain": reverse("actionplan:domain", args=[plan.slug, domain.number]),
        "action": reverse("actionplan:action", args=[plan.slug, action.number]),
        "partners": reverse("partner-list"),
        "partner": reverse("partner-detail", args=[partner.slug]),
        "reference countries": reverse("actionplan:reference-countries"),
        "recommendations": reverse("actionplan:recommendations"),
        "meetings": reverse("meetings:list"),
        "calendar": reverse("meetings:calendar"),
        "calendar subscription": reverse("meetings:calendar-subscribe") + f"?domain={domain.pk}",
        "coverage": reverse("meetings:coverage"),
        "meeting": reverse("meetings:detail", args=[meeting.slug]),
        "documents": reverse("meetings:documents"),
        "document": reverse("meetings:document", args=[document.pk]),
        "labelled projects": reverse("labelling:projects"),
        "labelled project": reverse("labelling:project", args=[project.slug]),
        "search": reverse("search") + "?q=migration",
        "login": reverse("account_login"),
        "password reset": reverse("account_reset_password"),
        "not found": reverse("home") + "no-such-page/",
    }


def _focal_point(request):
    return {
        "dashboard": reverse("dashboard"),
        "two-factor authentication": reverse("mfa_index"),
        "password change": reverse("account_change_password"),
        "profile": reverse("focalpoints:profile"),
        "directory": reverse("focalpoints:directory"),
        "consultations": reverse("consultations:consultations"),
        "consultation": reverse(
            "consultations:consultation", args=[Consultation.objects.order_by("pk").first().pk]
        ),
        "restricted documents": reverse("meetings:restricted-documents"),
        "reference documents": reverse("meetings:reference-documents"),
        "labelling requests": reverse("labelling:requests"),
        "new labelling request": reverse("labelling:request-create"),
        "labelling request": reverse("labelling:request", args=[request.pk]),
        "labelling request form": reverse("labelling:request-edit", args=[request.pk]),
        "labelling draft deletion": reverse("labelling:request-delete", args=[request.pk]),
        "ideas": reverse("ideas:home"),
        "new idea": reverse("ideas:create"),
        "idea": reverse("ideas:detail", args=[Idea.objects.published().order_by("pk").first().pk]),
    }


def _secretariat():
    return {
        "review queue": reverse("labelling:review-queue"),
        "stocktaking preview": reverse("stocktaking-preview"),
    }


def _run_meeting(focal_point):
    """A meeting run by the portal, the focal point's partner invited, with one delegate
    accepted, registered and present; and that delegate's personal links."""
    from meetings import services
    from meetings.models import Delegate, Delegation
    from tests.meetings.factories import delegate, upcoming_meeting

    meeting = Meeting.objects.filter(slug="page-set-meeting").first()
    if meeting is None:
        meeting = upcoming_meeting(slug="page-set-meeting", title="Thematic meeting (page set)")
        partner = focal_point.membership.partner
        meeting.invitation.partners.add(partner)
        Delegation.objects.create(meeting=meeting, partner=partner)
        delegate(
            meeting,
            partner,
            status=Delegate.Status.ACCEPTED,
            needs_visa_letter=True,
            attended=True,
            evaluation_sent_at=timezone.now(),
        )
        services.evaluation_questions(meeting)
    nominee = Delegate.objects.filter(delegation__meeting=meeting).first()
    return meeting, nominee


def nigeria_focal_point():
    """The focal point of Nigeria, reference country of a domain of the seeded action plan (so
    the reference documents page shows its upload form)."""
    return MembershipFactory(
        user=UserFactory(email="nfp@nigeria.example", first_name="Ngozi", last_name="Okafor"),
        partner=Partner.objects.get(slug="nigeria"),
        role=Membership.Role.FOCAL_POINT,
    ).user


def pages(focal_point, secretariat):
    """``[(who, name, path)]`` for every page type in English and French, once the seed data is
    loaded: ``who`` is None for a visitor, else the user to sign in as."""
    request = LabellingRequest.objects.filter(created_by=focal_point).first()
    if request is None:
        request = LabellingRequestFactory(
            lead_partner=focal_point.membership.partner, created_by=focal_point
        )
    # The form shows them with a button to remove each; the request page the current version
    # and the earlier one.
    for version in range(request.attachments.count(), 2):
        LabellingAttachment.objects.create(
            request=request,
            kind=LabellingAttachment.Kind.CONCEPT_NOTE,
            file=pdf_upload(f"concept-note-v{version + 1}.pdf"),
            uploaded_by=focal_point,
        )
    from meetings import services

    meeting, nominee = _run_meeting(focal_point)
    result = []
    for language in LANGUAGES:
        with translation.override(language):
            for name, path in _public().items():
                result.append((None, f"{name} ({language})", path))
            for name, path in _focal_point(request).items():
                result.append((focal_point, f"{name} ({language})", path))
            for name, path in _secretariat().items():
                result.append((secretariat, f"{name} ({language})", path))
            slug = {"slug": meeting.slug}
            for who, name, path in [
                (focal_point, "meeting invitations", reverse("meetings:my-meetings")),
                (focal_point, "delegation", reverse("meetings:delegation", kwargs=slug)),
                (secretariat, "meetings run", reverse("meetings:my-meetings")),
                (secretariat, "delegations", reverse("meetings:delegations", kwargs=slug)),
                (secretariat, "check-in", reverse("meetings:check-in", kwargs=slug)),
                (
                    None,
                    "registration",
                    reverse("meetings:register", args=[services.registration_token(nominee)]),
                ),
                (
                    None,
                    "evaluation",
                    reverse("meetings:evaluate", args=[services.evaluation_token(nominee)]),
                ),
            ]:
                result.append((who, f"{name} ({language})", path))
    return result


def forms_with_errors(focal_point):
    """``[(who, name, path, data, button)]``: forms sent wrong, which come back with their errors.
    ``data`` is what is typed (the fields by name), ``button`` the CSS selector of the button."""
    result = []
    for language in LANGUAGES:
        with translation.override(language):
            result += [
                (
                    None,
                    f"login refused ({language})",
                    reverse("account_login"),
                    {"login": "nobody@example.org", "password": "not the password"},
                    "main form button[type=submit]",
                ),
                (
                    focal_point,
                    f"incomplete labelling request ({language})",
                    reverse("labelling:request-create"),
                    {"action": "submit"},
                    "main button[name=action][value=submit]",
                ),
                (
                    focal_point,
                    f"incomplete idea ({language})",
                    reverse("ideas:create"),
                    {"publish": "1"},
                    "main button[name=publish]",
                ),
            ]
    return result


# The portal's own admin views, listed last by admin_pages.
OWN_ADMIN_VIEWS = 6


def admin_pages(secretariat):
    """``[(name, path)]`` for the admin pages the Secretariat works in: the index, and for every
    record type it may see, the list, the add form and the first record's form and history,
    then the admin's own views (document upload, report generation, digest preview)."""
    from django.contrib import admin
    from django.test import RequestFactory

    report, _ = StocktakingReport.objects.get_or_create(
        title_en="Stocktaking of the Marrakesh Action Plan",
        defaults={
            "title_fr": "Bilan du Plan d'action de Marrakech",
            "period_start": "2018-05-01",
            "period_end": "2020-10-31",
        },
    )
    generation = report.generations.get_or_create(language="fr", generated_by=secretariat)[0]
    request = RequestFactory().get("/admin/")
    request.user = secretariat
    result = [("admin index", reverse("admin:index"))]
    # The admin's own index of what this person may see, with the list and add links it shows.
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            opts = entry["model"]._meta
            result.append((f"{opts.verbose_name_plural} (admin)", entry["admin_url"]))
            if entry["add_url"]:
                result.append((f"new {opts.verbose_name} (admin)", entry["add_url"]))
            model_admin = admin.site.get_model_admin(entry["model"])
            record = model_admin.get_queryset(request).order_by("pk").first()
            if record is not None:
                prefix = f"admin:{opts.app_label}_{opts.model_name}"
                result += [
                    (f"{opts.verbose_name} (admin)", reverse(f"{prefix}_change", args=[record.pk])),
                    (
                        f"{opts.verbose_name} history (admin)",
                        reverse(f"{prefix}_history", args=[record.pk]),
                    ),
                ]
    meeting = Meeting.objects.order_by("pk").first()
    own_views = [
        (
            "document upload (admin)",
            reverse("admin:meetings_meeting_upload_documents", args=[meeting.pk]),
        ),
        (
            "report generation (admin)",
            reverse("admin:stocktaking_stocktakingreport_generate", args=[report.pk]),
        ),
        (
            "report progress (admin)",
            reverse("admin:stocktaking_generatedreport_progress", args=[generation.pk]),
        ),
        ("digest preview (admin)", reverse("admin:digests_digestdelivery_preview")),
        ("digest sending (admin)", reverse("admin:digests_digestdelivery_send")),
        ("content to complete (admin)", reverse("content-to-complete")),
    ]
    assert len(own_views) == OWN_ADMIN_VIEWS
    return [*result, *own_views]


def admin_pages_to_check(secretariat, language):
    """The admin pages that the slow checks (axe-core, the HTML checker) open in ``language``.

    In English, every page of ``admin_pages`` but the histories after the first: they all come
    from one template. In French, the index, the first list and the first form of each app and
    the portal's own admin views: the same templates as in English, with the translated
    strings. (The HTML check still opens every page in both languages for its status and
    language.)"""
    pages = admin_pages(secretariat)
    histories = [page for page in pages if page[0].endswith(" history (admin)")]
    pages = [page for page in pages if page not in histories[1:]]
    if language == "en":
        return pages
    index, records, own_views = pages[0], pages[1:-OWN_ADMIN_VIEWS], pages[-OWN_ADMIN_VIEWS:]
    first_of_each = {}
    for name, path in records:
        app = path.split("/")[2]
        kind = "form" if path.endswith(("/change/", "/add/")) else "list"
        first_of_each.setdefault((app, kind), (name, path))
    return [index, *first_of_each.values(), *own_views]
