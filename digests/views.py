from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from digests import services as digests
from focalpoints.models import User
from portal_lib import page_cache


# A page for one person, found by the secret in its address: kept by no cache.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """Turn a member's digest off from the link in the digest, without logging in.

    The signed token is the credential. GET shows a confirmation button (mail scanners follow
    links; they must not unsubscribe anyone); POST, from that button or from the mail client's
    one-click unsubscribe (RFC 8058, which sends no CSRF token), turns the digest off.
    """
    user = digests.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "digests/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done and user.digest_frequency != User.DigestFrequency.OFF:
        User.objects.filter(pk=user.pk).update(digest_frequency=User.DigestFrequency.OFF)
        # Written without signals: the signed-in pages keep accounts by content version.
        page_cache.content_changed()
    return render(request, "digests/unsubscribe.html", {"person": user, "done": done})
