"""Who may do what with meetings and documents (see focalpoints/permissions.py)."""

from focalpoints.permissions import is_focal_point, is_secretariat
from meetings.services import reference_domains


def can_upload_reference_documents(user):
    """A reference country's focal points upload their domain's roadmap and progress review;
    the Secretariat may too. (Which domains a focal point may upload for is the service's.)"""
    return is_focal_point(user) or is_secretariat(user)


def is_reference_country_focal_point(user):
    """A focal point of a partner that is the reference country of a domain: whom the private
    area's "Reference country" page is for."""
    return reference_domains(user).exists()
