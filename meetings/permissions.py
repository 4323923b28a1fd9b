"""Who may do what with meetings and documents (see focalpoints/permissions.py)."""

from actionplan.models import ReferenceCountry
from focalpoints.permissions import active_membership, is_focal_point, is_secretariat
from meetings.services import delegation_of
from portal_lib import page_cache


def can_upload_reference_documents(user):
    """A reference country's focal points upload their domain's roadmap and progress review;
    the Secretariat may too. (Which domains a focal point may upload for is the service's.)"""
    return is_focal_point(user) or is_secretariat(user)


def is_reference_country_focal_point(user):
    """A focal point of a partner that is the reference country of a domain: whom the private
    area's "Reference country" page is for."""
    membership = active_membership(user)
    if membership is None or not membership.is_focal_point:
        return False
    # Asked on every private page (its navigation): the few partners that are reference
    # countries are kept until the content changes, rather than queried each time.
    partners = page_cache.cached_for_content(
        "reference-country-partners",
        lambda: set(ReferenceCountry.objects.values_list("partner_id", flat=True)),
    )
    return membership.partner_id in partners


def can_use_meetings_area(user):
    """The private area's "Meetings" pages: the focal points (their invitations and
    delegations) and the Secretariat (every meeting it runs)."""
    return is_focal_point(user) or is_secretariat(user)


def can_run_meetings(user):
    """Invitations, decisions on nominees, check-in, exports and evaluations: the Secretariat."""
    return is_secretariat(user)


def can_nominate_delegation(user, meeting):
    """A focal point (or alternate) of a partner invited to ``meeting`` names its delegation.
    (Whether nominations are still open, the service says, with the reason.)"""
    return delegation_of(user, meeting) is not None


def can_see_delegate(user, delegate):
    """A delegate's personal data: the Secretariat, and the focal points of their partner."""
    if is_secretariat(user):
        return True
    membership = active_membership(user)
    return (
        membership is not None
        and membership.is_focal_point
        and membership.partner_id == delegate.delegation.partner_id
    )


def can_register_for_webinar(user, meeting):
    """A webinar's registration is open to the members of the partners invited to it."""
    membership = active_membership(user)
    return (
        membership is not None
        and meeting.kind == meeting.Kind.WEBINAR
        and meeting.delegations.filter(partner=membership.partner_id).exists()
    )
