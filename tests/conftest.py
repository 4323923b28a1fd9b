"""The fixed cast of the tests and the rules every test run follows."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from focalpoints.models import Membership
from rabat_portal.secretariat import SECRETARIAT_GROUP, grant_secretariat_permissions
from tests.focalpoints.factories import MembershipFactory, PartnerFactory, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails: CI must run what needs Chromium, PostgreSQL or Redis."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which must run every test: {reason}"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to a French page leaves French active
    in the test's thread, and the next test would read French messages."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def client():
    """Django's test client, whose ``force_login`` passes the second factor too."""
    from tests.clients import PortalClient

    return PortalClient()


@pytest.fixture
def seeded(db):
    """The Dialogue as the report describes it, loaded by ``manage.py bootstrap``."""
    call_command("bootstrap", verbosity=0)


def with_totp(user):
    """Give ``user`` a TOTP authenticator, as if they had set up two-factor authentication."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def secretariat(db):
    """A Secretariat staff member with two-factor authentication: staff, in the Secretariat
    group, not a superuser."""
    from django.contrib.auth.models import Group

    grant_secretariat_permissions()
    user = UserFactory(email="secretariat@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return with_totp(user)


@pytest.fixture
def staff_without_group(db):
    """A staff account that belongs to no group: it may log into the admin and see nothing."""
    return with_totp(UserFactory(email="staff@example.org", is_staff=True))


@pytest.fixture
def senegal(db):
    return PartnerFactory(slug="senegal", name="Senegal", iso_code="SN")


@pytest.fixture
def spain(db):
    from focalpoints.models import Region

    return PartnerFactory(slug="spain", name="Spain", iso_code="ES", region=Region.EUROPE)


@pytest.fixture
def senegal_focal_point(senegal):
    """Senegal's National Focal Point."""
    return MembershipFactory(
        user=UserFactory(email="nfp@senegal.example", first_name="Aminata", last_name="Diop"),
        partner=senegal,
        role=Membership.Role.FOCAL_POINT,
    ).user


@pytest.fixture
def senegal_staff(senegal):
    """A member of Senegal's staff: may submit, not answer consultations or see the directory."""
    return MembershipFactory(
        user=UserFactory(email="staff@senegal.example"), partner=senegal, role=Membership.Role.STAFF
    ).user


@pytest.fixture
def spain_focal_point(spain):
    return MembershipFactory(
        user=UserFactory(email="nfp@spain.example"), partner=spain, role=Membership.Role.FOCAL_POINT
    ).user


@pytest.fixture
def inactive_member(senegal):
    """A focal point whose membership the Secretariat suspended."""
    return MembershipFactory(
        user=UserFactory(email="former@senegal.example"), partner=senegal, is_active=False
    ).user


@pytest.fixture
def signed_in_user(db):
    """Someone with an account but no staff status."""
    return UserFactory(email="someone@example.org")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: Playwright's own browser download is not possible here."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never into the checkout."""
    folder = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = folder
    return folder
