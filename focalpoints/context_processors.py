from django.utils.functional import SimpleLazyObject

from focalpoints import permissions


def access(request):
    """What the person may reach, for menus: ``access.private_area``, ``access.secretariat``."""

    def compute():
        user = request.user
        return {
            "private_area": permissions.can_use_private_area(user),
            "secretariat": permissions.is_secretariat(user),
            "membership": permissions.active_membership(user),
        }

    return {"access": SimpleLazyObject(compute)}
