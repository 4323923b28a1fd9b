"""Who may do what with labelling requests (see focalpoints/permissions.py for the conventions).

Seeing a request is ``LabellingRequest.objects.visible_to(user)``: another partner's request
answers 404. These predicates decide what may be done with one that is visible."""

from focalpoints.permissions import is_secretariat


def can_edit_request(user, labelling_request):
    """The applicant partner's members change their request (while it is editable)."""
    return labelling_request.is_applicant(user)


def can_report_results(user, labelling_request):
    """The applicant partner's members and the Secretariat report a project's results (once it
    is labelled: a state the view checks, with a message)."""
    return labelling_request.is_applicant(user) or is_secretariat(user)


def can_delete_request(user, labelling_request):
    """The applicant partner's members delete their own draft, as long as it was never
    submitted; nobody else does (the Secretariat sees drafts but does not remove them)."""
    return labelling_request.is_applicant(user) and labelling_request.may_be_deleted
