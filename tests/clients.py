"""The tests' web client: ``force_login`` stands for a whole login, second factor included."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest
from django.test import Client


class PortalClient(Client):
    """A client whose ``force_login`` ends as allauth's login would: someone with an
    authenticator also entered its code, unless ``second_factor=False`` (a session that has
    not passed that step)."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor and is_mfa_enabled(user):
            request = HttpRequest()
            request.session = self.session
            record_authentication(request, user, "mfa", type="totp")
            request.session.save()
