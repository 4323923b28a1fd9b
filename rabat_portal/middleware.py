"""Rules every request goes through: what a query string may hold, how large an upload may be,
who may keep a copy of a page, and two-factor authentication for staff before the admin."""

import re
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.core.cache import caches
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from portal_lib import page_cache, uploads
from portal_lib.gates import awaits_second_factor, second_factor_step

# C0 controls and DEL, but for tab and line breaks, which a pasted search may carry and which
# every filter reads as spaces.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryStringGuardMiddleware:
    """Refuse, with the 400 page, a query string with a control character in a parameter's
    name or value.

    No link or form of the portal sends one, and PostgreSQL refuses a NUL in any text it is
    given: every filter that reads the query string (django-filter's, the admin's list filters,
    date drill-down and search, a view's own reading of ``request.GET``) would otherwise turn it
    into a server error. One check here covers them all, including filters added later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if any(CONTROL_CHARACTERS.search(text) for text in (name, *values)):
                raise BadRequest("A control character in the query string.")
        return self.get_response(request)


class UploadSizeMiddleware:
    """Refuse (413) a request to a view that declares how many files its form takes
    (``uploads.accepts_files``) when its Content-Length is more than they can need, before its
    body is read: none of it reaches memory or disk. Listed before ``CsrfViewMiddleware``,
    whose check reads the body. Files past the limit in other requests are cut off as they
    arrive (``uploads.LimitedUploadHandler``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        files = getattr(view_func, "max_upload_files", None)
        if files is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django reads no body then
        if length <= uploads.request_size_limit(files):
            return None
        return render(request, "413.html", {"limit": uploads.max_upload_size()}, status=413)


class SessionActivityMiddleware:
    """Keep a session alive while it is used, writing it at most once a
    ``SESSION_REFRESH_SECONDS``: a session then ends ``SESSION_COOKIE_AGE`` after its last
    activity, give or take that interval.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` gives the same idle timeout to the second, but at
    the price of a database write (and a new cookie) on every page a signed-in person opens,
    which under load cost more than many of the pages themselves. Listed just after
    ``SessionMiddleware``, so that the session it marks modified is saved on the way out.
    """

    KEY = "_refreshed_at"

    @classmethod
    def mark_login(cls, sender, request, user, **kwargs):
        """On ``user_logged_in``: signing in is activity, and saves the session anyway, so the
        first page after it need not write the session again."""
        if hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a cookie there is no session to keep alive, and none must be created for it.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        session = request.session
        # Empty: signed out during this request, or a cookie naming an expired session.
        if session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response


class SignedInNoStoreMiddleware:
    """Mark every response to a signed-in person ``Cache-Control: private, no-store``, unless
    the view declared it ``public``.

    Their pages name them and show what their role opens (restricted documents, drafts, the
    admin): neither a shared cache nor the browser's disk may keep them, where the next person
    at a shared computer would find them with the back button.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a session cookie nobody is signed in: the session is not read, so the
        # public pages of anonymous visitors do not vary on cookies.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        if "public" in response.get("Cache-Control", "") or not request.user.is_authenticated:
            return response
        patch_cache_control(response, private=True, no_store=True)
        return response


class StaffTwoFactorMiddleware:
    """Send a signed-in staff member whose session has not passed the second factor to that
    step (setting up an authenticator, or entering its code) before the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and awaits_second_factor(request.user):
            return second_factor_step(request)
        return self.get_response(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, which reads the signed-in account from the
    database on every request: here it is read once per session and content version, and
    kept in the process's memory.

    A session's key names one account for its whole life (signing in and out give a new
    key), and any save of an account moves the content version on (``page_cache``): a new
    password, a deactivation or a new role show on the next request, as before. The account,
    with its password's hash, never leaves the process. Its read was a fifth of a private page.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))


def signed_in_user(request):
    """``django.contrib.auth.get_user(request)``, kept as the class above says."""
    if hasattr(request, "_cached_user"):
        return request._cached_user
    # Read first: a cookie naming an ended session leaves no key once the session is loaded.
    signed_in = request.session.get(auth.SESSION_KEY) is not None
    session_key = request.session.session_key
    if not signed_in or session_key is None:
        request._cached_user = auth.get_user(request)
        return request._cached_user
    local = caches["local"]
    key = page_cache.versioned(f"signed-in:{session_key}")
    user = local.get(key)
    if user is None:
        user = auth.get_user(request)
        # A refusal (the password changed since) flushed the session: nothing to keep.
        if user.is_authenticated:
            local.set(key, user, page_cache.DEFAULT_TIMEOUT)
    request._cached_user = user
    return user
