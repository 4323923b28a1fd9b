"""The signed-in account and its membership, kept per session and content version rather than
read on every request: a person's next request still sees every change made to them, by the
Secretariat, by themselves elsewhere, or by a signed link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digests.services import unsubscribe_token
from focalpoints.models import Membership, User
from tests.clients import PortalClient

pytestmark = pytest.mark.django_db


def tables_read(client, url):
    """The status of ``url`` for ``client`` and the tables its request queried."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, " ".join(query["sql"] for query in queries)


def sent_to_login(response):
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_page_seen_again_reads_neither_the_account_nor_its_membership(
    client, senegal_focal_point
):
    client.force_login(senegal_focal_point)
    status, first = tables_read(client, "/en/private/")
    assert status == 200 and '"focalpoints_user"' in first

    status, again = tables_read(client, "/en/private/documents/")

    assert status == 200
    assert '"focalpoints_user"' not in again and '"focalpoints_membership"' not in again


def test_an_account_deactivated_is_signed_out_at_its_next_request(client, senegal_focal_point):
    client.force_login(senegal_focal_point)
    assert client.get("/en/private/").status_code == 200

    senegal_focal_point.is_active = False
    senegal_focal_point.save()

    assert sent_to_login(client.get("/en/private/"))


def test_a_password_changed_in_another_session_ends_this_one(client, senegal_focal_point):
    client.force_login(senegal_focal_point)
    assert client.get("/en/private/").status_code == 200

    # As a password reset from the e-mailed link saves it, in another browser.
    account = User.objects.get(pk=senegal_focal_point.pk)
    account.set_password("a new passphrase, long enough")
    account.save()

    assert sent_to_login(client.get("/en/private/"))


def test_a_membership_suspended_closes_the_private_area_at_once(client, senegal_focal_point):
    client.force_login(senegal_focal_point)
    assert client.get("/en/private/documents/").status_code == 200

    Membership.objects.filter(user=senegal_focal_point).get().delete()

    assert client.get("/en/private/documents/").status_code == 403


def test_a_membership_moved_to_another_partner_shows_that_partner(
    client, senegal_focal_point, spain
):
    client.force_login(senegal_focal_point)
    assert "Senegal" in client.get("/en/private/").text

    membership = Membership.objects.get(user=senegal_focal_point)
    membership.partner = spain
    membership.save()

    page = client.get("/en/private/").text
    assert "Spain" in page and "Senegal" not in page


def test_a_digest_turned_off_by_its_link_shows_on_the_profile(client, senegal_focal_point):
    senegal_focal_point.digest_frequency = User.DigestFrequency.WEEKLY
    senegal_focal_point.save()
    client.force_login(senegal_focal_point)
    profile = client.get("/en/private/profile/")
    assert profile.context["form"].initial["digest_frequency"] == User.DigestFrequency.WEEKLY

    # From the digest, in the mail client: no session.
    link = reverse("digest-unsubscribe", kwargs={"token": unsubscribe_token(senegal_focal_point)})
    assert PortalClient().post(link).status_code == 200

    profile = client.get("/en/private/profile/")
    assert profile.context["form"].initial["digest_frequency"] == User.DigestFrequency.OFF


def test_another_person_signing_in_on_the_same_browser_is_themselves(
    client, senegal_focal_point, spain_focal_point
):
    client.force_login(senegal_focal_point)
    assert client.get("/en/private/").context["user"] == senegal_focal_point
    client.post(reverse("account_logout"))

    client.force_login(spain_focal_point)

    assert client.get("/en/private/").context["user"] == spain_focal_point


def test_a_signed_out_session_is_anonymous_again(client, senegal_focal_point):
    client.force_login(senegal_focal_point)
    assert client.get("/en/private/").status_code == 200

    client.post(reverse("account_logout"))

    assert sent_to_login(client.get("/en/private/"))


def test_the_private_menu_links_to_the_pages_in_the_language_of_the_page(
    client, senegal_focal_point
):
    client.force_login(senegal_focal_point)
    english = client.get("/en/private/").context["private_links"]()
    french = client.get("/fr/private/").context["private_links"]()

    assert all(url.startswith("/en/") for _, url, _ in english)
    in_french = [url.replace("/en/", "/fr/", 1) for _, url, _ in english]
    assert [url for _, url, _ in french] == in_french
    assert [current for *_, current in french] == [url == "/fr/private/" for _, url, _ in french]
