"""Secretariat powers, wherever they live, need a session that passed the second factor."""

import datetime
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, ConsultationReminder
from focalpoints.permissions import SECRETARIAT_GROUP, is_secretariat
from ideas_lab.models import Comment
from labelling.models import LabellingRequest
from tests.consultations.factories import ConsultationFactory
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.ideas_lab.factories import IdeaFactory
from tests.labelling.factories import LabellingRequestFactory, move_to

pytestmark = pytest.mark.django_db


def current_code(user):
    """The code the person's authenticator app shows now."""
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def never_enrolled(secretariat):
    """A Secretariat member who never set up two-factor authentication."""
    user = UserFactory(email="new.officer@icmpd.example", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


@pytest.fixture
def under_review(senegal, senegal_staff, secretariat):
    return move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )


def test_a_session_that_skipped_the_second_factor_is_asked_for_it_at_the_admin(client, secretariat):
    client.force_login(secretariat, second_factor=False)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=/admin/"


def test_entering_a_code_opens_the_admin(client, secretariat):
    client.force_login(secretariat, second_factor=False)

    entered = client.post(
        f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": current_code(secretariat)}
    )

    assert entered.status_code == 302 and entered["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("signed_in", ["never_enrolled", "skipped_the_code"])
def test_secretariat_pages_are_not_served_without_the_second_factor(
    client, request, senegal, secretariat, signed_in
):
    closed = ConsultationFactory(
        opens_on=timezone.localdate() - datetime.timedelta(days=20),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    if signed_in == "never_enrolled":
        client.force_login(request.getfixturevalue("never_enrolled"))
        step = reverse("mfa_activate_totp")
    else:
        client.force_login(secretariat, second_factor=False)
        step = reverse("mfa_reauthenticate")

    for url in [
        reverse("labelling:review-queue"),
        reverse("consultations:consultation-responses", kwargs={"pk": closed.pk}),
        reverse("consultations:consultation-export", kwargs={"pk": closed.pk}),
        reverse("stocktaking-preview"),
        reverse("dashboard"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(step), url


def test_without_the_second_factor_nothing_is_approved_hidden_or_reminded(
    client, never_enrolled, under_review, senegal, spain_focal_point
):
    consultation = ConsultationFactory(audience=Consultation.Audience.ALL)
    idea = IdeaFactory(partner=senegal)
    comment = Comment.objects.create(idea=idea, author=spain_focal_point, text="Off topic.")
    client.force_login(never_enrolled)
    mail.outbox.clear()

    client.post(
        reverse(
            "labelling:request-transition", kwargs={"pk": under_review.pk, "transition": "approve"}
        ),
        {"comment": "Fine.", "expected_state": "under_review"},
    )
    client.post(
        reverse("ideas:hide-comment", kwargs={"pk": idea.pk, "comment_pk": comment.pk}),
        {"reason": "Off topic."},
    )
    client.post(reverse("consultations:consultation-responses", kwargs={"pk": consultation.pk}))

    assert LabellingRequest.objects.get(pk=under_review.pk).state == "under_review"
    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert not ConsultationReminder.objects.exists() and not mail.outbox


def test_drafts_stay_hidden_from_a_member_of_the_secretariat_without_the_second_factor(
    client, never_enrolled, senegal, spain
):
    """A Secretariat member who is also a partner's member sees what that membership shows,
    and no more, until their session has passed the second factor."""
    MembershipFactory(user=never_enrolled, partner=spain)
    draft_request = LabellingRequestFactory(lead_partner=senegal)
    draft_idea = IdeaFactory(partner=senegal, is_draft=True)
    client.force_login(never_enrolled)

    assert client.get(draft_request.get_private_url()).status_code == 404
    assert client.get(draft_idea.get_absolute_url()).status_code == 404
    assert client.get(reverse("labelling:review-queue")).status_code == 302


def test_outside_any_request_the_account_decides(secretariat, never_enrolled, senegal_staff):
    """Commands and tasks act for an account without a session: its rights are its own."""
    assert is_secretariat(secretariat) and is_secretariat(never_enrolled)
    assert not is_secretariat(senegal_staff)


def test_the_authenticator_secret_stays_while_it_is_set_up_and_can_be_copied(
    client, never_enrolled
):
    import re

    # Signed in with the password just now, as the set-up asks.
    client.post(
        reverse("account_login"),
        {"login": never_enrolled.email, "password": "correct horse battery staple"},
    )
    url = reverse("mfa_activate_totp")

    first, second = client.get(url), client.get(url)

    def secret(page):
        field = re.search(r'<input id="authenticator_secret"[^>]*>', page.text).group(0)
        assert "readonly" in field and "disabled" not in field
        return re.search(r'value="([A-Z2-7]+)"', field).group(1)

    assert secret(first) == secret(second)
    french = client.get(url.replace("/en/", "/fr/", 1))
    assert "Activer l'application d'authentification" in french.text
    assert secret(french) == secret(first)
    code = format_hotp_value(hotp_value(secret(second), int(time.time()) // 30))
    response = client.post(url, {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=never_enrolled, type="totp").exists()
