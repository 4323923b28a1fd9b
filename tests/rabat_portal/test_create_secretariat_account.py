"""create_secretariat_account: the first Secretariat account of a new installation."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from focalpoints.models import Membership, User
from focalpoints.permissions import SECRETARIAT_GROUP

pytestmark = pytest.mark.django_db
PASSWORD = "Dakar-Madrid-2019-roadmap"


def create(*args, answers=(), monkeypatch=None):
    if monkeypatch is not None:
        replies = iter(answers)
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(replies))
    out = StringIO()
    call_command("create_secretariat_account", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_with_a_password_the_account_logs_in_and_is_sent_to_set_up_two_factors(client, monkeypatch):
    output = create(
        "head@icmpd.example", "--superuser", answers=[PASSWORD, PASSWORD], monkeypatch=monkeypatch
    )

    user = User.objects.get(email="head@icmpd.example")
    assert user.is_staff and user.is_superuser and user.is_active
    assert user.groups.filter(name=SECRETARIAT_GROUP).exists()
    assert "Created the Secretariat superuser head@icmpd.example" in output
    assert "two-factor authentication" in output
    response = client.post(
        reverse("account_login"), {"login": "head@icmpd.example", "password": PASSWORD}
    )
    assert response.status_code == 302, "the address is verified: no confirmation step"
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def test_without_input_the_owner_sets_the_password_through_a_reset_e_mail(client):
    output = create("officer@icmpd.example", "--no-input")

    user = User.objects.get(email="officer@icmpd.example")
    assert not user.has_usable_password()
    assert not user.is_superuser
    assert EmailAddress.objects.get(user=user).verified
    assert "/en/accounts/password/reset/" in output
    client.post(reverse("account_reset_password"), {"email": "officer@icmpd.example"})
    assert [message.to for message in mail.outbox] == [["officer@icmpd.example"]]


def test_a_password_refused_three_times_creates_nothing(monkeypatch):
    with pytest.raises(CommandError, match="No password set"):
        create(
            "officer@icmpd.example",
            answers=["short", "short", PASSWORD, "typo", "password", "password"],
            monkeypatch=monkeypatch,
        )

    assert not User.objects.filter(email="officer@icmpd.example").exists()


def test_an_existing_account_joins_the_secretariat_and_keeps_its_password(senegal_focal_point):
    senegal_focal_point.set_password(PASSWORD)
    senegal_focal_point.save()

    output = create("NFP@senegal.example", "--no-input")

    senegal_focal_point.refresh_from_db()
    assert "Updated the Secretariat account nfp@senegal.example" in output
    assert senegal_focal_point.is_staff
    assert senegal_focal_point.groups.filter(name=SECRETARIAT_GROUP).exists()
    assert senegal_focal_point.check_password(PASSWORD)
    assert Membership.objects.filter(user=senegal_focal_point).exists()


def test_an_address_that_is_not_one_is_refused():
    with pytest.raises(CommandError, match="not an e-mail address"):
        create("secretariat", "--no-input")

    assert not User.objects.exists()
