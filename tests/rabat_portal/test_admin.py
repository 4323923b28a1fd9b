"""Every admin page the Secretariat uses, walked for each kind of visitor."""

import pytest
from django.contrib import admin
from django.urls import reverse

from rabat_portal.secretariat import SECRETARIAT_APPS

PORTAL_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in SECRETARIAT_APPS
)
# Records that only the portal writes: the admin lists them, nobody adds them by hand.
WRITTEN_BY_THE_PORTAL = {
    ("consultations", "consultationreminder"),
    ("stocktaking", "generatedreport"),
    ("labelling", "labellingevent"),
    ("ideas_lab", "inboundmessage"),
    ("digests", "digestdelivery"),
    ("portal_lib", "delivery"),
    ("meetings", "evaluationresponse"),
}
ADMIN_PAGES = [
    reverse(f"admin:{app}_{model}_{page}")
    for app, model in PORTAL_MODELS
    for page in ("changelist", "add")
    if page == "changelist" or (app, model) not in WRITTEN_BY_THE_PORTAL
]


def test_every_portal_model_is_in_the_admin_on_its_own_or_inline():
    from django.apps import apps

    registered = {(app, model) for app, model in PORTAL_MODELS} | {
        (inline.model._meta.app_label, inline.model._meta.model_name)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    portal_models = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in SECRETARIAT_APPS and not m.__name__.startswith("Historical")
    }
    assert portal_models <= registered, portal_models - registered


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_secretariat_opens_every_changelist_and_add_page(client, seeded, secretariat, url):
    client.force_login(secretariat)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_signed_in_people_who_are_not_staff_are_sent_to_the_login_page(client, signed_in_user, url):
    client.force_login(signed_in_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_outside_the_secretariat_group_are_refused(client, staff_without_group, url):
    client.force_login(staff_without_group)

    assert client.get(url).status_code == 403


def test_the_secretariat_edits_seeded_records_with_english_and_french_side_by_side(
    client, seeded, secretariat
):
    from actionplan.models import Objective

    client.force_login(secretariat)
    objective = Objective.objects.get(number=1)

    page = client.get(reverse("admin:actionplan_objective_change", args=[objective.pk]))

    assert page.status_code == 200
    assert 'name="title_en"' in page.text and 'name="title_fr"' in page.text
    # Actions are edited inside their objective.
    assert 'name="actions-0-number"' in page.text


def test_the_secretariat_cannot_grant_itself_superuser_rights(client, secretariat):
    client.force_login(secretariat)

    page = client.get(reverse("admin:focalpoints_user_change", args=[secretariat.pk]))

    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="groups"' not in page.text


def test_the_secretariat_group_holds_every_portal_permission_but_none_on_history(secretariat):
    from django.contrib.auth.models import Permission

    expected = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS).exclude(
        content_type__model__startswith="historical"
    )
    assert set(secretariat.groups.get().permissions.all()) == set(expected)
    assert expected.filter(codename="change_action").exists()


def test_partners_are_chosen_by_autocomplete(client, seeded, secretariat):
    client.force_login(secretariat)

    page = client.get(reverse("admin:actionplan_referencecountry_add"))
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Sene",
            "app_label": "actionplan",
            "model_name": "referencecountry",
            "field_name": "partner",
        },
    )

    assert "admin-autocomplete" in page.text
    assert [r["text"] for r in found.json()["results"]] == ["Senegal"]


def private_file_fields():
    from django.apps import apps
    from django.db import models

    from portal_lib.storage import document_storage

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        and getattr(field, "_storage_callable", None) is document_storage
    ]


def test_every_private_file_is_reached_through_its_record_s_download_view():
    from portal_lib.storage import PrivateFileField

    fields = private_file_fields()

    assert len(fields) >= 6
    for model, field in fields:
        where = f"{model.__name__}.{field.name}"
        assert isinstance(field, PrivateFileField), where
        assert callable(getattr(model, "get_download_url", None)), where


@pytest.fixture
def records_with_files(secretariat, senegal, senegal_focal_point):
    """One record of each kind with a private file, and the admin page that shows it."""
    from consultations.models import ConsultationAnswer
    from ideas_lab.models import IdeaAttachment
    from labelling.models import LabellingAttachment
    from stocktaking.models import GeneratedReport, StocktakingReport
    from tests.consultations.factories import ConsultationFactory
    from tests.ideas_lab.factories import IdeaFactory
    from tests.labelling.factories import LabellingRequestFactory
    from tests.meetings.factories import DocumentFactory, pdf_upload

    document = DocumentFactory(visibility="focal_points")
    consultation = ConsultationFactory(attachment=pdf_upload("questions.pdf"))
    answer = ConsultationAnswer.objects.create(
        consultation=consultation, partner=senegal, text="Yes.", attachment=pdf_upload()
    )
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    labelling_attachment = LabellingAttachment.objects.create(
        request=labelling_request, kind="concept_note", file=pdf_upload()
    )
    idea = IdeaFactory(partner=senegal, is_draft=True)
    idea_attachment = IdeaAttachment.objects.create(idea=idea, file=pdf_upload())
    generated = GeneratedReport.objects.create(
        report=StocktakingReport.objects.create(
            title="Stocktaking", period_start="2018-05-01", period_end="2020-10-31"
        ),
        language="en",
        status=GeneratedReport.Status.DONE,
        file=pdf_upload("report.pdf"),
    )
    return [
        (reverse("admin:meetings_document_change", args=[document.pk]), [document]),
        (
            reverse("admin:consultations_consultation_change", args=[consultation.pk]),
            [consultation, answer],
        ),
        (
            reverse("admin:labelling_labellingrequest_change", args=[labelling_request.pk]),
            [labelling_attachment],
        ),
        (reverse("admin:ideas_lab_idea_change", args=[idea.pk]), [idea_attachment]),
        (reverse("admin:stocktaking_generatedreport_change", args=[generated.pk]), [generated]),
    ]


def test_the_admin_links_private_files_to_their_permission_checked_downloads(
    client, secretariat, settings, records_with_files
):
    client.force_login(secretariat)

    for page_url, records in records_with_files:
        page = client.get(page_url)

        assert page.status_code == 200, page_url
        assert f'href="{settings.MEDIA_URL}' not in page.text, page_url
        for record in records:
            download_url = record.get_download_url()
            assert f'href="{download_url}"' in page.text, (page_url, download_url)
            assert client.get(download_url).status_code == 200, download_url


def test_the_admin_index_leads_to_the_secretariats_tools_outside_the_admin(client, secretariat):
    client.force_login(secretariat)

    page = client.get("/admin/")

    assert page.status_code == 200
    for url in (
        reverse("labelling:review-queue"),
        reverse("consultations:consultations"),
        reverse("admin:digests_digestdelivery_preview"),
        reverse("admin:digests_digestdelivery_send"),
        reverse("stocktaking-preview"),
    ):
        assert f'href="{url}"' in page.text
        # The report's preview needs a plan and its data: tests/stocktaking open it.
        if url != reverse("stocktaking-preview"):
            assert client.get(url).status_code == 200, url
