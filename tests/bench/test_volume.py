"""`bench/volume.py`: synthetic volume for benchmarks, deterministic and careful."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.volume import GenerateVolume
from consultations.models import Consultation
from focalpoints.models import Membership, Partner, User
from ideas_lab.models import Comment, Follow, Idea
from labelling.models import TRANSITIONS, LabellingRequest, State
from meetings.models import Document, Meeting
from tests.ideas_lab.factories import IdeaFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

# --scale 0.02 of the realistic volume, as the tests and short benchmark runs use it.
SMALL = {"meetings": 100, "documents": 400, "ideas": 40, "labelling_requests": 20}


def snapshot():
    return (
        list(Meeting.objects.order_by("slug").values_list("slug", "title", "start_date", "kind")),
        list(Document.objects.order_by("slug").values_list("slug", "category", "visibility")),
        list(Idea.objects.order_by("slug").values_list("slug", "status", "partner__slug")),
        list(LabellingRequest.objects.order_by("slug").values_list("slug", "state")),
    )


def test_it_reaches_the_scaled_realistic_volume(seeded):
    call_command(GenerateVolume(), scale=0.02, verbosity=0)

    assert Meeting.objects.count() == 100
    assert Document.objects.count() == 400
    assert Idea.objects.count() == 40
    assert LabellingRequest.objects.count() == 20
    assert Consultation.objects.count() == 4
    assert Consultation.objects.filter(answers__isnull=False).exists()
    assert Membership.objects.focal_points().count() == 10
    assert Partner.objects.count() >= 60  # the seed has more than enough partners
    synthetic_meetings = Meeting.objects.filter(slug__startswith="synthetic-")
    assert synthetic_meetings.filter(actions__isnull=False).distinct().count() == (
        synthetic_meetings.count()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL")
def test_on_postgresql_the_loaded_tables_are_analysed_for_the_planner(seeded):
    call_command(GenerateVolume(), scale=0.02, verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('meetings_meeting', 'meetings_document', 'meetings_document_actions')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated["meetings_meeting"] == Meeting.objects.count()
    assert estimated["meetings_document"] == Document.objects.count()
    assert estimated["meetings_document_actions"] == Document.actions.through.objects.count()


def test_explicit_counts_override_the_scale(seeded):
    call_command(GenerateVolume(), scale=0.02, meetings=70, partners=75, verbosity=0)

    assert Meeting.objects.count() == 70
    assert Partner.objects.count() == 75
    assert Document.objects.count() == 400


def test_a_second_run_adds_nothing_and_a_larger_one_tops_up(seeded, capsys):
    call_command(GenerateVolume(), scale=0.02)
    first = snapshot()

    call_command(GenerateVolume(), scale=0.02)

    assert snapshot() == first
    assert "already at this volume: nothing added" in capsys.readouterr().out
    call_command(GenerateVolume(), scale=0.02, meetings=120, verbosity=0)
    assert Meeting.objects.count() == 120
    assert Idea.objects.count() == 40


def test_the_same_seed_gives_the_same_records(seeded):
    call_command(GenerateVolume(), scale=0.02, seed=7, verbosity=0)
    first = snapshot()
    for model in (Meeting, Document, Idea):
        model.objects.filter(slug__startswith="synthetic-").delete()

    call_command(GenerateVolume(), scale=0.02, seed=7, verbosity=0)

    assert snapshot() == first


def test_labelling_requests_reach_their_states_only_through_the_workflow(seeded):
    call_command(GenerateVolume(), scale=0.02, labelling_requests=200, verbosity=0)

    requests = LabellingRequest.objects.filter(slug__startswith="synthetic-").prefetch_related(
        "events__actor"
    )
    assert {request.state for request in requests} == set(State.values)
    for request in requests:
        state = State.DRAFT
        for event in request.events.all():
            transition = next(
                t for t in TRANSITIONS.values() if t.target == event.to_state and state in t.sources
            )
            assert event.from_state == state
            if transition.by == "secretariat":
                assert event.actor.groups.filter(name="Secretariat").exists()
            else:
                assert event.actor.membership.partner_id == request.lead_partner_id
            assert bool(event.comment) or not transition.comment_required
            state = event.to_state
        assert state == request.state
        assert (request.decided_at is not None) == (
            request.state in (State.APPROVED, State.REJECTED)
        )
        assert (request.submitted_at is not None) == (request.state != State.DRAFT)
        assert not request.missing_for_submission()


def test_ideas_draw_comments_interest_and_followers_like_a_real_laboratory(seeded):
    call_command(GenerateVolume(), scale=0.02, ideas=200, verbosity=0)

    ideas = Idea.objects.filter(slug__startswith="synthetic-")
    comments = Comment.objects.filter(idea__in=ideas)
    assert 1.5 < comments.count() / ideas.count() < 6
    assert not comments.filter(idea__is_draft=True).exists()
    for comment in comments.select_related("idea"):
        assert Follow.objects.filter(idea=comment.idea, user=comment.author).exists()
    for idea in ideas.select_related("submitted_by__membership"):
        assert idea.submitted_by.membership.partner_id == idea.partner_id
        assert idea.actions.exists()
    assert ideas.filter(is_draft=True).exists()
    assert ideas.filter(interests__isnull=False).exists()


def test_synthetic_accounts_sign_in_with_the_password_given(seeded, client):
    call_command(GenerateVolume(), scale=0.02, verbosity=0)
    focal_point = User.objects.filter(email__endswith="@bench.invalid", membership__isnull=False)
    assert not focal_point.first().has_usable_password()

    call_command(GenerateVolume(), scale=0.02, password="bench-Passw0rd!", verbosity=0)

    response = client.post(
        "/en/accounts/login/",
        {"login": focal_point.first().email, "password": "bench-Passw0rd!"},
    )
    assert response.status_code == 302
    assert response.url == "/en/private/"


def test_it_refuses_a_database_with_real_records_unless_told(seeded):
    MeetingFactory(slug="real-meeting-entered-by-the-secretariat")

    with pytest.raises(CommandError, match="not seed data"):
        call_command(GenerateVolume(), scale=0.02, verbosity=0)
    call_command(GenerateVolume(), scale=0.02, allow_real_data=True, verbosity=0)

    assert Meeting.objects.count() == 100


def test_a_real_uploaded_document_also_counts_as_real_data(seeded):
    DocumentFactory(slug="real-upload")

    with pytest.raises(CommandError):
        call_command(GenerateVolume(), scale=0.01, verbosity=0)


def test_an_idea_written_on_the_portal_counts_as_real_data(seeded):
    IdeaFactory(partner=Partner.objects.first())

    with pytest.raises(CommandError, match="not seed data"):
        call_command(GenerateVolume(), scale=0.01, verbosity=0)


def test_it_needs_the_action_plan(db):
    with pytest.raises(CommandError, match="bootstrap"):
        call_command(GenerateVolume(), scale=0.01, verbosity=0)
