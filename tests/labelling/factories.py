import datetime

import factory
from django.test import TestCase

from labelling.models import LabellingRequest
from tests.actionplan.factories import ActionFactory
from tests.focalpoints.factories import PartnerFactory


class LabellingRequestFactory(factory.django.DjangoModelFactory):
    """A complete draft: everything submission needs is filled in."""

    class Meta:
        model = LabellingRequest
        skip_postgeneration_save = True

    kind = LabellingRequest.Kind.BILATERAL
    title = factory.Sequence(lambda n: f"Diaspora investment project {n}")
    summary = "Help the diaspora invest in small businesses at home."
    objectives = "Channel remittances into productive investment."
    expected_results = "Two hundred businesses created."
    lead_partner = factory.SubFactory(PartnerFactory)
    start_date = datetime.date(2027, 1, 1)
    end_date = datetime.date(2028, 12, 31)
    budget = 250000
    currency = "EUR"
    funding_sources = "National budget."
    results_sharing = "Presented at the next thematic meeting."
    contact_name = "Awa Ndiaye"
    contact_email = "awa.ndiaye@ministry.example"
    contact_phone = "+221 33 000 00 00"

    @factory.post_generation
    def actions(labelling_request, create, extracted, **kwargs):
        if create:
            labelling_request.actions.set(extracted if extracted is not None else [ActionFactory()])


def committed():
    """Run the on-commit callbacks (the e-mails) of what happens inside, as a real commit would:
    the tests' transaction is never committed."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def move_to(labelling_request, state, applicant, secretariat):
    """Walk ``labelling_request`` through the workflow, the proper way, up to ``state``."""
    path = {
        "submitted": [("submit", applicant)],
        "under_review": [("submit", applicant), ("start_review", secretariat)],
        "changes_requested": [
            ("submit", applicant),
            ("start_review", secretariat),
            ("request_changes", secretariat),
        ],
        "approved": [
            ("submit", applicant),
            ("start_review", secretariat),
            ("approve", secretariat),
        ],
        "rejected": [("submit", applicant), ("start_review", secretariat), ("reject", secretariat)],
        "withdrawn": [("withdraw", applicant)],
        "draft": [],
    }[state]
    for name, person in path:
        with committed():
            labelling_request.make_transition(name, person, comment="Noted.")
    labelling_request.refresh_from_db()
    return labelling_request
