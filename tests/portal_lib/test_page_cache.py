"""The anonymous page cache: visitors without a session get kept pages, which a change makes
out of date at once; signed-in people, forms and messages never go through it."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpRequest
from django.test import Client

from meetings.models import Document, Meeting
from portal_lib import page_cache
from tests.actionplan.factories import ActionFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def anonymous_get(url, **headers):
    return Client().get(url, headers=headers)


def test_an_anonymous_visitor_is_served_a_kept_page_without_a_query(
    django_assert_num_queries,
):
    MeetingFactory(title="Workshop on remittances")
    first = anonymous_get("/en/meetings/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = anonymous_get("/en/meetings/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Workshop on remittances" in again.content.decode()


def test_a_kept_page_tells_proxies_to_ask_again_and_to_vary_on_cookies():
    response = anonymous_get("/en/meetings/")
    assert "public" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_change_in_the_admin_shows_on_the_next_anonymous_request(
    secretariat, client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Workshop on remittances")
    for url in ("/en/meetings/", f"/en/meetings/{meeting.slug}/"):
        anonymous_get(url)
        response = anonymous_get(url)
        assert response["X-Page-Cache"] == "hit"
        assert "Workshop on remittances" in response.content.decode()
    client.force_login(secretariat)
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in (
            (field.html_name, field.value()) for field in form if field.value() is not None
        )
        if not isinstance(value, list)
    }
    data.update(
        {
            name: [str(item) for item in field.value()]
            for field in form
            for name in [field.html_name]
            if isinstance(field.value(), list)
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[field.html_name] = field.value()
    data["title_en"] = "Workshop on remittances and diaspora bonds"
    data["start_date"] = meeting.start_date.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    Meeting.objects.get(pk=meeting.pk, title_en="Workshop on remittances and diaspora bonds")
    for url in ("/en/meetings/", f"/en/meetings/{meeting.slug}/"):
        response = anonymous_get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Workshop on remittances and diaspora bonds" in response.content.decode()


def test_the_admin_publish_action_writes_past_the_signals_and_still_shows_at_once(
    secretariat, client
):
    document = DocumentFactory(title="Study on labour mobility", visibility="members")
    assert "Study on labour mobility" not in anonymous_get("/en/documents/").content.decode()
    client.force_login(secretariat)
    client.post(
        "/admin/meetings/document/",
        {"action": "publish", "_selected_action": [document.pk]},
    )
    assert Document.objects.public().filter(pk=document.pk).exists()
    assert "Study on labour mobility" in anonymous_get("/en/documents/").content.decode()


def test_a_many_to_many_change_makes_kept_pages_out_of_date():
    meeting = MeetingFactory()
    before = page_cache.content_version()
    meeting.actions.add(ActionFactory())
    assert page_cache.content_version() != before


def test_a_change_made_in_a_transaction_bumps_again_when_it_commits():
    MeetingFactory()
    MeetingFactory()
    # One bump waits for the commit, however many rows changed.
    waiting = [entry[1] for entry in connection.run_on_commit if entry[1] is page_cache._bump]
    assert len(waiting) == 1
    during = page_cache.content_version()
    waiting[0]()
    assert page_cache.content_version() != during


def test_a_signed_in_page_is_never_served_from_the_cache(senegal_focal_point, client):
    anonymous_get("/en/meetings/")
    assert anonymous_get("/en/meetings/")["X-Page-Cache"] == "hit"
    client.force_login(senegal_focal_point)
    for _ in range(2):
        response = client.get("/en/meetings/")
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert "Log out" in response.content.decode()
    # Nor kept for the next anonymous visitor.
    assert "Log out" not in anonymous_get("/en/meetings/").content.decode()


def test_someone_signing_in_leaves_the_kept_pages_in_place(senegal_focal_point, client):
    anonymous_get("/en/meetings/")
    last_login = senegal_focal_point.last_login

    client.force_login(senegal_focal_point)

    senegal_focal_point.refresh_from_db()
    assert senegal_focal_point.last_login != last_login
    assert anonymous_get("/en/meetings/")["X-Page-Cache"] == "hit"
    senegal_focal_point.first_name = "Awa"
    senegal_focal_point.save()  # any other change of an account still counts
    assert anonymous_get("/en/meetings/")["X-Page-Cache"] == "miss"


def test_english_and_french_pages_never_mix():
    english = anonymous_get("/en/meetings/")
    french = anonymous_get("/fr/meetings/")
    assert french["X-Page-Cache"] == "miss"
    assert '<html lang="fr"' in french.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="fr"' in anonymous_get("/fr/meetings/").content.decode()
    assert '<html lang="en"' in anonymous_get("/en/meetings/").content.decode()


def test_a_page_without_a_language_in_its_address_is_kept_per_language():
    english = anonymous_get("/robots.txt", **{"Accept-Language": "en"})
    french = anonymous_get("/robots.txt", **{"Accept-Language": "fr"})
    assert english["X-Page-Cache"] == french["X-Page-Cache"] == "miss"
    assert "Accept-Language" in english["Vary"]


def test_a_page_with_a_csrf_token_is_never_kept():
    for _ in range(2):
        response = anonymous_get("/en/accounts/login/")
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]


def test_a_page_showing_a_message_is_neither_served_from_nor_kept_in_the_cache():
    anonymous_get("/en/meetings/")
    storage = CookieStorage(HttpRequest())
    visitor = Client()
    visitor.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Your subscription is confirmed.")]
    )
    response = visitor.get("/en/meetings/")
    assert "X-Page-Cache" not in response
    assert "Your subscription is confirmed." in response.content.decode()
    assert "Your subscription is confirmed." not in anonymous_get("/en/meetings/").content.decode()


def test_a_value_kept_for_the_content_is_computed_again_after_a_change():
    calls = []

    def years():
        calls.append(1)
        return [2019]

    page_cache.cached_for_content("years", years)
    page_cache.cached_for_content("years", years)
    assert len(calls) == 1
    MeetingFactory()
    page_cache.cached_for_content("years", years)
    assert len(calls) == 2


def test_a_value_kept_for_the_content_is_read_from_the_process_first():
    calls = []

    def years():
        calls.append(1)
        return [2019]

    assert page_cache.cached_for_content("years", years) == [2019]
    # Gone from the shared cache (evicted), still in the process's own: not computed again.
    cache.delete(page_cache.versioned("years"))
    assert page_cache.cached_for_content("years", years) == [2019]
    assert len(calls) == 1
    # Kept in the shared cache by another process: this one reads it from there.
    caches["local"].clear()
    cache.set(page_cache.versioned("years"), [2020])
    assert page_cache.cached_for_content("years", years) == [2020]
    assert len(calls) == 1

    page_cache.content_changed()

    assert page_cache.cached_for_content("years", years) == [2019]
    assert len(calls) == 2


def test_a_page_found_by_a_secret_in_its_address_is_never_kept():
    from digests.services import unsubscribe_token
    from tests.focalpoints.factories import UserFactory

    url = f"/en/digest/unsubscribe/{unsubscribe_token(UserFactory())}/"
    for _ in range(2):
        response = anonymous_get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]


def test_a_request_with_credentials_in_its_headers_is_neither_served_nor_kept():
    anonymous_get("/en/meetings/")
    response = anonymous_get("/en/meetings/", Authorization="Token 0123456789abcdef")
    assert "X-Page-Cache" not in response
    assert anonymous_get("/en/meetings/")["X-Page-Cache"] == "hit"


def test_a_page_kept_yesterday_is_not_served_today(client, seeded):
    """Pages show what depends on the date (the plan in force, the next meetings)."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 0, tzinfo=datetime.UTC)):
        assert client.get("/en/")["X-Page-Cache"] == "miss"
        assert client.get("/en/")["X-Page-Cache"] == "hit"
    with time_machine.travel(datetime.datetime(2026, 12, 1, 23, 0, tzinfo=datetime.UTC)):
        assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_the_api_is_never_kept(client, seeded):
    """Its answers follow Accept-Language and ?lang, and every request counts for its limit."""
    for _request in range(2):
        assert "X-Page-Cache" not in client.get("/api/v1/meetings/")


def test_a_request_reads_the_content_version_once_and_sees_its_own_changes(rf):
    from django.core.cache import cache
    from django.http import HttpResponse

    seen = []

    def view(request):
        seen.append(page_cache.content_version())
        cache.set(page_cache.VERSION_KEY, "changed-by-another-process")
        seen.append(page_cache.content_version())  # still the request's own
        page_cache.content_changed()
        seen.append(page_cache.content_version())  # its own change moves it on
        return HttpResponse("ok")

    request = rf.post("/en/private/")
    request.LANGUAGE_CODE = "en"
    page_cache.AnonymousPageCacheMiddleware(view)(request)

    first, again, after_change = seen
    assert again == first and after_change != first
    assert after_change == page_cache.content_version()  # outside a request: read each time
    cache.set(page_cache.VERSION_KEY, "changed-by-another-process")
    assert page_cache.content_version() == "changed-by-another-process"
