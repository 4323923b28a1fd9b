"""Accounts in the admin: nobody changes an account with more rights than their own."""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse

from focalpoints import services
from focalpoints.models import Invitation, Membership, User
from rabat_portal.secretariat import create_secretariat_account
from tests.conftest import with_totp
from tests.focalpoints.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


class _FormFields(HTMLParser):
    """The values a browser would send back from the page's form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if name and "__prefix__" in name:  # the template of an inline's extra row
            return
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def change_form(client, account):
    """The account's change form, as its page would send it back unchanged."""
    page = client.get(reverse("admin:focalpoints_user_change", args=[account.pk]))
    parser = _FormFields()
    parser.feed(page.text)
    return parser.data


@pytest.fixture
def superuser(db):
    """A superuser made by ``create_secretariat_account --superuser --no-input``: no password,
    no authenticator yet."""
    return create_secretariat_account("head@icmpd.example", superuser=True)[0]


@pytest.fixture
def powerful_staff(secretariat):
    """A Secretariat member who also holds a right the Secretariat group does not have."""
    account = UserFactory(email="powerful@icmpd.example", is_staff=True)
    account.groups.set(secretariat.groups.all())
    account.user_permissions.add(Permission.objects.get(codename="change_group"))
    return account


def test_a_secretariat_member_cannot_set_a_superusers_password(client, secretariat, superuser):
    client.force_login(secretariat)
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])

    page = client.get(url)
    sent = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    superuser.refresh_from_db()
    assert (page.status_code, sent.status_code) == (403, 403)
    assert not superuser.has_usable_password()


def test_a_secretariat_member_cannot_change_a_superusers_e_mail_or_disable_it(
    client, superuser, secretariat
):
    client.force_login(with_totp(superuser))
    data = change_form(client, superuser)
    client.force_login(secretariat)

    page = client.get(reverse("admin:focalpoints_user_change", args=[superuser.pk]))
    changed = client.post(
        reverse("admin:focalpoints_user_change", args=[superuser.pk]),
        {**data, "email": "attacker@example.org"},
    )
    data.pop("is_active")
    disabled = client.post(reverse("admin:focalpoints_user_change", args=[superuser.pk]), data)

    superuser.refresh_from_db()
    assert page.status_code == 200 and 'name="email"' not in page.text, "shown, read only"
    assert (changed.status_code, disabled.status_code) == (403, 403)
    assert superuser.email == "head@icmpd.example" and superuser.is_active


def test_a_secretariat_member_cannot_delete_a_superuser_alone_or_in_a_bulk_action(
    client, secretariat, superuser
):
    # Without records of apps the Secretariat has no rights on, nothing else stops the deletion.
    EmailAddress.objects.filter(user=superuser).delete()
    client.force_login(secretariat)

    alone = client.post(
        reverse("admin:focalpoints_user_delete", args=[superuser.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:focalpoints_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )

    assert alone.status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_secretariat_member_cannot_change_an_account_with_more_rights(
    client, secretariat, powerful_staff
):
    client.force_login(secretariat)
    url = reverse("admin:auth_user_password_change", args=[powerful_staff.pk])

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 403
    assert not powerful_staff.__class__.objects.get(pk=powerful_staff.pk).check_password(PASSWORD)


def test_a_secretariat_member_still_changes_a_members_account(
    client, secretariat, senegal_focal_point
):
    client.force_login(secretariat)
    data = change_form(client, senegal_focal_point)

    response = client.post(
        reverse("admin:focalpoints_user_change", args=[senegal_focal_point.pk]),
        {**data, "phone": "+221 33 000 00 00"},
    )

    senegal_focal_point.refresh_from_db()
    assert response.status_code == 302
    assert senegal_focal_point.phone == "+221 33 000 00 00"


def test_a_superuser_changes_another_superuser(client, superuser):
    other = with_totp(create_secretariat_account("deputy@icmpd.example", superuser=True)[0])
    client.force_login(other)
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    superuser.refresh_from_db()
    assert response.status_code == 302
    assert superuser.check_password(PASSWORD)


def test_nor_through_a_superusers_e_mail_addresses_or_authenticators(
    client, secretariat, superuser
):
    """Should someone be given rights on allauth's records, they still cannot reach those of
    an account they may not change: adding an address of theirs to a superuser would let them
    reset its password."""
    secretariat.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["account", "mfa"],
            codename__regex=r"^(add|change|delete|view)_(emailaddress|authenticator)$",
        )
    )
    with_totp(superuser)
    address = EmailAddress.objects.get(user=superuser)
    authenticator = Authenticator.objects.get(user=superuser)
    client.force_login(secretariat)

    changed = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"user": superuser.pk, "email": "attacker@example.org", "verified": "on", "primary": "on"},
    )
    added = client.post(
        reverse("admin:account_emailaddress_add"),
        {"user": superuser.pk, "email": "attacker@example.org", "verified": "on"},
    )
    deleted = client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )

    assert changed.status_code == 403 and deleted.status_code == 403
    assert added.status_code == 200, "the form refuses the account"
    assert list(EmailAddress.objects.filter(user=superuser).values_list("email", flat=True)) == [
        "head@icmpd.example"
    ]
    assert Authenticator.objects.filter(user=superuser).exists()


def test_who_may_manage_which_account(secretariat, superuser, powerful_staff, senegal_staff):
    from focalpoints.permissions import can_manage_account

    assert can_manage_account(superuser, powerful_staff)
    assert can_manage_account(superuser, superuser)
    assert can_manage_account(secretariat, senegal_staff)
    assert can_manage_account(secretariat, secretariat)
    assert not can_manage_account(secretariat, superuser)
    assert not can_manage_account(secretariat, powerful_staff)
    assert not can_manage_account(senegal_staff, secretariat), "a member is not staff"
    powerful_staff.is_active = False
    assert not can_manage_account(secretariat, powerful_staff), "disabled, it keeps its rights"


@pytest.fixture
def invited_member(django_capture_on_commit_callbacks, senegal_staff, spain, secretariat):
    """Senegal's staff member, invited again to work for Spain: the link waits for an answer."""
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            email=senegal_staff.email,
            partner=spain,
            role=Membership.Role.FOCAL_POINT,
            invited_by=secretariat,
        )
    return senegal_staff


def test_disabling_an_account_in_its_form_revokes_its_pending_invitations(
    client, secretariat, invited_member
):
    client.force_login(secretariat)
    data = change_form(client, invited_member)
    data.pop("is_active")

    response = client.post(reverse("admin:focalpoints_user_change", args=[invited_member.pk]), data)

    invited_member.refresh_from_db()
    assert response.status_code == 302 and not invited_member.is_active
    assert Invitation.objects.get().state == Invitation.State.REVOKED


def test_the_bulk_action_disables_the_accounts_it_may_and_revokes_their_invitations(
    client, secretariat, invited_member, superuser
):
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:focalpoints_user_changelist"),
        {"action": "disable_accounts", "_selected_action": [invited_member.pk, superuser.pk]},
        follow=True,
    )

    assert not User.objects.get(pk=invited_member.pk).is_active
    assert User.objects.get(pk=superuser.pk).is_active
    assert Invitation.objects.get().state == Invitation.State.REVOKED
    assert "head@icmpd.example: you may not change this account." in response.text.lower()


def test_disabling_an_account_anywhere_revokes_its_pending_invitations(invited_member):
    invited_member.is_active = False
    invited_member.save()

    assert Invitation.objects.get().state == Invitation.State.REVOKED


def test_sending_an_invitation_again_to_a_disabled_account_says_why(
    client, secretariat, invited_member
):
    invited_member.is_active = False
    invited_member.save()
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:focalpoints_invitation_changelist"),
        {"action": "send_again", "_selected_action": [Invitation.objects.get().pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "this account is disabled: enable it before inviting its owner." in (
        response.text.lower()
    )
    assert Invitation.objects.count() == 1
