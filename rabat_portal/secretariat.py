"""The Secretariat group: staff who keep every record of the portal in the admin."""

from django.contrib.auth.models import Group, Permission

from focalpoints.permissions import SECRETARIAT_GROUP

# The apps whose records the Secretariat keeps: every model in them, every permission.
SECRETARIAT_APPS = (
    "focalpoints",
    "actionplan",
    "meetings",
    "labelling",
    "ideas_lab",
    "rabat_portal",
)


def grant_secretariat_permissions(sender=None, using="default", **kwargs):
    """Give the Secretariat group every permission on the portal's own models.

    Runs after each ``migrate`` (permissions exist only then), so models added later are
    covered without another data migration. Returns the number of permissions granted.
    """
    group, _created = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label__in=SECRETARIAT_APPS
    )
    group.permissions.add(*permissions)
    return permissions.count()
