"""Who may use the pages this layer composes from every app."""

from focalpoints.permissions import is_secretariat


def can_see_content_to_complete(user):
    """The list of the records' gaps is the Secretariat's work list: its powers, no one else's."""
    return is_secretariat(user)
