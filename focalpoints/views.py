from html import escape

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from focalpoints import permissions, services
from focalpoints.forms import AcceptInvitationForm, ProfileForm
from focalpoints.models import Membership
from portal_lib.gates import private


# A page for one person, found by the secret in its address: kept by no cache.
@never_cache
def accept_invitation(request, token):
    """A new person chooses a password here; the owner of an existing account logs in first,
    then accepts (the link alone never opens an account)."""
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404("No such invitation.")
    state = invitation.state
    try:
        account = services.account_of(invitation) if state == invitation.State.PENDING else None
    except services.ActionRefused as refusal:
        return render(
            request,
            "focalpoints/accept_invitation.html",
            {"invitation": invitation, "state": state, "refusal": refusal},
        )
    if account is not None:
        return _accept_as_account(request, token, invitation, account)
    form = AcceptInvitationForm(
        request.POST or None,
        invitation=invitation,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if state == invitation.State.PENDING and request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("dashboard")
    return render(
        request,
        "focalpoints/accept_invitation.html",
        {"invitation": invitation, "state": state, "form": form},
    )


def _accept_as_account(request, token, invitation, account):
    is_owner = request.user.is_authenticated and request.user.pk == account.pk
    if is_owner and request.method == "POST":
        try:
            services.accept_invitation_as(token, request.user)
        except services.ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        messages.success(request, _("The invitation is accepted."))
        return redirect("dashboard")
    return render(
        request,
        "focalpoints/accept_invitation.html",
        {
            "invitation": invitation,
            "state": invitation.state,
            "account": account,
            "is_owner": is_owner,
        },
    )


def partner_panel(request):
    """The dashboard's panel of the person's partner and its focal points (the Secretariat's
    panel for the Secretariat)."""
    membership = permissions.active_membership(request.user)
    focal_points = []
    if membership:
        focal_points = (
            Membership.objects.active()
            .focal_points()
            .filter(partner=membership.partner)
            .select_related("user")
        )
    return {"membership": membership, "focal_points": focal_points}


@private(permissions.can_use_private_area)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect(translate_url(reverse("focalpoints:profile"), user.language))
    return render(request, "focalpoints/profile.html", {"form": form})


@private(permissions.can_see_focal_point_directory)
def directory(request):
    """The focal points and alternates of every partner, with how to reach them."""
    memberships = Membership.objects.active().focal_points().as_directory()
    return render(request, "focalpoints/directory.html", {"rows": _directory_rows(memberships)})


def _directory_rows(memberships):
    """The directory's table rows, as HTML: hundreds of focal points, whose cells written by
    the template (a lookup and an escape each) were most of the page's time."""
    # Each value escaped here (the standard library's escape is Django's, without its handling
    # of lazy strings).
    return mark_safe(
        "".join(
            f"<tr><td>{escape(row['partner'])}</td><td>{escape(row['name'])}</td>"
            f"<td>{escape(row['role_label'])}</td>"
            f'<td><a href="mailto:{escape(row["email"])}">{escape(row["email"])}</a></td>'
            f"<td>{escape(row['phone'])}</td></tr>\n"
            for row in memberships
        )
    )
