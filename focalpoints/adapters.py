import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from django.core.exceptions import PermissionDenied
from django.urls import translate_url

from portal_lib.client_ip import client_ip


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up: the Secretariat invites each person (see ``focalpoints.services``)."""

    def is_open_for_signup(self, request):
        return False

    def post_login(self, request, user, **kwargs):
        """After login, the page asked for (the private area by default) in the language the
        person chose in their profile."""
        response = super().post_login(request, user, **kwargs)
        if response.has_header("Location"):
            response["Location"] = translate_url(response["Location"], user.language)
        return response

    def is_reauthentication_required(self, *, app, **kwargs):
        """A sensitive step (setting up two-factor authentication) asks for the password again
        unless the person gave it within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``, at login as well
        as at an earlier confirmation: allauth counts only the latter, so staff were asked for
        the password twice in a row on their way to the admin."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        recent = [record["at"] for record in records if record.get("method") == "password"]
        return not recent or time.time() - recent[-1] >= account_settings.REAUTHENTICATION_TIMEOUT

    def get_client_ip(self, request):
        """The address allauth counts attempts by (login, password reset): the client's,
        through the trusted proxies (``portal_lib.client_ip``), not the proxy's."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
