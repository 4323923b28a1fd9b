"""Who may do what with the digests (see focalpoints/permissions.py for the conventions)."""


def can_preview_digests(user):
    """Reading any member's next digest: whoever may see the record of digests sent."""
    return user.has_perm("digests.view_digestdelivery")


def can_send_digests(user):
    """Starting a period's run now: whoever may change the Secretariat's schedule."""
    return user.has_perm("digests.change_digestschedule")
