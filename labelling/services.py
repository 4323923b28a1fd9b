"""Processes of the labelling app that are not steps of the workflow (those are the transitions
of ``LabellingRequest``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from labelling.models import LabellingRequest
from labelling.permissions import can_delete_request
from portal_lib.refusals import ActionRefused


def delete_draft(labelling_request, by):
    """Delete the draft ``labelling_request`` and its files on behalf of ``by``.

    Only a draft that was never submitted goes: a submitted request is part of the audit trail
    (its applicant withdraws it instead). The row is locked and read again, so a draft submitted
    meanwhile stays. Raises ``ActionRefused`` with a message for the person."""
    with transaction.atomic():
        current = LabellingRequest.objects.select_for_update().get(pk=labelling_request.pk)
        if not can_delete_request(by, current):
            raise ActionRefused(
                _(
                    "Only a draft that was never submitted can be deleted; "
                    "withdraw a submitted request instead."
                )
            )
        files = [attachment.file for attachment in current.attachments.all()]
        current.delete()
        # The files go once the deletion is committed: a rollback keeps request and files.
        for stored in files:
            transaction.on_commit(lambda stored=stored: stored.delete(save=False))
