"""`manage.py generate_volume`: synthetic volume for benchmarks, deterministic and careful."""

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Document, Meeting
from tests.meetings.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Meeting.objects.order_by("slug").values_list("slug", "title", "start_date", "kind")),
        list(Document.objects.order_by("slug").values_list("slug", "category", "visibility")),
    )


def test_it_adds_the_requested_volume(seeded):
    before = Meeting.objects.count(), Document.objects.count()

    call_command("generate_volume", meetings=30, documents=80, partners=75, verbosity=0)

    assert Meeting.objects.count() == before[0] + 30
    assert Document.objects.count() == before[1] + 80
    assert (
        Meeting.objects.filter(slug__startswith="synthetic-", actions__isnull=False)
        .distinct()
        .count()
        == 30
    )


def test_the_same_seed_gives_the_same_records(seeded):
    call_command("generate_volume", meetings=20, documents=20, seed=7, verbosity=0)
    first = snapshot()
    Meeting.objects.filter(slug__startswith="synthetic-").delete()
    Document.objects.filter(slug__startswith="synthetic-").delete()

    call_command("generate_volume", meetings=20, documents=20, seed=7, verbosity=0)

    assert snapshot() == first


def test_it_refuses_a_database_with_real_records_unless_told(seeded):
    MeetingFactory(slug="real-meeting-entered-by-the-secretariat")

    with pytest.raises(CommandError, match="not seed data"):
        call_command("generate_volume", meetings=5, documents=5, verbosity=0)
    call_command("generate_volume", meetings=5, documents=5, allow_real_data=True, verbosity=0)

    assert Meeting.objects.filter(slug__startswith="synthetic-").count() == 5


def test_a_real_uploaded_document_also_counts_as_real_data(seeded):
    DocumentFactory(slug="real-upload")

    with pytest.raises(CommandError):
        call_command("generate_volume", meetings=1, documents=1, verbosity=0)


def test_it_needs_the_action_plan(db):
    with pytest.raises(CommandError, match="bootstrap"):
        call_command("generate_volume", meetings=1, documents=1, verbosity=0)
