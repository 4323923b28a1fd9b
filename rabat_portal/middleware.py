"""Two-factor authentication is required of staff before they use the admin."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    """Send a signed-in staff member without two-factor authentication to set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(reverse("admin:index"))
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _("Set up two-factor authentication before you use the Secretariat's admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
