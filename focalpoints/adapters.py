from allauth.account.adapter import DefaultAccountAdapter
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

    def get_client_ip(self, request):
        """The address allauth counts attempts by (login, password reset): the client's,
        through the trusted proxies (``portal_lib.client_ip``), not the proxy's."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
