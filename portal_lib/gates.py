"""The gate of the private area's views, and the second factor that staff sessions must pass.

Which people a view is for is a predicate of a permissions module, passed to ``private``; this
module only knows how to turn a refusal into the right answer.
"""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def private(predicate):
    """Views of the private area: anonymous visitors log in first; others need ``predicate``,
    and staff whose session has not passed the second factor are sent to that step."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                if awaits_second_factor(request.user):
                    return second_factor_step(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def second_factor_step(request):
    """Send a staff member whose session has not passed the second factor to that step: set up
    an authenticator, or enter a code from it and come back to the page they asked for."""
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            _("Set up two-factor authentication before you use the Secretariat's pages."),
        )
        return redirect("mfa_activate_totp")
    messages.info(
        request,
        _("The Secretariat's pages need your second factor: enter a code from your app."),
    )
    back = QueryDict(mutable=True)
    back[REDIRECT_FIELD_NAME] = request.get_full_path()
    return redirect(f"{reverse('mfa_reauthenticate')}?{back.urlencode(safe='/')}")


def awaits_second_factor(user):
    """``user`` is a staff account signed in to the current request, and this session has not
    passed the second factor (an authenticator's code, at login or since). Staff powers wait for
    that step; gates send the person to it."""
    from allauth.core import context

    request = context.request
    if request is None or not user.is_authenticated or not user.is_staff:
        return False
    signed_in = getattr(request, "user", None)
    if signed_in is None or signed_in.pk != user.pk:
        return False
    return not passed_second_factor(request)


def passed_second_factor(request):
    """Whether the session of ``request`` passed the second factor: allauth records each step
    of a login (and of a confirmation since) in the session, for its account only."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
