"""The fixed cast of the tests and the rules every test run follows."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

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


def _redis_database_per_worker():
    """Under pytest-xdist, each worker gets a Redis database of its own (15, 14, …) for its cache,
    Celery broker and results: workers flush their cache, keep rate limits and digest marks in
    it, and run Celery workers on its queue, none of which may leak into another worker's tests."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = settings.REDIS_URL
    if not (worker.startswith("gw") and url):
        return
    own = urlsplit(url)._replace(path=f"/{15 - int(worker[2:])}").geturl()
    os.environ["REDIS_URL"] = own
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = own
    settings.CACHES["default"]["LOCATION"] = own
    from rabat_portal.celery import app

    app.conf.update(broker_url=own, result_backend=own)


_redis_database_per_worker()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with a content version of its own (a page kept by an earlier test,
    whose rows were rolled back without a signal, is then out of reach) and an empty cache of
    the process's own fragments."""
    from django.core.cache import caches

    from portal_lib import page_cache

    page_cache.content_changed()
    # The header's fragments depend on settings a test may change (SITE_URL).
    caches["local"].clear()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """MD5 instead of Argon2, as Django's documentation advises for tests: the cast and the
    factories hash hundreds of passwords, each a quarter of a second with Argon2.
    ``test_passwords_are_hashed_with_argon2`` puts the production hashers back."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _transactional(item):
    """Whether pytest-django runs ``item`` as a TransactionTestCase: real commits, then a flush."""
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    )
    return bool(flagged) or bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or "db" in item.fixturenames


def _wants_shared_seed(item):
    return "seeded" in item.fixturenames and not _transactional(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (plain database tests, transactional ones, the rest), the
    tests on the seed come last among the plain database tests, one run, so that each worker
    loads the seed once (see ``SharedSeed``)."""

    def order(item):
        kind = 1 if _transactional(item) else 0 if _uses_database(item) else 2
        return kind, _wants_shared_seed(item)

    items.sort(key=order)


class SharedSeed:
    """The seed loaded once in a transaction that stays open while the tests on it run, each
    in a savepoint of its own (pytest-django's test atomics nest inside), and rolled back when
    a test that needs the bare database comes, or at the end of the run."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    @property
    def loaded(self):
        return self.atomic is not None

    def load(self):
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            call_command("bootstrap", verbosity=0)

    def unload(self):
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_shared_seed = None


@pytest.fixture(scope="session")
def shared_seed(django_db_setup, django_db_blocker):
    """The run's ``SharedSeed``: its teardown, after the last test's, rolls the seed back
    before the test database is destroyed."""
    global _shared_seed
    _shared_seed = SharedSeed(django_db_blocker)
    yield _shared_seed
    _shared_seed.unload()
    _shared_seed = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Roll the shared seed back before a test that does not want it sets up any fixture: a
    session fixture such as Playwright's starts an event loop, after which this thread's
    database connection is looked up in another context and the seed's could not be reached."""
    if _shared_seed is not None and not _wants_shared_seed(item):
        _shared_seed.unload()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Load the shared seed just before pytest-django opens a test's transaction (its
    ``_django_db_helper`` fixture, which every database test sets up first)."""
    if fixturedef.argname == "_django_db_helper" and _wants_shared_seed(request.node):
        seed = request.getfixturevalue("shared_seed")
        if not seed.loaded:
            seed.load()


@pytest.fixture
def client():
    """Django's test client, whose ``force_login`` passes the second factor too."""
    from tests.clients import PortalClient

    return PortalClient()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test on the shared seed must leave its transaction open: name the one that did not."""
    result = yield
    if _shared_seed is not None and _shared_seed.loaded:
        from django.db import connection

        if not connection.in_atomic_block:
            _shared_seed.atomic = None
            raise RuntimeError(f"{item.nodeid} ended the shared seed's transaction")
    return result


@pytest.fixture
def seeded(db):
    """The Dialogue as the report describes it, loaded by ``manage.py bootstrap``: shared by the
    plain database tests (loaded once, rolled back after them), loaded afresh for a
    transactional test, whose commits are flushed after it."""
    if _shared_seed is None or not _shared_seed.loaded:
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


@pytest.fixture
def smtp(settings):
    """The mail server, controlled by the test (``tests.mail_backends``): ``smtp.down = True``
    is an outage. Notifications are retried twice, at once (Celery runs them eagerly)."""
    from tests.mail_backends import ControlledBackend

    settings.EMAIL_BACKEND = "tests.mail_backends.ControlledBackend"
    settings.NOTIFICATION_MAX_RETRIES = 2
    settings.NOTIFICATION_RETRY_DELAY = 0
    ControlledBackend.down, ControlledBackend.opened = False, 0
    yield ControlledBackend
    ControlledBackend.down = False
