"""Who may do what: one place for the portal's rules, used by views, templates and the admin.

Each predicate takes the person (``request.user``, possibly anonymous) and answers True or
False. Views turn a refusal into a redirect to the login page (anonymous), a 403 (a function the
person's role does not have) or a 404 (another partner's record), so nothing leaks. A staff
member whose session has not passed the second factor is sent to that step instead.
"""

from django.db.models import Q

from portal_lib import page_cache
from portal_lib.gates import awaits_second_factor

SECRETARIAT_GROUP = "Secretariat"


def active_membership(user):
    """The person's membership if it and the account are active, else None (kept on the user
    object for the request, and by content version)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_active_membership"):
        from focalpoints.models import Membership

        def read():
            # In a list: None (no active membership) is an answer to keep, not a miss.
            return [
                Membership.objects.select_related("partner")
                .filter(user=user, is_active=True)
                .first()
            ]

        # Asked by every private page and its navigation: kept by content version (a change to
        # any account, membership or partner moves it on), a read from the cache costing a
        # tenth of the query.
        (user._active_membership,) = page_cache.cached_for_content(
            f"active-membership:{user.pk}", read
        )
    return user._active_membership


def with_active_memberships(users):
    """``users``, each with its active membership read in one query for all of them, so that
    the predicates below ask nothing more about them (``active_membership`` caches it)."""
    from focalpoints.models import Membership

    users = list(users)
    memberships = Membership.objects.select_related("partner").filter(
        user__in=users, is_active=True
    )
    by_user = {membership.user_id: membership for membership in memberships}
    for user in users:
        user._active_membership = by_user.get(user.pk)
    return users


def is_secretariat_account(user):
    """The account is the Secretariat's: active staff in the Secretariat group, or a superuser.
    Who the Secretariat is, not what a session may do: powers ask ``is_secretariat``."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_secretariat"):
        user._is_secretariat = user.groups.filter(name=SECRETARIAT_GROUP).exists()
    return user._is_secretariat


def secretariat_accounts():
    """The Secretariat's accounts, as ``is_secretariat_account`` answers one by one: those the
    Secretariat's e-mails go to."""
    from focalpoints.models import User

    # distinct(): a superuser in the group would otherwise come twice through the join.
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT_GROUP))
        .distinct()
    )


def is_secretariat(user):
    """Secretariat powers: every page, button and record only the Secretariat has.

    A Secretariat account, which, when it is the person signed in to the current request, acts
    in a session that passed the second factor. Outside any request (a management command, a
    task) and for anyone but the person signed in (an e-mail's recipients), the account decides.
    """
    return is_secretariat_account(user) and not awaits_second_factor(user)


def can_use_admin(user):
    """The admin opens for active staff whose session passed the second factor; each kind of
    record then needs its own permission."""
    return user.is_active and user.is_staff and not awaits_second_factor(user)


def is_member(user):
    """Someone who works for a partner of the Dialogue, with an active membership."""
    return active_membership(user) is not None


def is_focal_point(user):
    membership = active_membership(user)
    return membership is not None and membership.is_focal_point


def can_use_private_area(user):
    return is_member(user) or is_secretariat(user)


def can_see_members_documents(user):
    """Documents shared with the members of the partners (focal points and partner staff)."""
    return is_member(user) or is_secretariat(user)


def can_see_focal_points_documents(user):
    """Documents for the focal points only (and their alternates): not for partner staff."""
    return is_focal_point(user) or is_secretariat(user)


def can_see_restricted_documents(user):
    """Some restricted documents: at least those shared with the members of the partners.
    Which ones, each document's visibility says (``Document.is_visible_to``)."""
    return can_see_members_documents(user)


def can_see_focal_point_directory(user):
    return is_focal_point(user) or is_secretariat(user)


def can_change_rights(actor):
    """Only superusers grant rights: superuser status, groups and single permissions."""
    return actor.is_authenticated and actor.is_active and actor.is_superuser


def can_manage_account(actor, account):
    """Whether ``actor`` may change ``account`` in any way (its details, password, e-mail
    addresses, authenticators, whether it is active) or delete it.

    A superuser manages every account. Anyone else manages only accounts with no right beyond
    their own: never a superuser, never a staff account unless they are staff themselves, never
    one holding a permission they lack (disabled or not: enabling it again would hand it back).
    """
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if account.is_superuser or (account.is_staff and not actor.is_staff):
        return False
    return _rights_of(account) <= actor.get_all_permissions()


def _rights_of(account):
    """The permissions ``account`` holds, its own and its groups', even while it is disabled
    (Django's backend answers none for a disabled account)."""
    from django.contrib.auth.models import Permission

    if account.pk is None:
        return set()
    held = Permission.objects.filter(Q(user=account) | Q(group__user=account)).values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in held}
