"""The processes of accounts and invitations: each one function, in one transaction, that
checks the state, raises ``ActionRefused`` with a message for people, and sends its e-mails."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focalpoints.models import (
    Invitation,
    Membership,
    User,
)
from portal_lib.notifications import notify
from portal_lib.refusals import ActionRefused

DISABLED_ACCOUNT = gettext_lazy(
    "This account is disabled. Ask the Secretariat if it should be enabled."
)


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token, language):
    with translation.override(language):
        return settings.SITE_URL + reverse("focalpoints:invitation", kwargs={"token": token})


def invite(*, email, partner, role, invited_by, language="en", first_name="", last_name=""):
    """Invite ``email`` to join for ``partner`` in ``role``, and e-mail the link.

    An earlier invitation still pending for the same address is revoked, so only the newest link
    works. Returns the new ``Invitation``.
    """
    email = User.objects.normalize_email(email).strip()
    existing = account_with(email)
    if existing is not None and not existing.is_active:
        raise ActionRefused(_("This account is disabled: enable it before inviting its owner."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.pending().filter(email__iexact=email).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            partner=partner,
            role=role,
            language=language,
            token_hash=_hash(token),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        # The person has no account yet: their address and the invitation's language.
        notify(
            "focalpoints.invitation",
            "invitation",
            [(email, language)],
            {
                "invitation": invitation,
                "link": invitation_link(token, language),
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
            secret=True,
        )
    return invitation


def find_invitation(token):
    """The invitation a link's token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("partner").filter(token_hash=_hash(token)).first()


def revoke_invitation(invitation):
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != Invitation.State.PENDING:
            raise ActionRefused(_("Only an invitation waiting for an answer can be revoked."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def account_with(email):
    """The account ``email`` belongs to, or None: the account with that e-mail, or the one
    allauth keeps it for as a verified address (the two can differ). Refused when two accounts
    claim it."""
    accounts = list(
        User.objects.filter(
            Q(email__iexact=email)
            | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        ).distinct()[:2]
    )
    if len(accounts) > 1:
        raise ActionRefused(
            _("Two accounts use this address: ask the Secretariat to correct them.")
        )
    return accounts[0] if accounts else None


def account_of(invitation):
    """The account that already has the invitation's address, or None for a new person."""
    return account_with(invitation.email)


def _lock_pending(token):
    """The pending invitation ``token`` belongs to, locked for the transaction around; refused
    with the reason when there is none."""
    found = find_invitation(token)
    if found is None:
        raise ActionRefused(_("This invitation link is not valid."))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        raise ActionRefused(_("This invitation has already been used. Log in instead."))
    if state == Invitation.State.REVOKED:
        raise ActionRefused(_("This invitation was withdrawn. Ask the Secretariat for a new one."))
    if state == Invitation.State.EXPIRED:
        raise ActionRefused(_("This invitation has expired. Ask the Secretariat for a new one."))
    return invitation


def _join(invitation, user):
    """Give ``user`` the invitation's membership and use the invitation up."""
    Membership.objects.update_or_create(
        user=user,
        defaults={"partner": invitation.partner, "role": invitation.role, "is_active": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])


def accept_invitation(token, *, password, first_name="", last_name=""):
    """Create the invited person's account with ``password``, give it its membership, and use
    up the invitation. Returns the new user.

    An address that already has an account is refused: its owner logs in (with their second
    factor, if they have one) and accepts with ``accept_invitation_as``. A link in a mailbox
    never replaces an account's password or its login.
    """
    with transaction.atomic():
        invitation = _lock_pending(token)
        if account_of(invitation) is not None:
            raise ActionRefused(
                _("An account with this address already exists: log in to accept the invitation.")
            )
        user = User(
            email=invitation.email,
            first_name=first_name or invitation.first_name,
            last_name=last_name or invitation.last_name,
            language=invitation.language,
        )
        user.set_password(password)
        user.save()
        # The link reached this address: it is verified.
        EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
        _join(invitation, user)
    return user


def accept_invitation_as(token, account):
    """Give ``account``, signed in through its own login, the invitation's membership, and use
    up the invitation. Its password, e-mail addresses and active flag stay as they are.
    Returns the account."""
    with transaction.atomic():
        invitation = _lock_pending(token)
        owner = account_of(invitation)
        if owner is None or owner.pk != account.pk:
            raise ActionRefused(
                _("This invitation is for another account: log in with %(email)s to accept it.")
                % {"email": invitation.email}
            )
        if not owner.is_active:
            raise ActionRefused(DISABLED_ACCOUNT)
        _join(invitation, account)
    return account


def disable_account(account, *, by):
    """Disable ``account`` for ``by``, who must be allowed to manage it; its pending
    invitations are revoked as it is saved (``User.save``). Returns the account."""
    from focalpoints.permissions import can_manage_account

    if not can_manage_account(by, account):
        raise ActionRefused(_("You may not change this account."))
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        account.is_active = False
        account.save()
    return account
