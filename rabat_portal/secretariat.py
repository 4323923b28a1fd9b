"""The Secretariat group: staff who keep every record of the portal in the admin."""

from django.contrib.auth.models import Group, Permission

from focalpoints.permissions import SECRETARIAT_GROUP

# The apps whose records the Secretariat keeps: every model in them, every permission.
SECRETARIAT_APPS = (
    "portal_lib",
    "focalpoints",
    "actionplan",
    "meetings",
    "consultations",
    "labelling",
    "ideas_lab",
    "digests",
    "stocktaking",
    "rabat_portal",
)


def grant_secretariat_permissions(sender=None, using="default", **kwargs):
    """Give the Secretariat group every permission on the portal's own models.

    Runs after each ``migrate`` (permissions exist only then), so models added later are
    covered without another data migration. Returns the number of permissions granted.
    """
    group, _created = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    # The history of changes is read through each record's own admin page; nobody edits it.
    permissions = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=SECRETARIAT_APPS)
        .exclude(content_type__model__startswith="historical")
    )
    group.permissions.add(*permissions)
    return permissions.count()


def create_secretariat_account(
    email, *, first_name="", last_name="", superuser=False, password=None
):
    """Make ``email`` a Secretariat account: active staff in the Secretariat group, with its
    address verified (the person running this vouches for it), a superuser if asked.

    An existing account keeps its password and second factor; a new one gets ``password``, or
    without one no usable password until its owner sets one. Returns ``(user, created)``.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction

    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    with transaction.atomic():
        grant_secretariat_permissions()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User(email=email, first_name=first_name, last_name=last_name)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
        user.is_staff = True
        user.is_active = True
        user.is_superuser = user.is_superuser or superuser
        user.save()
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=email,
            defaults={"email": email, "verified": True, "primary": True},
        )
    return user, created
