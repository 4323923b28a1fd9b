"""What partner staff do around a request besides writing it: reply to the Secretariat's change
request, delete a draft, replace a concept note (its earlier versions kept); and the request's
texts written in Markdown."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from labelling.models import LabellingAttachment, LabellingEvent, LabellingRequest, State
from tests.labelling.factories import LabellingRequestFactory, committed, move_to
from tests.labelling.test_pages import form_data
from tests.meetings.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def edit_url(labelling_request):
    return reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk})


def delete_url(labelling_request):
    return reverse("labelling:request-delete", kwargs={"pk": labelling_request.pk})


# Replying to a change request


def test_the_reply_goes_with_the_resubmission_to_the_history_the_queue_and_the_secretariat(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Return and reintegration"),
        "changes_requested",
        senegal_staff,
        secretariat,
    )
    client.force_login(senegal_staff)
    assert "Your reply to the Secretariat" in client.get(edit_url(labelling_request)).text
    mail.outbox.clear()

    with committed():
        client.post(
            edit_url(labelling_request),
            form_data(
                title="Return and reintegration",
                reply_draft="We added the budget lines.\nThe dates are confirmed.",
                action="submit",
                expected_state=State.CHANGES_REQUESTED,
            ),
        )

    labelling_request.refresh_from_db()
    assert labelling_request.state == State.SUBMITTED and labelling_request.reply_draft == ""
    event = labelling_request.events.last()
    assert event.actor == senegal_staff and event.is_reply
    assert event.comment == "We added the budget lines.\nThe dates are confirmed."
    # E-mailed to the Secretariat, through notify(), with the reply and what it answers.
    (message,) = [m for m in mail.outbox if secretariat.email in m.to]
    assert "again, after the changes the Secretariat asked for" in message.body
    assert "Their reply to the change request:" in message.body
    assert "We added the budget lines." in message.body
    assert "We added the budget lines.<br>The dates are confirmed." in message.alternatives[0][0]

    client.force_login(secretariat)
    request_page = client.get(labelling_request.get_private_url()).text
    assert "replied to the change request:" in request_page
    assert "Reply to the change request:" in request_page
    queue = client.get(reverse("labelling:review-queue")).text
    assert "Reply:</span> We added the budget lines. The dates are confirmed." in queue


def test_a_reply_saved_with_the_draft_is_kept_and_sent_at_the_next_submission(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal),
        "changes_requested",
        senegal_staff,
        secretariat,
    )
    client.force_login(senegal_staff)

    client.post(
        edit_url(labelling_request),
        form_data(
            title=labelling_request.title,
            reply_draft="Half of the answer.",
            action="save",
            expected_state=State.CHANGES_REQUESTED,
        ),
    )
    assert "Half of the answer." in client.get(edit_url(labelling_request)).text
    assert not LabellingEvent.objects.filter(comment="Half of the answer.").exists()

    # Submitted from the request page without a comment: the saved reply goes with it.
    submit = reverse(
        "labelling:request-transition", kwargs={"pk": labelling_request.pk, "transition": "submit"}
    )
    with committed():
        client.post(submit, {"comment": "", "expected_state": State.CHANGES_REQUESTED})

    assert labelling_request.events.last().comment == "Half of the answer."


def test_a_first_submission_has_no_reply_field(client, senegal, senegal_staff):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(senegal_staff)

    page = client.get(edit_url(labelling_request)).text

    assert "Your reply to the Secretariat" not in page and 'name="reply_draft"' not in page


# Deleting a draft


def test_partner_staff_delete_a_draft_after_confirming(client, senegal, senegal_staff):
    labelling_request = LabellingRequestFactory(lead_partner=senegal, title="Abandoned idea")
    attachment = LabellingAttachment.objects.create(
        request=labelling_request,
        kind=LabellingAttachment.Kind.CONCEPT_NOTE,
        file=SimpleUploadedFile("note.pdf", PDF_BYTES),
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    client.force_login(senegal_staff)
    assert "Delete the draft" in client.get(labelling_request.get_private_url()).text

    confirm = client.get(delete_url(labelling_request))
    assert confirm.status_code == 200
    assert "cannot be recovered" in confirm.text and "note.pdf" in confirm.text
    assert LabellingRequest.objects.filter(pk=labelling_request.pk).exists()

    with committed():
        response = client.post(delete_url(labelling_request))

    assert response["Location"] == reverse("labelling:requests")
    assert not LabellingRequest.objects.filter(pk=labelling_request.pk).exists()
    assert not storage.exists(stored)
    assert "The draft “Abandoned idea” is deleted." in client.get(response["Location"]).text


@pytest.mark.parametrize("state", ["submitted", "changes_requested", "withdrawn", "approved"])
def test_a_request_that_was_submitted_is_never_deleted(
    client, senegal, senegal_staff, secretariat, state
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), state, senegal_staff, secretariat
    )
    client.force_login(senegal_staff)

    assert "Delete the draft" not in client.get(labelling_request.get_private_url()).text
    response = client.post(delete_url(labelling_request))

    assert response["Location"] == labelling_request.get_private_url()
    assert LabellingRequest.objects.filter(pk=labelling_request.pk).exists()


def test_a_withdrawn_draft_that_was_never_submitted_is_not_deleted_either(
    client, senegal, senegal_staff
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "withdrawn", senegal_staff, None
    )
    client.force_login(senegal_staff)

    client.post(delete_url(labelling_request))

    assert LabellingRequest.objects.filter(pk=labelling_request.pk).exists()


def test_deleting_another_partners_draft_answers_404_and_the_secretariat_403(
    client, senegal, spain_focal_point, secretariat
):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)

    client.force_login(spain_focal_point)
    assert client.get(delete_url(labelling_request)).status_code == 404
    assert client.post(delete_url(labelling_request)).status_code == 404
    client.force_login(secretariat)
    assert client.post(delete_url(labelling_request)).status_code == 403
    client.logout()
    assert client.post(delete_url(labelling_request)).status_code == 302
    assert LabellingRequest.objects.filter(pk=labelling_request.pk).exists()


# Versions of a concept note


def test_a_new_concept_note_becomes_the_current_one_and_the_earlier_stays_downloadable(
    client, senegal, senegal_staff, secretariat, spain_focal_point
):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(senegal_staff)
    for name in ("note v1.pdf", "note v2.pdf"):
        client.post(
            edit_url(labelling_request),
            {
                **form_data(title=labelling_request.title, action="save"),
                "concept_note": SimpleUploadedFile(name, PDF_BYTES),
            },
        )
    first, second = LabellingAttachment.objects.order_by("pk")
    LabellingAttachment.objects.filter(pk=first.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=3)
    )

    (versions,) = labelling_request.attachment_versions()
    assert versions["current"] == second and versions["earlier"] == [first]
    for user in (senegal_staff, secretariat):
        client.force_login(user)
        page = client.get(labelling_request.get_private_url()).text
        current, earlier = page.split("1 earlier version")
        assert "note v2.pdf" in current and "current version" in current
        assert "note v1.pdf" in earlier and "note v1.pdf" not in current
        assert client.get(first.get_download_url()).status_code == 200
    client.force_login(spain_focal_point)
    assert client.get(first.get_download_url()).status_code == 404


# Formatted texts


def test_the_request_texts_are_markdown_with_a_preview_that_saves_nothing(
    client, senegal, senegal_staff
):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(senegal_staff)
    summary = "**Diaspora** investment:\n- Dakar\n- Thiès"

    preview = client.post(
        edit_url(labelling_request),
        form_data(
            title="Changed title",
            kind=None,
            objectives="",
            expected_results="",
            results_sharing="",
            summary=summary,
            preview="summary",
        ),
    )

    assert preview.status_code == 200 and "nothing is saved yet" in preview.text
    assert "<strong>Diaspora</strong> investment:" in preview.text
    assert "<li>Dakar</li>" in preview.text and 'value="Changed title"' in preview.text
    # A preview checks nothing (the kind is missing) and previews only the boxes with text.
    assert "errorlist" not in preview.text
    assert preview.text.count("markdown-preview") == 1
    labelling_request.refresh_from_db()
    assert labelling_request.title != "Changed title"

    LabellingRequest.objects.filter(pk=labelling_request.pk).update(summary=summary)
    page = client.get(labelling_request.get_private_url()).text
    assert "<strong>Diaspora</strong>" in page and "**Diaspora**" not in page
