"""A mail server that is down never undoes, or breaks, what a person did: each process that
sends e-mail succeeds and shows its usual page, its deliveries are retried and then recorded
failed with the error, and they go out once the server is back."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationReminder
from digests.models import DigestDelivery
from focalpoints.models import Invitation
from ideas_lab import inbound, services
from ideas_lab.models import Comment, Idea, InboundMessage, Interest
from ideas_lab.replies import reply_address
from labelling.models import LabellingRequest, State
from portal_lib import tasks
from portal_lib.models import Delivery
from tests.consultations.factories import ConsultationFactory
from tests.ideas_lab.factories import IdeaFactory
from tests.ideas_lab.test_inbound import reply
from tests.labelling.factories import LabellingRequestFactory, committed, move_to
from tests.labelling.test_pages import form_data
from tests.meetings.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


@pytest.fixture(autouse=True)
def every_delivery_is_queued(caplog):
    """Queueing fails only when the broker is down: here it never is."""
    yield
    assert "could not be queued" not in caplog.text


@pytest.fixture
def outage(smtp):
    smtp.down = True
    return smtp


def failed(kind):
    """The deliveries of ``kind``, each of which must have failed after every retry."""
    deliveries = list(Delivery.objects.filter(kind=kind))
    assert deliveries, f"nothing was recorded for {kind}"
    assert {(d.status, d.attempts, d.error) for d in deliveries} == {("failed", 3, ERROR)}
    assert mail.outbox == []
    return deliveries


def test_a_decision_in_the_admin_is_kept_and_shown(
    client, outage, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )
    client.force_login(secretariat)
    changelist = reverse("admin:labelling_labellingrequest_changelist")

    with committed():
        response = client.post(
            changelist,
            {
                "action": "approve",
                ACTION_CHECKBOX_NAME: [labelling_request.pk],
                "confirm": "yes",
                "comment": "Approved.",
            },
            follow=True,
        )

    assert response.status_code == 200 and "1 request(s)" in response.text
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.APPROVED
    assert senegal_staff in [d.recipient for d in failed("labelling.transition")]


def test_a_decision_on_the_review_page_is_kept_and_shown(
    client, outage, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )
    client.force_login(secretariat)

    with committed():
        response = client.post(
            reverse(
                "labelling:request-transition",
                kwargs={"pk": labelling_request.pk, "transition": "approve"},
            ),
            {"expected_state": State.UNDER_REVIEW, "comment": "Welcome to the label."},
            follow=True,
        )

    assert response.status_code == 200 and "Welcome to the label." in response.text
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.APPROVED
    failed("labelling.transition")


def test_a_partner_s_submission_is_kept_and_shown(client, outage, senegal_focal_point, secretariat):
    client.force_login(senegal_focal_point)

    with committed():
        response = client.post(
            reverse("labelling:request-create"), form_data(action="submit"), follow=True
        )

    assert response.status_code == 200
    assert LabellingRequest.objects.get().state == State.SUBMITTED
    assert secretariat in [d.recipient for d in failed("labelling.transition")]


def test_an_invitation_is_kept_and_shown(client, outage, secretariat, senegal):
    client.force_login(secretariat)

    with committed():
        response = client.post(
            reverse("admin:focalpoints_invitation_add"),
            {
                "email": "x@senegal.example",
                "partner": senegal.pk,
                "role": "staff",
                "language": "fr",
            },
            follow=True,
        )

    assert response.status_code == 200
    assert Invitation.objects.get().state == Invitation.State.PENDING
    (delivery,) = failed("focalpoints.invitation")
    assert (delivery.email, delivery.language) == ("x@senegal.example", "fr")
    assert "/invitations/" in delivery.text_body, "kept until it is sent"


def test_a_comment_and_an_interest_are_kept_and_shown(
    client, outage, senegal, senegal_focal_point, spain_focal_point
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)
    services.follow(senegal_focal_point, idea)
    client.force_login(spain_focal_point)

    with committed():
        comment = client.post(
            reverse("ideas:comment", kwargs={"pk": idea.pk}), {"text": "We can help."}, follow=True
        )
        interest = client.post(
            reverse("ideas:interest", kwargs={"pk": idea.pk}),
            {"kind": "co_funding", "message": "Up to half."},
            follow=True,
        )

    assert (comment.status_code, interest.status_code) == (200, 200)
    assert "We can help." in interest.text
    assert Comment.objects.count() == 1 and Interest.objects.count() == 1
    assert [d.recipient for d in failed("ideas.comment")] == [senegal_focal_point]
    assert [d.recipient for d in failed("ideas.interest")] == [senegal_focal_point]


def test_a_consultation_reminder_is_recorded_once_and_shown(
    client, outage, secretariat, senegal, spain, spain_focal_point
):
    consultation = ConsultationFactory()
    client.force_login(secretariat)
    url = reverse("consultations:consultation-responses", kwargs={"pk": consultation.pk})

    with committed():
        response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Reminders are on their way" in response.text
    assert ConsultationReminder.objects.count() == 1, "Spain has a focal point to remind"
    assert spain_focal_point in [d.recipient for d in failed("consultations.reminder")]

    with committed():
        client.post(url)
    assert ConsultationReminder.objects.count() == 1, "never twice within the interval"


def test_a_refused_reply_is_recorded_and_its_bounce_kept(outage, senegal, spain_focal_point):
    idea = IdeaFactory(partner=senegal, title="Forum")
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.CLOSED)

    with committed():
        result = inbound.handle_message(
            reply(reply_address(spain_focal_point, idea), "nfp@spain.example")
        )

    assert (result.outcome, result.reason) == ("refused", "idea_closed")
    assert InboundMessage.objects.get().outcome == "refused"
    assert [d.recipient for d in failed("ideas.reply_refused")] == [spain_focal_point]


def test_a_digest_run_records_the_failure_and_shows_the_log(
    client, outage, settings, secretariat, senegal_focal_point
):
    settings.DIGEST_SEND_RETRIES = 1
    settings.DIGEST_RETRY_BACKOFF = 0
    DocumentFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:digests_digestdelivery_send"), {"frequency": "weekly"}, follow=True
    )

    assert response.status_code == 200
    delivery = DigestDelivery.objects.get(recipient=senegal_focal_point)
    assert (delivery.status, delivery.error) == ("failed", ERROR)
    assert mail.outbox == []

    outage.down = False
    client.post(reverse("admin:digests_digestdelivery_send"), {"frequency": "weekly"})
    delivery.refresh_from_db()
    assert delivery.status == "sent" and [m.to for m in mail.outbox] == [
        [senegal_focal_point.email]
    ]


def test_once_the_server_is_back_the_failed_are_sent_again_from_the_admin(
    client, outage, secretariat, senegal, senegal_focal_point, spain_focal_point
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)
    services.follow(senegal_focal_point, idea)
    with committed():
        services.add_comment(idea, spain_focal_point, "We can help.")
    (delivery,) = failed("ideas.comment")

    outage.down = False
    client.force_login(secretariat)
    with committed():
        response = client.post(
            reverse("admin:portal_lib_delivery_changelist"),
            {"action": "send_again", ACTION_CHECKBOX_NAME: [delivery.pk]},
            follow=True,
        )

    assert response.status_code == 200 and "1 e-mail is on its way again." in response.text
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    (message,) = mail.outbox
    assert message.to == [senegal_focal_point.email] and "We can help." in message.body
    assert message.reply_to[0].startswith("ideas+"), "the same message, headers and all"


def test_deliveries_left_pending_by_a_worker_that_died_are_sent_by_the_sweep(
    smtp, senegal, senegal_focal_point, spain_focal_point
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)
    services.follow(senegal_focal_point, idea)
    services.add_comment(idea, spain_focal_point, "Never committed in this test: never queued.")
    # As if the worker took it and died: held for a while, then free again.
    Delivery.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=20),
        claim_token="dead",
        claimed_until=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert tasks.send_pending_deliveries.delay().get() == 0

    Delivery.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert tasks.send_pending_deliveries.delay().get() == 1

    assert Delivery.objects.get().status == "sent"
    assert [m.to for m in mail.outbox] == [[senegal_focal_point.email]]
