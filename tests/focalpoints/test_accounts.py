"""Accounts: invitations from the Secretariat, log in by e-mail, rate limits, two factors."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from focalpoints import services
from focalpoints.models import Invitation, Membership, User
from tests.focalpoints.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def invite(django_capture_on_commit_callbacks, senegal, secretariat):
    """Invite someone to Senegal as the Secretariat; returns the e-mail and the link's path."""

    def send(language="en", email="new.nfp@senegal.example"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite(
                email=email,
                partner=senegal,
                role=Membership.Role.FOCAL_POINT,
                invited_by=secretariat,
                language=language,
                first_name="Moussa",
            )
        message = mail.outbox[-1]
        link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
        return message, link.split("127.0.0.1:8000")[-1]

    return send


def accept(client, path, password=PASSWORD):
    return client.post(
        path,
        {"first_name": "Moussa", "last_name": "Sow", "password1": password, "password2": password},
    )


def test_the_invitation_e_mail_goes_to_the_invitee_in_their_language(invite):
    message, path = invite(language="fr")

    assert message.to == ["new.nfp@senegal.example"]
    assert message.subject == "Votre invitation au portail du Processus de Rabat (Senegal)"
    assert "Point focal national" in message.body
    assert path.startswith("/fr/invitations/")
    html, mime = message.alternatives[0]
    assert mime == "text/html" and path in html


def test_accepting_sets_the_password_gives_the_membership_and_logs_in(client, invite, senegal):
    _message, path = invite()

    response = accept(client, path)

    user = User.objects.get(email="new.nfp@senegal.example")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert user.check_password(PASSWORD)
    assert user.membership.partner == senegal and user.membership.is_focal_point
    assert client.get(reverse("dashboard")).status_code == 200
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_a_used_link_cannot_be_used_again(client, invite, senegal):
    _message, path = invite()
    accept(client, path)
    client.logout()

    page = client.get(path)
    second = accept(client, path, password="another passphrase entirely 7")

    assert "already been used" in page.text
    assert second.status_code == 200
    assert User.objects.get(email="new.nfp@senegal.example").check_password(PASSWORD)


def test_an_expired_link_says_so_and_creates_nothing(client, invite, senegal):
    _message, path = invite()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = accept(client, path)

    assert "has expired" in response.text
    assert not User.objects.filter(email="new.nfp@senegal.example").exists()


def test_reinviting_revokes_the_earlier_link(client, invite, senegal):
    _first, old_path = invite()
    _second, new_path = invite()

    assert "was withdrawn" in client.get(old_path).text
    assert accept(client, new_path).status_code == 302


def test_a_revoked_invitation_cannot_be_accepted(client, invite, senegal):
    _message, path = invite()
    services.revoke_invitation(Invitation.objects.get())

    assert "was withdrawn" in accept(client, path).text
    with pytest.raises(services.ActionRefused):
        services.revoke_invitation(Invitation.objects.get())


@pytest.fixture
def staff_with_totp(db):
    """A staff member with two-factor authentication, who is then invited to a partner."""
    from tests.conftest import with_totp

    return with_totp(UserFactory(email="officer@icmpd.example", is_staff=True))


@pytest.fixture
def officer_link(invite, staff_with_totp):
    """The path of the link inviting the staff member with two factors to Senegal."""
    return invite(email="officer@icmpd.example")[1]


def test_an_invitation_for_an_existing_account_neither_logs_in_nor_sets_the_password(
    client, officer_link, staff_with_totp
):
    page = client.get(officer_link)
    response = accept(client, officer_link)

    staff_with_totp.refresh_from_db()
    assert "already exists" in page.text
    assert f"{reverse('account_login')}?next={officer_link}" in page.text
    assert 'name="password1"' not in page.text
    assert response.status_code == 200
    assert not staff_with_totp.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_the_owner_of_an_existing_account_accepts_once_logged_in(
    client, officer_link, staff_with_totp, senegal
):
    client.force_login(staff_with_totp)

    page = client.get(officer_link)
    response = client.post(officer_link)

    staff_with_totp.refresh_from_db()
    assert 'name="password1"' not in page.text
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert staff_with_totp.membership.partner == senegal
    assert staff_with_totp.check_password("correct horse battery staple")
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_someone_logged_in_with_another_account_cannot_accept_it(
    client, officer_link, staff_with_totp, spain_focal_point
):
    client.force_login(spain_focal_point)

    page = client.get(officer_link)
    client.post(officer_link)

    assert "log out first" in page.text
    assert not Membership.objects.filter(user=staff_with_totp).exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING
    with pytest.raises(services.ActionRefused):
        services.accept_invitation_as(officer_link.split("/")[-2], spain_focal_point)


def test_an_invitation_never_enables_a_disabled_account(client, officer_link, staff_with_totp):
    # Disabled without a save, so that nothing revoked the link on the way.
    User.objects.filter(pk=staff_with_totp.pk).update(is_active=False)

    page = client.get(officer_link)
    accept(client, officer_link)

    staff_with_totp.refresh_from_db()
    assert "This account is disabled" in page.text
    assert not staff_with_totp.is_active
    assert not Membership.objects.filter(user=staff_with_totp).exists()
    with pytest.raises(services.ActionRefused):
        services.accept_invitation_as(officer_link.split("/")[-2], staff_with_totp)


def test_an_address_allauth_keeps_for_an_account_leads_to_that_account(client, invite, db):
    """An account whose e-mail differs from its primary allauth address: an invitation to
    either address is for that account, and leads to its login."""
    account = UserFactory(email="old@senegal.example")
    EmailAddress.objects.filter(user=account).update(email="new@senegal.example")
    _message, path = invite(email="new@senegal.example")

    page = client.get(path)
    refused = accept(client, path)
    client.force_login(account)
    accepted = client.post(path)

    assert "already exists" in page.text and refused.status_code == 200
    assert not User.objects.filter(email="new@senegal.example").exists()
    assert accepted.status_code == 302 and Membership.objects.get().user == account


def test_an_address_two_accounts_claim_is_refused_with_a_message(client, invite, db):
    _message, path = invite(email="shared@senegal.example")
    UserFactory(email="shared@senegal.example", verified_email=False)
    other = UserFactory(email="other@senegal.example")
    EmailAddress.objects.filter(user=other).update(email="shared@senegal.example")

    page = client.get(path)
    response = accept(client, path)

    assert "Two accounts use this address" in page.text
    assert response.status_code == 200 and "Two accounts use this address" in response.text
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_an_unknown_link_answers_404(client, db):
    assert client.get("/en/invitations/not-a-real-token/").status_code == 404


def test_a_weak_password_is_refused_with_a_message(client, invite, senegal):
    _message, path = invite()

    response = accept(client, path, password="12345678")

    assert response.status_code == 200
    assert "This password is too common" in response.text
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_the_secretariat_invites_from_the_admin(
    client, django_capture_on_commit_callbacks, secretariat, senegal
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:focalpoints_invitation_add"),
            {
                "email": "x@senegal.example",
                "partner": senegal.pk,
                "role": "staff",
                "language": "en",
            },
        )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["x@senegal.example"]


def test_people_log_in_with_their_e_mail_address(client, senegal_focal_point):
    response = client.post(
        reverse("account_login"),
        {"login": "nfp@senegal.example", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_nobody_can_sign_up(client, db):
    response = client.get(reverse("account_signup"))

    assert "closed" in response.text.lower() or response.status_code in (302, 403, 404)


def test_the_login_page_says_accounts_come_from_the_secretariat_not_from_signing_up(
    client, db, settings
):
    settings.SECRETARIAT_CONTACT_EMAIL = "secretariat@portal.example"

    page = client.get(reverse("account_login")).text
    closed = client.get(reverse("account_signup")).text

    assert reverse("account_signup") not in page
    assert "sign up" not in page.lower()
    for text in (page, closed):
        assert "the Secretariat invites the National Focal Points and the partners' staff" in text
        assert '<a href="mailto:secretariat@portal.example">' in text


def test_without_a_contact_address_the_login_page_names_the_secretariat_without_a_link(
    client, db, settings
):
    settings.SECRETARIAT_CONTACT_EMAIL = ""

    page = client.get(reverse("account_login")).text

    assert "write to the Secretariat." in page
    assert "mailto:" not in page


def test_repeated_failed_logins_are_rate_limited(client, senegal_focal_point):
    from django.core.cache import cache

    cache.clear()
    for _ in range(12):
        response = client.post(
            reverse("account_login"), {"login": "nfp@senegal.example", "password": "wrong"}
        )

    assert response.status_code == 429 or "Too many failed login attempts" in response.text
    cache.clear()


def test_passwords_are_hashed_with_argon2(db, settings):
    from rabat_portal import settings as production

    # The tests hash with MD5 (tests/conftest.py): put the portal's own hashers back.
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = UserFactory()

    assert user.password.startswith("argon2")


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client, db):
    from django.contrib.auth.models import Group

    from rabat_portal.secretariat import grant_secretariat_permissions

    grant_secretariat_permissions()
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Secretariat"))
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_login_is_allauth_s(client, db):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_profile_keeps_language_and_digest_preferences(client, senegal_focal_point):
    client.force_login(senegal_focal_point)

    response = client.post(
        reverse("focalpoints:profile"),
        {
            "first_name": "Aminata",
            "last_name": "Diop",
            "phone": "+221 33 000 00 00",
            "language": "fr",
            "digest_frequency": "daily",
            "notifications": "digest",
        },
    )

    senegal_focal_point.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/fr/private/profile/", "the portal now speaks French"
    assert (senegal_focal_point.language, senegal_focal_point.digest_frequency) == ("fr", "daily")


def test_after_logging_in_the_portal_speaks_the_profile_s_language(client, senegal_focal_point):
    senegal_focal_point.language = "fr"
    senegal_focal_point.save()

    response = client.post(
        "/en/accounts/login/",
        {"login": "nfp@senegal.example", "password": "correct horse battery staple"},
    )

    assert response["Location"] == "/fr/private/"
    client.logout()
    back = client.post(
        "/en/accounts/login/?next=/en/private/labelling/",
        {"login": "nfp@senegal.example", "password": "correct horse battery staple"},
    )
    assert back["Location"] == "/fr/private/labelling/", "the page asked for, in French"


def test_a_forgotten_password_is_reset_by_e_mail(client, senegal_focal_point):
    response = client.post(reverse("account_reset_password"), {"email": "nfp@senegal.example"})

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nfp@senegal.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_sessions_end_after_two_hours_without_activity(client, settings, senegal_focal_point):
    # Sessions alone in the database: where Redis also keeps them, its expiry runs in real
    # time, which the travel below does not move.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(senegal_focal_point)
        assert client.get("/en/private/").status_code == 200
        # Active an hour later: the two hours count again from then.
        traveller.shift(datetime.timedelta(hours=1))
        assert client.get("/en/private/").status_code == 200
        assert _session_expiry(client) == start + datetime.timedelta(hours=3)
        traveller.shift(datetime.timedelta(hours=2, seconds=1))

        response = client.get("/en/private/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_an_active_session_is_written_at_most_once_a_minute(client, senegal_focal_point):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(senegal_focal_point)
        written = _session_expiry(client)
        first = client.get("/en/private/")
        traveller.shift(datetime.timedelta(seconds=30))
        again = client.get("/en/private/")
        unchanged = _session_expiry(client)
        traveller.shift(datetime.timedelta(seconds=31))
        later = client.get("/en/private/")

    assert "sessionid" not in first.cookies, "signing in has just written it"
    assert "sessionid" not in again.cookies, "no write, and no new cookie, within the minute"
    assert unchanged == written == start + datetime.timedelta(hours=2)
    assert "sessionid" in later.cookies
    assert _session_expiry(client) == start + datetime.timedelta(seconds=61, hours=2)


def test_an_anonymous_visit_creates_no_session(client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_inviting_a_second_national_focal_point_warns_and_names_the_first(
    client, django_capture_on_commit_callbacks, secretariat, senegal, senegal_focal_point
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:focalpoints_invitation_add"),
            {
                "email": "new-nfp@senegal.example",
                "partner": senegal.pk,
                "role": "focal_point",
                "language": "en",
            },
            follow=True,
        )

    assert "already has a National Focal Point: Aminata Diop" in response.text
    assert mail.outbox[-1].to == ["new-nfp@senegal.example"]
