"""Every URL of the portal, for every role: the answer each one gets.

A URL name the matrix does not know makes ``test_the_matrix_knows_every_url`` fail, so that it
stays complete as the portal grows. allauth's own pages (login, password reset, two factors) and
the admin's model pages are tested in test_accounts.py and test_admin.py.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actionplan.models import Recommendation
from digests.services import unsubscribe_token
from ideas_lab.models import Comment, Idea, IdeaAttachment
from labelling.models import LabellingAttachment
from meetings.models import Document
from tests.consultations.factories import ConsultationFactory
from tests.focalpoints.factories import UserFactory
from tests.labelling.factories import LabellingRequestFactory, move_to
from tests.meetings.factories import PDF_BYTES, DocumentFactory

ROLES = [
    "anonymous",
    "no_membership",
    "partner_staff",
    "focal_point",
    "other_partner_focal_point",
    "inactive_member",
    "secretariat",
    # Signed in by a path that skipped the authenticator's code: never served a Secretariat page.
    "secretariat_without_second_factor",
    # A disabled account's session signs nobody in: it gets what anonymous visitors get.
    "disabled_account",
]
OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT = 200, "login", 403, 404, 302
SECOND_FACTOR = "second_factor"  # sent to enter a code from their authenticator first
PUBLIC = dict.fromkeys(ROLES, OK)
MEMBERS = {
    "anonymous": LOGIN,
    "no_membership": FORBIDDEN,
    "partner_staff": OK,
    "focal_point": OK,
    "other_partner_focal_point": OK,
    "inactive_member": FORBIDDEN,
    "secretariat": OK,
    "secretariat_without_second_factor": SECOND_FACTOR,
}
SENEGAL_ONLY = {**MEMBERS, "other_partner_focal_point": NOT_FOUND}
# A restricted document by its URL: visitors (a session that timed out too) log in first and
# come back; a signed-in person it is not shared with gets a 404, so nothing leaks.
MEMBERS_DOCUMENT = {
    **dict.fromkeys(ROLES, NOT_FOUND),
    "anonymous": LOGIN,
    "disabled_account": LOGIN,
    "partner_staff": OK,
    "focal_point": OK,
    "other_partner_focal_point": OK,
    "secretariat": OK,
}
FOCAL_POINTS_DOCUMENT = {**MEMBERS_DOCUMENT, "partner_staff": NOT_FOUND}
FOCAL_POINTS = {**MEMBERS, "partner_staff": FORBIDDEN}
SECRETARIAT = {
    **dict.fromkeys(ROLES, FORBIDDEN),
    "anonymous": LOGIN,
    "secretariat": OK,
    "secretariat_without_second_factor": SECOND_FACTOR,
}
STAFF_ONLY = {
    **dict.fromkeys(ROLES, "admin_login"),
    "secretariat": OK,
    "secretariat_without_second_factor": SECOND_FACTOR,
}
# Forms that only take POST: the roles allowed in get 405 Method Not Allowed on a GET.
MEMBERS_POST_ONLY = {role: 405 if answer == OK else answer for role, answer in MEMBERS.items()}
IDEA_SUBMITTERS = {**MEMBERS, "secretariat": FORBIDDEN}  # the Secretariat has no partner
SENEGAL_EDITS = {**MEMBERS, "other_partner_focal_point": FORBIDDEN}

MADRID = "thematic-meeting-border-management-madrid-2019"
PLAN = "marrakesh-2018-2020"

# name: (arguments, or a function of the records below that returns them; expected answers)
MATRIX = {
    "home": ({}, PUBLIC),
    "partner-list": ({}, PUBLIC),
    "partner-detail": ({"slug": "senegal"}, PUBLIC),
    "search": ({}, PUBLIC),
    "stocktaking-preview": ({}, SECRETARIAT),
    "content-to-complete": ({}, SECRETARIAT),
    "health": ({}, PUBLIC),
    "robots-txt": ({}, PUBLIC),
    "favicon": ({}, dict.fromkeys(ROLES, REDIRECT)),  # to the icon among the static files
    "sitemap-index": ({}, PUBLIC),
    "django.contrib.sitemaps.views.sitemap": ({"section": "meetings"}, PUBLIC),
    "actionplan:current-plan": ({}, PUBLIC),
    "actionplan:plan": ({"plan": PLAN}, PUBLIC),
    "actionplan:domain": ({"plan": PLAN, "number": 4}, PUBLIC),
    "actionplan:action": ({"plan": PLAN, "number": 19}, PUBLIC),
    "actionplan:plans": ({}, PUBLIC),
    "actionplan:comparative-table": ({"plan": PLAN, "framework": "gcm"}, PUBLIC),
    "actionplan:comparative-table-export": (
        {"plan": PLAN, "framework": "gcm", "file_format": "xlsx"},
        PUBLIC,
    ),
    "actionplan:framework-coverage": ({"framework": "jvap"}, PUBLIC),
    "actionplan:framework-coverage-export": ({"framework": "jvap", "file_format": "csv"}, PUBLIC),
    "actionplan:framework-coverage-chart": ({"framework": "sdg"}, PUBLIC),
    "actionplan:reference-countries": ({}, PUBLIC),
    "actionplan:recommendations": ({}, PUBLIC),
    "meetings:list": ({}, PUBLIC),
    "meetings:calendar-ics": ({}, PUBLIC),
    "meetings:outcomes-feed": ({}, PUBLIC),
    "meetings:coverage": ({}, PUBLIC),
    "meetings:coverage-chart": ({}, PUBLIC),
    "meetings:detail": ({"slug": MADRID}, PUBLIC),
    "meetings:meeting-ics": ({"slug": MADRID}, PUBLIC),
    "meetings:participation-chart": ({"slug": MADRID}, PUBLIC),
    "meetings:calendar": ({}, PUBLIC),
    "meetings:calendar-subscribe": ({}, PUBLIC),
    "meetings:documents": ({}, PUBLIC),
    "meetings:document": (lambda r: {"pk": r["public_document"].pk}, PUBLIC),
    "meetings:document-download": (lambda r: {"pk": r["public_document"].pk}, PUBLIC),
    "meetings:restricted-documents": ({}, MEMBERS),
    "meetings:reference-documents": ({}, FOCAL_POINTS),
    "focalpoints:invitation": ({"token": "no-such-token"}, dict.fromkeys(ROLES, NOT_FOUND)),
    "dashboard": ({}, MEMBERS),
    "focalpoints:profile": ({}, MEMBERS),
    "focalpoints:directory": ({}, FOCAL_POINTS),
    "consultations:consultations": ({}, MEMBERS),
    "consultations:consultation": (lambda r: {"pk": r["consultation"].pk}, SENEGAL_ONLY),
    "consultations:consultation-file": (lambda r: {"pk": r["consultation"].pk}, SENEGAL_ONLY),
    "consultations:answer-file": (
        lambda r: {"pk": r["consultation"].pk, "answer_pk": r["answer"].pk},
        SENEGAL_ONLY,
    ),
    "consultations:consultation-responses": (lambda r: {"pk": r["consultation"].pk}, SECRETARIAT),
    "consultations:consultation-export": (
        lambda r: {"pk": r["consultation"].pk},
        {**SECRETARIAT, "secretariat": REDIRECT},  # open: back to the responses with a message
    ),
    "labelling:requests": ({}, MEMBERS),
    "labelling:request-create": ({}, {**MEMBERS, "secretariat": FORBIDDEN}),
    "labelling:review-queue": ({}, SECRETARIAT),
    "labelling:request": (lambda r: {"pk": r["draft_request"].pk}, SENEGAL_ONLY),
    "labelling:request-edit": (
        lambda r: {"pk": r["draft_request"].pk},
        {**SENEGAL_ONLY, "secretariat": FORBIDDEN},  # the Secretariat reviews, never writes
    ),
    # A confirmation page, for the applicant partner's members only.
    "labelling:request-delete": (
        lambda r: {"pk": r["draft_request"].pk},
        {**SENEGAL_ONLY, "secretariat": FORBIDDEN},
    ),
    "labelling:request-results": (lambda r: {"pk": r["labelled_request"].pk}, SENEGAL_ONLY),
    "labelling:attachment": (
        lambda r: {"pk": r["draft_request"].pk, "attachment_pk": r["concept_note"].pk},
        SENEGAL_ONLY,
    ),
    # Changes are POST only: a GET changes nothing for anyone.
    "labelling:attachment-remove": (
        lambda r: {"pk": r["draft_request"].pk, "attachment_pk": r["concept_note"].pk},
        dict.fromkeys(ROLES, 405),
    ),
    "labelling:request-transition": (
        lambda r: {"pk": r["draft_request"].pk, "transition": "submit"},
        dict.fromkeys(ROLES, 405),
    ),
    "labelling:projects": ({}, PUBLIC),
    "labelling:project": (lambda r: {"slug": r["labelled_request"].slug}, PUBLIC),
    "labelling:project-file": (
        lambda r: {"slug": r["labelled_request"].slug, "attachment_pk": r["final_report"].pk},
        PUBLIC,
    ),
    "ideas:home": ({}, MEMBERS),
    "ideas:create": ({}, IDEA_SUBMITTERS),
    "ideas:detail": (lambda r: {"pk": r["idea"].pk}, MEMBERS),
    "ideas:edit": (lambda r: {"pk": r["idea"].pk}, SENEGAL_EDITS),
    "ideas:comment": (lambda r: {"pk": r["idea"].pk}, MEMBERS_POST_ONLY),
    "ideas:hide-comment": (
        lambda r: {"pk": r["idea"].pk, "comment_pk": r["comment"].pk},
        MEMBERS_POST_ONLY,
    ),
    "ideas:interest": (lambda r: {"pk": r["idea"].pk}, MEMBERS_POST_ONLY),
    "ideas:status": (lambda r: {"pk": r["idea"].pk}, MEMBERS_POST_ONLY),
    "ideas:follow": (lambda r: {"pk": r["idea"].pk}, MEMBERS_POST_ONLY),
    "ideas:attachment": (
        lambda r: {"pk": r["idea"].pk, "attachment_pk": r["attachment"].pk},
        MEMBERS,
    ),
    "ideas-inbound-email": ({}, dict.fromkeys(ROLES, 405)),
    # The signed token is the credential, whoever is signed in; GET only asks (POST turns the
    # digest off: tests/digests/test_digests.py), a bad token answers 400.
    "digest-unsubscribe": (
        lambda r: {"token": unsubscribe_token(r["users"]["focal_point"])},
        PUBLIC,
    ),
    "admin:index": ({}, STAFF_ONLY),
    # Downloads of the public lists: the page's own view, as public as the page.
    "partner-list-export": ({"file_format": "csv"}, PUBLIC),
    "meetings:list-export": ({"file_format": "xlsx"}, PUBLIC),
    "meetings:coverage-export": ({"file_format": "csv"}, PUBLIC),
    "meetings:documents-export": ({"file_format": "csv"}, PUBLIC),
    "labelling:projects-export": ({"file_format": "xlsx"}, PUBLIC),
    # The open-data API: no session counts there, every role reads what the public reads.
    "api:api-root": ({}, PUBLIC),
    "api:schema": ({}, PUBLIC),
    "api:docs": ({}, PUBLIC),
    "api:plan-list": ({}, PUBLIC),
    "api:plan-detail": ({"slug": PLAN}, PUBLIC),
    "api:framework-list": ({}, PUBLIC),
    "api:framework-detail": ({"slug": "gcm"}, PUBLIC),
    "api:recommendation-list": ({}, PUBLIC),
    "api:recommendation-detail": (lambda r: {"pk": r["recommendation"].pk}, PUBLIC),
    "api:partner-list": ({}, PUBLIC),
    "api:partner-detail": ({"slug": "senegal"}, PUBLIC),
    "api:meeting-list": ({}, PUBLIC),
    "api:meeting-detail": ({"slug": MADRID}, PUBLIC),
    "api:document-list": ({}, PUBLIC),
    "api:document-detail": (lambda r: {"pk": r["public_document"].pk}, PUBLIC),
    "api:labelled-project-list": ({}, PUBLIC),
    "api:labelled-project-detail": (lambda r: {"slug": r["labelled_request"].slug}, PUBLIC),
    # A meeting run by the portal (Senegal invited, Spain not): the focal points' delegation,
    # the Secretariat's pages and exports, and the participants' signed personal links.
    "meetings:my-meetings": ({}, FOCAL_POINTS),
    "meetings:delegation": (
        lambda r: {"slug": r["run_meeting"].slug},
        {**FOCAL_POINTS, "other_partner_focal_point": NOT_FOUND, "secretariat": REDIRECT},
    ),
    "meetings:delegations": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:check-in": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:participants-csv": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:participants-pdf": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:badges-pdf": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:evaluation-csv": (lambda r: {"slug": r["run_meeting"].slug}, SECRETARIAT),
    "meetings:visa-letter": (
        lambda r: {"pk": r["delegate"].pk},
        {**FOCAL_POINTS, "other_partner_focal_point": NOT_FOUND},
    ),
    "meetings:webinar": (
        lambda r: {"slug": r["webinar"].slug},
        {**SENEGAL_ONLY, "secretariat": FORBIDDEN},  # for the invited partners' members
    ),
    # The signed link is the credential, whoever is signed in (a bad one: 400, test_flow.py).
    "meetings:register": (lambda r: {"token": r["registration_token"]}, PUBLIC),
    "meetings:evaluate": (lambda r: {"token": r["evaluation_token"]}, PUBLIC),
}
# What is private is not in the API, whoever asks (no session counts there): a restricted
# document or a labelling request not labelled answers 404 to every role.
API_PRIVATE_CASES = [
    ("api:document-detail", "pk", "members_document"),
    ("api:document-detail", "pk", "focal_points_document"),
    ("api:labelled-project-detail", "slug", "draft_request"),
]
for _arguments, answers in MATRIX.values():
    answers["disabled_account"] = answers["anonymous"]
# Restricted documents by direct URL: a separate entry, the same view as public ones.
RESTRICTED_CASES = ["meetings:document", "meetings:document-download"]
EXEMPT_NAMESPACES = ("admin:", "account_", "mfa_")


def portal_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= portal_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_the_matrix_knows_every_url():
    unknown = {name for name in portal_url_names() if not name.startswith(EXEMPT_NAMESPACES)} - set(
        MATRIX
    )

    assert not unknown, f"Add these URLs to the permission matrix: {sorted(unknown)}"


@pytest.fixture
def records(
    seeded, senegal_focal_point, senegal_staff, spain_focal_point, inactive_member, secretariat
):
    from django.contrib.auth.models import Group

    from consultations import services
    from consultations.models import Consultation
    from focalpoints.models import Membership, Partner
    from rabat_portal.secretariat import SECRETARIAT_GROUP
    from tests.conftest import with_totp

    senegal = Partner.objects.get(slug="senegal")
    consultation = ConsultationFactory(
        audience=Consultation.Audience.CHOSEN,
        attachment=SimpleUploadedFile("draft.pdf", PDF_BYTES),
    )
    consultation.partners.add(senegal)
    idea = Idea.objects.get(slug="mali-malian-diaspora-forum")
    Idea.objects.filter(pk=idea.pk).update(partner=senegal)
    attachment = IdeaAttachment.objects.create(
        idea=idea, file=SimpleUploadedFile("budget.pdf", PDF_BYTES)
    )
    comment = Comment.objects.create(idea=idea, author=spain_focal_point, text="Interested.")
    answer = services.answer_consultation(
        consultation,
        senegal_focal_point,
        text="Our answer.",
        attachment=SimpleUploadedFile("answer.pdf", PDF_BYTES),
    )
    draft_request = LabellingRequestFactory(lead_partner=senegal)
    labelled_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "approved", senegal_staff, secretariat
    )
    disabled = with_totp(UserFactory(email="former.officer@icmpd.example", is_staff=True))
    disabled.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    Membership.objects.create(user=disabled, partner=senegal, role=Membership.Role.FOCAL_POINT)
    disabled.is_active = False
    disabled.save()
    from meetings import services as meeting_services
    from meetings.models import Delegate, Delegation, Meeting
    from tests.meetings.factories import delegate, upcoming_meeting

    run_meeting = upcoming_meeting(slug="run-by-the-portal")
    run_meeting.invitation.partners.add(senegal)
    Delegation.objects.create(meeting=run_meeting, partner=senegal)
    nominee = delegate(
        run_meeting, senegal, status=Delegate.Status.ACCEPTED, attended=True, needs_visa_letter=True
    )
    webinar = upcoming_meeting(slug="webinar-run-by-the-portal", kind=Meeting.Kind.WEBINAR)
    Delegation.objects.create(meeting=webinar, partner=senegal)
    return {
        "run_meeting": run_meeting,
        "delegate": nominee,
        "webinar": webinar,
        "registration_token": meeting_services.registration_token(nominee),
        "evaluation_token": meeting_services.evaluation_token(nominee),
        "draft_request": draft_request,
        "concept_note": LabellingAttachment.objects.create(
            request=draft_request,
            kind=LabellingAttachment.Kind.CONCEPT_NOTE,
            file=SimpleUploadedFile("concept-note.pdf", PDF_BYTES),
        ),
        "labelled_request": labelled_request,
        "final_report": LabellingAttachment.objects.create(
            request=labelled_request,
            kind=LabellingAttachment.Kind.FINAL_REPORT,
            file=SimpleUploadedFile("final-report.pdf", PDF_BYTES),
        ),
        "users": {
            "anonymous": None,
            "no_membership": UserFactory(email="nobody@example.org"),
            "partner_staff": senegal_staff,
            "focal_point": senegal_focal_point,
            "other_partner_focal_point": spain_focal_point,
            "inactive_member": inactive_member,
            "secretariat": secretariat,
            "secretariat_without_second_factor": secretariat,
            "disabled_account": disabled,
        },
        "consultation": consultation,
        "recommendation": Recommendation.objects.order_by("pk").first(),
        "answer": answer,
        "idea": idea,
        "attachment": attachment,
        "comment": comment,
        "public_document": DocumentFactory(slug="public-conclusions"),
        "members_document": DocumentFactory(
            slug="draft-minutes", visibility=Document.Visibility.MEMBERS
        ),
        "focal_points_document": DocumentFactory(
            slug="draft-conclusions", visibility=Document.Visibility.FOCAL_POINTS
        ),
    }


def expect(client, url, expected):
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    elif expected == "admin_login":
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    elif expected == SECOND_FACTOR:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), url
    else:
        assert response.status_code == expected, (url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, records, role):
    user = records["users"][role]
    if user is not None:
        client.force_login(user, second_factor=role != "secretariat_without_second_factor")
    for name, (arguments, expected) in MATRIX.items():
        kwargs = arguments(records) if callable(arguments) else arguments
        expect(client, reverse(name, kwargs=kwargs), expected[role])
    for name in RESTRICTED_CASES:
        for document, expected in (
            ("members_document", MEMBERS_DOCUMENT),
            ("focal_points_document", FOCAL_POINTS_DOCUMENT),
        ):
            expect(client, reverse(name, kwargs={"pk": records[document].pk}), expected[role])
    for name, key, record in API_PRIVATE_CASES:
        value = getattr(records[record], key)
        expect(client, reverse(name, kwargs={key: value}), NOT_FOUND)
