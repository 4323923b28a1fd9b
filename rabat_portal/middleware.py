"""Two-factor authentication is required of staff before they use the admin."""

from django.urls import reverse

from focalpoints import permissions
from focalpoints.views import second_factor_step


class StaffTwoFactorMiddleware:
    """Send a signed-in staff member whose session has not passed the second factor to that
    step (setting up an authenticator, or entering its code) before the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and permissions.awaits_second_factor(
            request.user
        ):
            return second_factor_step(request)
        return self.get_response(request)
