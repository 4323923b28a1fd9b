"""Who may do what with consultations (see focalpoints/permissions.py for the conventions)."""

from focalpoints.permissions import active_membership, is_secretariat


def can_manage_consultations(user):
    """Response rates, reminders and the export of answers are the Secretariat's."""
    return is_secretariat(user)


def can_answer_consultation(user, consultation):
    """A focal point answers for their partner, while the consultation is open to it."""
    membership = active_membership(user)
    return (
        membership is not None
        and membership.is_focal_point
        and consultation.is_open
        and consultation.is_addressed_to(membership.partner)
    )
