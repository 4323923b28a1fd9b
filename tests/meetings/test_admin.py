"""What the Secretariat does with meetings in the admin: duplicate one, upload documents to it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Document, Meeting
from tests.meetings.factories import PDF_BYTES, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    from actionplan.models import Action
    from tests.actionplan.factories import ActionFactory

    meeting = MeetingFactory(slug="abuja-2019", title="Workshop on remittances, Abuja")
    meeting.actions.add(ActionFactory(number=2))
    meeting.results.create(position=1, text="A compendium")
    assert Action.objects.count() == 1
    return meeting


def upload_url(meeting):
    return reverse("admin:meetings_meeting_upload_documents", args=[meeting.pk])


def post_files(client, meeting, files):
    return client.post(
        upload_url(meeting),
        {
            "files": files,
            "category": "technical",
            "kind": "conclusions",
            "language": "en",
            "visibility": "public",
        },
    )


def test_duplicating_a_meeting_prepares_the_next_one_without_its_outcomes(
    client, secretariat, meeting
):
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "duplicate", "_selected_action": [meeting.pk]},
    )

    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[copy.pk])
    assert copy.slug == "abuja-2019-copy"
    assert copy.status == Meeting.Status.PLANNED
    assert list(copy.actions.all()) == list(meeting.actions.all())
    assert not copy.results.exists()


def test_several_documents_are_uploaded_to_a_meeting_at_once(client, secretariat, meeting):
    client.force_login(secretariat)
    files = [
        SimpleUploadedFile("conclusions_abuja.pdf", PDF_BYTES),
        SimpleUploadedFile("agenda.pdf", PDF_BYTES),
    ]

    response = post_files(client, meeting, files)

    assert response.status_code == 302
    documents = Document.objects.order_by("title")
    assert [d.title for d in documents] == ["agenda", "conclusions abuja"]
    assert all(list(d.meetings.all()) == [meeting] for d in documents)
    assert all(d.actions.count() == 1 and d.content_type == "application/pdf" for d in documents)


def test_one_bad_file_saves_nothing_and_names_the_file(client, secretariat, meeting):
    client.force_login(secretariat)
    files = [
        SimpleUploadedFile("conclusions.pdf", PDF_BYTES),
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\0" * 64),
    ]

    response = post_files(client, meeting, files)

    assert response.status_code == 200
    assert "virus.pdf: This file is not an accepted type" in response.text
    assert "Nothing was saved" in response.text
    assert not Document.objects.exists()


def test_a_file_past_the_size_limit_is_refused_with_its_size_and_nothing_is_saved(
    client, secretariat, meeting, settings
):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 100 * 1024
    client.force_login(secretariat)
    big = SimpleUploadedFile("annex.pdf", PDF_BYTES + b"\0" * (1024 * 1024 - len(PDF_BYTES)))

    response = post_files(client, meeting, [big])

    assert response.status_code == 200
    assert "annex.pdf: The file is 1.0\xa0MB; the largest accepted is 100.0\xa0KB." in (
        response.text
    )
    [upload] = response.wsgi_request.FILES.getlist("files")
    assert upload.size == 1024 * 1024
    assert not Document.objects.exists()


def test_the_upload_page_is_refused_to_staff_outside_the_secretariat(
    client, staff_without_group, meeting
):
    client.force_login(staff_without_group)

    assert client.get(upload_url(meeting)).status_code == 403


def test_a_document_with_a_bad_file_is_refused_in_the_admin_form(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:meetings_document_add"),
        {
            "title_en": "Logo",
            "slug": "logo",
            "category": "communication",
            "kind": "other",
            "language": "en",
            "visibility": "public",
            "file": SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>"),
        },
    )

    assert response.status_code == 200
    assert "This file is not an accepted type" in response.text
    assert not Document.objects.exists()


def test_a_meeting_s_document_rows_are_named_by_their_document(client, secretariat, meeting):
    from django.apps import apps
    from django.db import models

    document = Document.objects.create(
        title="Conclusions of Abuja", slug="conclusions-abuja", category="technical", kind="report"
    )
    document.meetings.add(meeting)
    client.force_login(secretariat)

    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).text

    assert "Document_meetings object" not in page
    assert "Conclusions of Abuja – Workshop on remittances, Abuja" in page
    unnamed = [
        model.__name__
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created and model.__str__ is models.Model.__str__
    ]
    assert unnamed == []


@pytest.mark.parametrize(("days", "warned"), [(10, True), (-10, False)])
def test_a_meeting_saved_as_held_with_future_dates_gets_a_warning(rf, secretariat, days, warned):
    import datetime

    from django.contrib import admin
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.utils import timezone

    meeting = MeetingFactory(
        status=Meeting.Status.HELD,
        start_date=timezone.localdate() + datetime.timedelta(days=days),
    )
    request = rf.post("/admin/meetings/meeting/")
    request.user, request.session = secretariat, {}
    request._messages = FallbackStorage(request)

    admin.site.get_model_admin(Meeting).save_model(request, meeting, None, change=True)

    shown = [str(message) for message in request._messages]
    assert any("is marked as held, yet it starts on" in text for text in shown) is warned
