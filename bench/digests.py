"""Digest run cost: a weekly run for 1,000 recipients with a realistic week of activity, against
a run for 100 recipients measured in the same process as the baseline, so growth shows as ratios.

    .venv/bin/python bench/digests.py [--json bench/results/digests.json]

Each message is rendered and serialised to MIME as for SMTP, then dropped (no network). Figures:
wall time, SQL queries in total and per recipient, and peak Python memory (tracemalloc, in a
second run of the same size, since tracing slows Python down). SQLite in a temporary folder, or
PostgreSQL when BENCH_DATABASE_URL names one (it is emptied first).
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import configure

SENT = {"count": 0}


class SerialisingBackend:
    """Builds each message's bytes as the SMTP backend would, and drops them."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
        SENT["count"] += len(messages)
        return len(messages)


def week_of_activity(rng):
    """60 partners; 540 old and 40 new documents (a quarter restricted); 200 past meetings,
    12 in the next 30 days and 30 results published this week; 3 consultations closing soon,
    answered by 40% of the partners."""
    from django.utils import timezone

    from consultations.models import Consultation, ConsultationAnswer
    from focalpoints.models import Partner, Region
    from meetings.models import Document, Meeting, MeetingResult

    today = timezone.localdate()
    regions = [value for value, _label in Region.choices]
    partners = Partner.objects.bulk_create(
        Partner(
            name=f"Partner {n}",
            slug=f"bench-partner-{n}",
            kind=Partner.Kind.COUNTRY,
            region=regions[n % len(regions)],
            status=Partner.Status.PARTNER,
        )
        for n in range(60)
    )
    documents = Document.objects.bulk_create(
        Document(
            title=f"Document {n}",
            slug=f"bench-document-{n}",
            category=Document.Category.TECHNICAL_MEETINGS,
            kind=Document.Kind.REPORT,
            visibility=Document.Visibility.FOCAL_POINTS if n % 4 == 0 else "public",
            url=f"https://example.org/{n}.pdf",
        )
        for n in range(580)
    )
    old = [d.pk for d in documents[:540]]
    Document.objects.filter(pk__in=old).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Meeting {n}",
            slug=f"bench-meeting-{n}",
            kind=Meeting.Kind.THEMATIC,
            status=Meeting.Status.PLANNED if n < 12 else Meeting.Status.HELD,
            start_date=today + datetime.timedelta(days=2 * n + 1)
            if n < 12
            else today - datetime.timedelta(days=3 * n),
            city="Dakar",
        )
        for n in range(212)
    )
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    MeetingResult.objects.bulk_create(
        MeetingResult(meeting=meetings[12 + n // 3], position=n % 3 + 1, text=f"Result {n}")
        for n in range(30)
    )
    for n in range(3):
        consultation = Consultation.objects.create(
            title=f"Consultation {n}",
            slug=f"bench-consultation-{n}",
            question="What should the plan say?",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=n + 1),
        )
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(consultation=consultation, partner=p, text="Our answer")
            for p in rng.sample(partners, 24)
        )
    return partners


def add_members(partners, start, count, rng):
    from focalpoints.models import Membership, User

    users = User.objects.bulk_create(
        User(
            email=f"member{n}@bench.example",
            first_name="Member",
            last_name=str(n),
            language="fr" if n % 2 else "en",
        )
        for n in range(start, start + count)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            partner=rng.choice(partners),
            role=Membership.Role.FOCAL_POINT if n % 3 else Membership.Role.STAFF,
        )
        for n, user in enumerate(users)
    )


def measure(recipients):
    """One timed run, then one traced run, each from a clean deliveries log."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digests.models import DigestDelivery
    from digests.services import run_digests

    def fresh():
        DigestDelivery.objects.all().delete()
        cache.clear()
        SENT["count"] = 0

    fresh()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = run_digests("weekly")
        seconds = time.perf_counter() - start
    if result.sent != recipients or SENT["count"] != recipients:
        raise SystemExit(f"Expected {recipients} digests, sent {result.sent}")
    fresh()
    tracemalloc.start()
    run_digests("weekly")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    fresh()
    return {
        "recipients": recipients,
        "wall_seconds": round(seconds, 3),
        "ms_per_recipient": round(seconds * 1000 / recipients, 2),
        "queries": len(queries),
        "queries_per_recipient": round(len(queries) / recipients, 3),
        "peak_memory_mb": round(peak / 2**20, 2),
    }


def run():
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = f"{__name__}.SerialisingBackend"
    rng = random.Random(7)
    partners = week_of_activity(rng)
    add_members(partners, 0, 100, rng)
    baseline = measure(100)
    add_members(partners, 100, 900, rng)
    full = measure(1000)
    ratios = {
        key: round(full[key] / baseline[key], 2) if baseline[key] else None
        for key in ("wall_seconds", "queries", "peak_memory_mb", "ms_per_recipient")
    }
    return {"baseline": baseline, "full": full, "ratios_1000_to_100": ratios}


def print_figures(figures):
    print(f"{'':24} {'100 (baseline)':>15} {'1,000':>10} {'ratio':>8}")
    labels = {
        "wall_seconds": "wall time (s)",
        "ms_per_recipient": "ms per recipient",
        "queries": "SQL queries",
        "queries_per_recipient": "queries per recipient",
        "peak_memory_mb": "peak memory (MB)",
    }
    for key, label in labels.items():
        ratio = figures["ratios_1000_to_100"].get(key)
        print(
            f"{label:24} {figures['baseline'][key]:>15} {figures['full'][key]:>10} "
            f"{'' if ratio is None else ratio:>8}"
        )
    print(
        "\n10 times the recipients: queries grow by the number of batches "
        "(DIGEST_BATCH_SIZE), not by recipient."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        configure(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3")
        if os.environ.get("BENCH_DATABASE_URL"):
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        figures = run()
    print_figures(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
