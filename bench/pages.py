"""Page cost: each public page's median server time as a ratio to a minimal Django view measured
in the same process and run, with its SQL query count, at 100 and at 5,000 meetings.

    .venv/bin/python bench/pages.py [--repeat 15] [--json bench/results/pages.json]

Runs against a throwaway database: SQLite in a temporary folder, or PostgreSQL when
BENCH_DATABASE_URL names one (it is emptied first). The full request cycle runs (middleware,
templates, i18n), through Django's test client, so figures exclude only the network.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database_url):
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark-only",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rabat_portal.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"


def pages():
    from meetings.models import Document, Meeting

    madrid = "thematic-meeting-border-management-madrid-2019"
    document = Document.objects.public().order_by("pk").first()
    busiest = Meeting.objects.order_by("-pk").first()
    return {
        "minimal view": "/bench/minimal/",
        "home": "/en/",
        "action plan": "/en/action-plan/",
        "action page": "/en/action-plan/marrakesh-2018-2020/actions/15/",
        "meetings list": "/en/meetings/",
        "meetings, filtered": "/en/meetings/?year=2019&kind=thematic",
        "meeting page": f"/en/meetings/{madrid}/",
        "meeting page (synthetic)": f"/en/meetings/{busiest.slug}/",
        "calendar": "/en/calendar/",
        "documents list": "/en/documents/",
        "document page": f"/en/documents/{document.pk}/",
        "search": "/en/search/?q=border+management",
        "partners": "/en/partners/",
    }


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches, templates and the query planner
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(timings), len(queries)


def run(repeat):
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("bootstrap", verbosity=0)
    client = Client()
    rows = []
    for volume, (meetings, documents) in (
        ("100 meetings", (60, 400)),
        ("5,000 meetings", (4940, 19600)),
    ):
        call_command("generate_volume", meetings=meetings, documents=documents, verbosity=0)
        baseline, _ = measure(client, "/bench/minimal/", repeat)
        for name, url in pages().items():
            median, queries = measure(client, url, repeat)
            rows.append(
                {
                    "volume": volume,
                    "page": name,
                    "median_ms": round(median * 1000, 2),
                    "ratio_to_minimal_view": round(median / baseline, 1),
                    "queries": queries,
                }
            )
    return rows


def print_table(rows):
    print(f"{'page':28} {'volume':>15} {'median ms':>10} {'× minimal':>10} {'queries':>8}")
    for row in rows:
        print(
            f"{row['page']:28} {row['volume']:>15} {row['median_ms']:>10.2f} "
            f"{row['ratio_to_minimal_view']:>10.1f} {row['queries']:>8}"
        )
    by_page = {}
    for row in rows:
        by_page.setdefault(row["page"], []).append(row["queries"])
    grew = [page for page, counts in by_page.items() if len(set(counts)) > 1]
    print("\nQuery counts that grow with the volume:", ", ".join(grew) if grew else "none")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        configure(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3")
        if os.environ.get("BENCH_DATABASE_URL"):
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        rows = run(args.repeat)
    print_table(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
