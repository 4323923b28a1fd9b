"""The anonymous page cache, and the content version that keeps it from ever being stale.

Pages a visitor without a session receives are kept in the shared cache (Redis when REDIS_URL
is set, the process's memory otherwise), keyed by the content version, the language and the
URL. Any change to a record a public page may show bumps the version once its transaction
commits: every page kept before it is then out of reach at once, and left to expire.

What bumps the version:

- every save and delete (and many-to-many change) of a model of the apps named in
  ``settings.PAGE_CACHE_APPS`` (the apps whose records public pages show), through signals:
  a new model in one of them is covered without a line of code; a model of another app opts
  in with one line in its app's ``ready()``: ``page_cache.track(TheModel)``;
- code that writes without signals (``QuerySet.update()``, ``bulk_create``, raw SQL: admin
  actions, imports, ``bootstrap``) calls ``content_changed()`` itself;
- as a safety net, any request the admin accepts that is not a read (a form or an action,
  whatever it wrote).

The version is also the key of values computed from the content, such as a list's filter
choices (``cached_for_content``).
"""

import contextvars
import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "content-version"
# Messages waiting for the next page are kept in this cookie (or the session): such a visitor's
# next page shows them, so it is not taken from, nor given to, the cache.
MESSAGES_COOKIE = "messages"
# Kept pages and values, for this long at most (seconds); a change makes them unreachable
# sooner. Long enough for a crowd, short enough that obsolete versions free their memory.
DEFAULT_TIMEOUT = 600


# The version as a request read it first ("" until then; None outside a request): a page reads
# several kept values, each keyed by the version, and each read was a round trip to Redis. One
# request sees one version (a change it makes itself moves it on).
_version_of_request = contextvars.ContextVar("version_of_request", default=None)


def content_version():
    """The current content version: a token that changes whenever public content changes."""
    version = _version_of_request.get()
    if version:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or evicted: a new token, so nothing kept before can be reached.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    if version is not None and _version_of_request.get() is not None:
        _version_of_request.set(version)
    return version


def _bump():
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    if _version_of_request.get() is not None:
        _version_of_request.set(version)


def content_changed(using=None):
    """Mark public content as changed: every cached page and value is then out of date.

    Bumped at once, and again when the current transaction commits (once per transaction): a
    request that read the old rows while the transaction ran may have kept its page under the
    first bump, never under the second. Outside a transaction both happen at once.
    """
    _bump()
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    if any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump, using=using)


# Columns that no kept page or value shows, written often: an account's last login, saved at
# each sign-in, would otherwise make every kept page out of date whenever someone signs in (a
# ministerial conference's focal points, just as its visitors arrive).
UNSHOWN_FIELDS = frozenset({"last_login"})


def _changed(sender, using=None, update_fields=None, **kwargs):
    if update_fields and UNSHOWN_FIELDS.issuperset(update_fields):
        return
    content_changed(using)


def _m2m_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        content_changed(using)


_tracked = set()


def track(*models):
    """Bump the content version whenever a row of ``models`` (or of their many-to-many
    relations) is saved or deleted. For records that a public page shows."""
    for model in models:
        if model in _tracked:
            continue
        _tracked.add(model)
        uid = f"page_cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=uid, weak=False)


def track_apps(labels):
    """``track`` every model of the apps named by ``labels``."""
    for label in labels:
        track(*apps.get_app_config(label).get_models())


def versioned(key):
    """``key`` under the current content version: a value kept under it is out of reach once
    the content changes."""
    return f"content:{content_version()}:{key}"


def cached_for_content(key, compute, timeout=DEFAULT_TIMEOUT):
    """``compute()``, kept until public content changes (e.g. a filter's choice of years,
    which would otherwise scan a whole table on each request)."""
    key = versioned(key)
    # Read from the process's own cache first, then the shared one: under a version that has
    # moved on, a value is never read again, wherever it is kept, and a read from the process's
    # memory costs no round trip (a private page reads several such values).
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        local.set(key, value, timeout)
    return value


def content_key(*parts):
    """A key for a fragment computed from the content (a list's filter fields for a query):
    the content version, the active language and ``parts``; a change gives another key."""
    return ":".join([content_version(), get_language() or "", *(str(part) for part in parts)])


def _page_timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)


def _may_use_cache(request):
    """Whether the page for ``request`` may come from, or go to, the cache: a read by someone
    without a session (so not signed in), without credentials in its headers (an API token),
    with no message waiting, and not under ``PAGE_CACHE_EXCLUDED_PREFIXES``."""
    return (
        request.method == "GET"
        and _page_timeout() > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(
            tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ()))
        )
    )


def _may_keep(request, response):
    """Whether ``response`` is the same for every visitor, and so may be kept: a full page with
    no cookie set (no CSRF token, no session, no message), not marked private."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds a CSRF token: its own, not another visitor's
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage._queued_messages or getattr(storage, "_loaded_data", None)):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _key(request, version):
    """Content version, language, day and address: pages also show what depends on the date
    (the plan in force, upcoming meetings), so a page kept yesterday is not today's."""
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{version}:{request.LANGUAGE_CODE}:{timezone.localdate().isoformat()}:{url}"


class AnonymousPageCacheMiddleware:
    """Serve visitors without a session from the page cache, and keep what they are given.

    Listed after the language is chosen (the key holds it) and before the session, the CSRF
    token, the account and messages are looked at: a page served from the cache costs a cache
    read, not a rendering. A kept page is the same for everyone, so proxies may keep it too,
    but must ask again each time (``no-cache``: the portal answers 304 while it is unchanged),
    and must not give it to someone with a session cookie (``Vary: Cookie``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = _version_of_request.set("")
        try:
            return self._respond(request)
        finally:
            _version_of_request.reset(reading)

    def _respond(self, request):
        if not _may_use_cache(request):
            response = self.get_response(request)
            self._after_write(request, response)
            return response
        version = content_version()
        key = _key(request, version)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _may_keep(request, response):
            if "Cache-Control" not in response:
                patch_cache_control(response, public=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, response, _page_timeout())
            response["X-Page-Cache"] = "miss"
        elif "Cache-Control" not in response:
            # A page with this visitor's CSRF token, a message, or a cookie of theirs.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _after_write(request, response):
        """The admin's forms and actions may write in bulk, past the signals: whatever they
        wrote, a change the admin accepted makes every kept page out of date."""
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and request.path.startswith(getattr(settings, "PAGE_CACHE_ADMIN_PREFIX", "/admin/"))
        ):
            content_changed()
