"""Who may do what with the stocktaking report (see focalpoints/permissions.py)."""

from focalpoints.permissions import is_secretariat


def can_preview_stocktaking(user):
    """The report's HTML preview shows drafts of the Secretariat's work: the Secretariat's."""
    return is_secretariat(user)
