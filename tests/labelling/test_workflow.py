"""The labelling state machine: who may move a request, from which state, and what each step
leaves behind (the audit trail, the e-mails)."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import close_old_connections, connection, transaction

from labelling.models import TRANSITIONS, LabellingEvent, LabellingRequest, State, TransitionRefused
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.labelling.factories import LabellingRequestFactory, committed, move_to

ALLOWED = {
    ("submit", "applicant_staff"): {State.DRAFT, State.CHANGES_REQUESTED},
    ("submit", "applicant_focal_point"): {State.DRAFT, State.CHANGES_REQUESTED},
    ("start_review", "secretariat"): {State.SUBMITTED},
    ("request_changes", "secretariat"): {State.SUBMITTED, State.UNDER_REVIEW},
    ("approve", "secretariat"): {State.UNDER_REVIEW},
    ("reject", "secretariat"): {State.UNDER_REVIEW},
    ("withdraw", "applicant_staff"): {
        State.DRAFT,
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.CHANGES_REQUESTED,
    },
    ("withdraw", "applicant_focal_point"): {
        State.DRAFT,
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.CHANGES_REQUESTED,
    },
}
PEOPLE = [
    "applicant_staff",
    "applicant_focal_point",
    "other_partner_focal_point",
    "inactive_member",
    "no_membership",
    "anonymous",
    "secretariat",
]


@pytest.fixture
def people(senegal_staff, senegal_focal_point, spain_focal_point, inactive_member, secretariat):
    return {
        "applicant_staff": senegal_staff,
        "applicant_focal_point": senegal_focal_point,
        "other_partner_focal_point": spain_focal_point,
        "inactive_member": inactive_member,
        "no_membership": UserFactory(email="nobody@example.org"),
        "anonymous": AnonymousUser(),
        "secretariat": secretariat,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", State.values)
def test_every_transition_for_every_person_from_each_state(people, senegal_request, state):
    labelling_request = move_to(
        senegal_request, state, people["applicant_staff"], people["secretariat"]
    )
    wrong = []
    for person in PEOPLE:
        for name in TRANSITIONS:
            # Each attempt starts from ``state``: a savepoint undoes what a successful one did.
            savepoint = transaction.savepoint()
            wrong += _attempt(labelling_request, state, name, person, people[person])
            transaction.savepoint_rollback(savepoint)
            labelling_request.refresh_from_db()

    assert wrong == []


def _attempt(labelling_request, state, name, person, user):
    """Try one transition; return what went wrong, if anything."""
    events_before = LabellingEvent.objects.count()
    mail.outbox.clear()
    case = f"{name} by {person} from {state}"
    if state in ALLOWED.get((name, person), set()):
        try:
            with committed():
                event = labelling_request.make_transition(name, user, comment="Looks right.")
        except TransitionRefused as refusal:
            return [f"{case} was refused: {refusal}"]
        labelling_request.refresh_from_db()
        if labelling_request.state != TRANSITIONS[name].target:
            return [f"{case} left the request {labelling_request.state}"]
        if (event.from_state, event.to_state, event.actor, event.comment) != (
            state,
            TRANSITIONS[name].target,
            user,
            "Looks right.",
        ):
            return [f"{case} wrote a wrong audit entry"]
        return [] if mail.outbox else [f"{case} told nobody"]
    try:
        labelling_request.make_transition(name, user, comment="Looks right.")
    except TransitionRefused as refusal:
        labelling_request.refresh_from_db()
        problems = [] if str(refusal) else [f"{case} was refused without a message"]
        if labelling_request.state != state:
            problems.append(f"{case} was refused but moved the request")
        if LabellingEvent.objects.count() != events_before or mail.outbox:
            problems.append(f"{case} was refused but left an audit entry or an e-mail")
        return problems
    return [f"{case} was allowed"]


@pytest.mark.django_db
def test_the_allowed_transitions_offered_match_those_that_succeed(people, senegal_request):
    offered = senegal_request.allowed_transitions(people["applicant_focal_point"])
    assert [t.name for t in offered] == ["submit", "withdraw"]
    assert senegal_request.allowed_transitions(people["secretariat"]) == []
    assert senegal_request.allowed_transitions(people["other_partner_focal_point"]) == []

    move_to(senegal_request, "under_review", people["applicant_staff"], people["secretariat"])

    assert [t.name for t in senegal_request.allowed_transitions(people["secretariat"])] == [
        "request_changes",
        "approve",
        "reject",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "reject"])
def test_asking_for_changes_or_rejecting_needs_a_comment(people, senegal_request, name):
    move_to(senegal_request, "under_review", people["applicant_staff"], people["secretariat"])

    with pytest.raises(TransitionRefused, match="comment is required"):
        senegal_request.make_transition(name, people["secretariat"], comment="   ")

    senegal_request.refresh_from_db()
    assert senegal_request.state == State.UNDER_REVIEW


@pytest.mark.django_db
def test_an_incomplete_request_cannot_be_submitted_and_says_what_is_missing(people, senegal):
    draft = LabellingRequestFactory(lead_partner=senegal, summary="", contact_email="", actions=[])

    with pytest.raises(TransitionRefused) as refusal:
        draft.submit(by=people["applicant_staff"])

    assert "summary" in str(refusal.value)
    assert "contact e-mail address" in str(refusal.value)
    assert "actions implemented" in str(refusal.value)
    assert set(draft.missing_for_submission()) == {"summary", "contact_email", "actions"}
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


@pytest.mark.django_db
def test_an_event_needs_its_planned_date_or_its_meeting_record(people, senegal):
    from tests.meetings.factories import MeetingFactory

    event = LabellingRequestFactory(
        lead_partner=senegal, kind=LabellingRequest.Kind.EVENT, start_date=None, end_date=None
    )
    assert event.missing_for_submission() == {"start_date": "Give the planned date of the event."}

    event.meeting = MeetingFactory()
    event.save()

    assert event.missing_for_submission() == {}


@pytest.mark.django_db
def test_a_reviewer_working_from_a_stale_page_is_told_who_decided(people, senegal_request):
    move_to(senegal_request, "under_review", people["applicant_staff"], people["secretariat"])
    other_reviewer = UserFactory(
        email="second@secretariat.example", first_name="Léa", last_name="Martin", is_staff=True
    )
    other_reviewer.groups.set(people["secretariat"].groups.all())
    seen_by_both = LabellingRequest.objects.get(pk=senegal_request.pk)
    seen_by_both.approve(by=people["secretariat"], expected_state=State.UNDER_REVIEW)

    with pytest.raises(TransitionRefused, match=r"Approved.*by .*after you opened it"):
        LabellingRequest.objects.get(pk=senegal_request.pk).reject(
            by=other_reviewer, comment="Out of scope.", expected_state=State.UNDER_REVIEW
        )

    senegal_request.refresh_from_db()
    assert senegal_request.state == State.APPROVED
    assert list(senegal_request.events.values_list("to_state", flat=True)) == [
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.APPROVED,
    ]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_one_wins_and_the_other_is_told(
    senegal_staff, secretariat, senegal
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite has none")
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    move_to(labelling_request, "under_review", senegal_staff, secretariat)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, comment):
        try:
            copy = LabellingRequest.objects.get(pk=labelling_request.pk)
            barrier.wait()
            copy.make_transition(name, secretariat, comment=comment)
            outcomes[name] = "done"
        except TransitionRefused as refusal:
            outcomes[name] = str(refusal)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("approve", "")),
        threading.Thread(target=decide, args=("reject", "Out of scope.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome == "done" for outcome in outcomes.values()) == [False, True]
    refused = next(outcome for outcome in outcomes.values() if outcome != "done")
    assert "cannot be done to a request that is" in refused
    labelling_request.refresh_from_db()
    decisions = labelling_request.events.filter(to_state__in=[State.APPROVED, State.REJECTED])
    assert decisions.count() == 1
    assert labelling_request.state == decisions.get().to_state


@pytest.mark.django_db
def test_the_audit_trail_cannot_be_changed_or_deleted(people, senegal_request):
    move_to(senegal_request, "submitted", people["applicant_staff"], people["secretariat"])
    event = senegal_request.events.get()

    event.comment = "Rewritten history."
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        LabellingEvent.objects.filter(pk=event.pk).update(comment="Rewritten")
    with pytest.raises(TypeError):
        LabellingEvent.objects.all().delete()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        LabellingRequest.objects.filter(pk=senegal_request.pk).delete()
    assert LabellingEvent.objects.get(pk=event.pk).comment == "Noted."


@pytest.mark.django_db
def test_the_state_changes_only_through_the_transitions(people, senegal_request):
    senegal_request.state = State.APPROVED
    senegal_request.save()

    from django.forms import modelform_factory

    assert "state" not in modelform_factory(LabellingRequest, exclude=[])().fields
    senegal_request.refresh_from_db()
    # save() writes the field like any other: the admin and the forms never offer it, and the
    # transitions are the only code that sets it.
    assert LabellingRequest._meta.get_field("state").editable is False


@pytest.mark.django_db
def test_each_step_emails_the_applicant_partner_and_the_secretariat_in_their_language(
    people, senegal_request, senegal
):
    french_focal_point = MembershipFactory(
        user=UserFactory(email="adjoint@senegal.example", language="fr"), partner=senegal
    ).user
    people["secretariat"].language = "en"
    people["secretariat"].save()

    with committed():
        senegal_request.submit(by=people["applicant_staff"])

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        [
            french_focal_point.email,
            people["applicant_focal_point"].email,
            people["secretariat"].email,
        ]
    ), "the author, other partners and suspended members are not written to"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english = by_recipient[people["secretariat"].email]
    assert english.subject == "Labelling request submitted: Senegalese diaspora fund"
    assert f"{settings.SITE_URL}/en/private/labelling/{senegal_request.pk}/" in english.body
    french = by_recipient[french_focal_point.email]
    assert french.subject.startswith("Demande de labellisation soumise")
    assert f"/fr/private/labelling/{senegal_request.pk}/" in french.body
    html, _type = french.alternatives[0]
    assert "Senegalese diaspora fund" in html


@pytest.mark.django_db
def test_the_secretariat_s_comment_reaches_the_applicant(people, senegal_request):
    move_to(senegal_request, "under_review", people["applicant_staff"], people["secretariat"])
    mail.outbox.clear()

    with committed():
        senegal_request.request_changes(
            by=people["secretariat"], comment="Please name the co-funding partners & their share."
        )

    to_staff = next(m for m in mail.outbox if m.to == [people["applicant_staff"].email])
    assert (
        to_staff.subject == "Changes requested to the labelling request: Senegalese diaspora fund"
    )
    assert "Please name the co-funding partners & their share." in to_staff.body
    html, _type = to_staff.alternatives[0]
    assert "co-funding partners &amp; their share" in html
    assert people["secretariat"].email not in [m.to[0] for m in mail.outbox]
