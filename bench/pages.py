"""Page cost: each page's median server time as a ratio to a minimal Django view measured in the
same process and run (requested in turn with the page, so both see the same load on a shared
machine), with its SQL query count, at a small and at the realistic volume.

    .venv/bin/python bench/pages.py [--repeat 15] [--scale 1] [--small-scale 0.02]
                                    [--json bench/results/pages.json]

Public pages are requested anonymously; private ones signed in (``Client.force_login``) as a
synthetic National Focal Point, and the review queue as the Secretariat, second factor passed.
The volumes come from ``manage.py generate_volume --scale``: 1 is the issue's realistic volume
(5,000 meetings, 20,000 documents, 2,000 ideas, 1,000 labelling requests, 500 focal points).

Pages are measured uncached (the anonymous page cache off: what a page costs to build), and
public pages again as an anonymous visitor gets them from the cache ("cached" column).

Limits at the realistic volume (--scale 1 or more), uncached: a public page at most 20 times
the minimal view, a signed-in page at most 30 times (``LIMITS``). A page over its limit, or
whose query count grows with the volume (a query per row), is named on a FAIL line and the
script exits with status 1 (after writing the JSON). The small volume must still give every
page rows to show (0.02 does; at 0.01 the review queue is empty and looks "cheaper").

Runs against a throwaway database: SQLite in a temporary folder, or PostgreSQL when
BENCH_DATABASE_URL names one (it is emptied first). The full request cycle runs (middleware,
templates, i18n), through Django's test client, so figures exclude only the network.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Uncached cost at the realistic volume, as a multiple of the minimal view's (issue 19).
LIMITS = {"public": 20, "focal point": 30, "secretariat": 30}


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
            # The API's rate limit would answer 429 to the repeated requests of one address.
            "API_RATE_LIMIT": "",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rabat_portal.settings")
    # The test client serves no static files: WhiteNoise's warning about the folder is noise.
    warnings.filterwarnings("ignore", message="No directory at")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"


def pages():
    """{page name: (URL, who asks: "public", "focal point" or "secretariat")}, chosen among the
    busiest records so that a query per row would show."""
    from django.db.models import Count

    from ideas_lab.models import Idea
    from labelling.models import LabellingRequest
    from meetings.models import Document, Meeting

    madrid = "thematic-meeting-border-management-madrid-2019"
    document = Document.objects.public().order_by("pk").first()
    busiest = Meeting.objects.order_by("-pk").first()
    project = (
        LabellingRequest.objects.labelled()
        .annotate(action_count=Count("actions"))
        .order_by("-action_count", "pk")
        .first()
    )
    idea = (
        Idea.objects.published()
        .filter(is_hidden=False)
        .annotate(comment_count=Count("comments"))
        .order_by("-comment_count", "pk")
        .first()
    )
    return {
        "home": ("/en/", "public"),
        "action plan": ("/en/action-plan/", "public"),
        "action page": ("/en/action-plan/marrakesh-2018-2020/actions/15/", "public"),
        "partners": ("/en/partners/", "public"),
        "partner page": ("/en/partners/senegal/", "public"),
        "meetings list": ("/en/meetings/", "public"),
        "meetings, filtered": ("/en/meetings/?year=2019&kind=thematic", "public"),
        "meeting page": (f"/en/meetings/{madrid}/", "public"),
        "meeting page (synthetic)": (f"/en/meetings/{busiest.slug}/", "public"),
        "calendar": ("/en/calendar/", "public"),
        "documents list": ("/en/documents/", "public"),
        "document page": (f"/en/documents/{document.pk}/", "public"),
        "labelled projects": ("/en/labelled-projects/", "public"),
        "labelled project": (f"/en/labelled-projects/{project.slug}/", "public"),
        "search": ("/en/search/?q=border+management", "public"),
        "dashboard": ("/en/private/", "focal point"),
        "restricted documents": ("/en/private/documents/", "focal point"),
        "consultations": ("/en/private/consultations/", "focal point"),
        "labelling requests": ("/en/private/labelling/", "focal point"),
        "review queue": ("/en/private/labelling/review/", "secretariat"),
        "ideas (laboratory)": ("/en/private/ideas/", "focal point"),
        "idea page": (f"/en/private/ideas/{idea.pk}/", "focal point"),
        "focal points directory": ("/en/private/focal-points/", "focal point"),
        **api_lists(),
    }


def api_lists():
    """The open-data API's lists (their first page, as a client asks for it), anonymous."""
    paths = [
        "plans",
        "frameworks",
        "recommendations",
        "partners",
        "meetings",
        "documents",
        "labelled-projects",
    ]
    return {f"API {path}": (f"/api/v1/{path}/", "public") for path in paths}


def clients():
    """A test client per kind of visitor: anonymous, the focal point of the partner with the
    most labelling requests, and the Secretariat."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from bench.volume import SECRETARIAT_EMAIL
    from focalpoints.models import Membership
    from tests.clients import PortalClient

    focal_point = (
        Membership.objects.focal_points()
        .filter(user__email__startswith="synthetic-")
        .annotate(requests=Count("partner__labelling_requests"))
        .order_by("-requests", "pk")
        .select_related("user")
        .first()
        .user
    )
    secretariat = get_user_model().objects.get(email=SECRETARIAT_EMAIL)
    # The Secretariat's pages open only to a session that passed the second factor.
    if not is_mfa_enabled(secretariat):
        TOTP.activate(secretariat, generate_totp_secret())
    signed_in = {}
    for role, user in (("focal point", focal_point), ("secretariat", secretariat)):
        signed_in[role] = PortalClient()
        signed_in[role].force_login(user)
    return {"public": Client(), **signed_in}


MINIMAL = "/bench/minimal/"
# What a request costs: the CPU time of this thread (SQLite runs in it), which other work on
# a shared machine does not inflate; or the wall-clock time (--clock wall), which it does.
CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def measure(client, url, repeat, cached=False, minimal=None):
    """The median time of ``url``, the queries of one request, and the median time of the
    minimal view requested in turn with it (by ``minimal``, an anonymous client): on a machine
    shared with other work, the two see the same load, so their ratio holds.

    The page is built afresh each time, or with ``cached`` served by the anonymous page cache.
    """
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    try:
        client.get(url)  # warm caches, templates and the query planner (and the kept page)
        timings, floor = [], []
        for _ in range(repeat):
            if minimal is not None:
                start = clock()
                minimal.get(MINIMAL)
                floor.append(clock() - start)
            with CaptureQueriesContext(connection) as queries:
                start = clock()
                response = client.get(url)
                timings.append(clock() - start)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if cached and response.get("X-Page-Cache") != "hit":
                raise SystemExit(f"{url} was not served from the page cache")
    finally:
        settings.PAGE_CACHE_SECONDS = 0
    return (
        statistics.median(timings),
        len(queries),
        statistics.median(floor) if floor else None,
    )


def has_page_cache():
    from django.conf import settings

    return "portal_lib.page_cache.AnonymousPageCacheMiddleware" in settings.MIDDLEWARE


def excluded_from_cache(url):
    """Whether the page cache never keeps ``url`` (the API: see PAGE_CACHE_EXCLUDED_PREFIXES)."""
    from django.conf import settings

    return url.startswith(tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())))


def volume_label(scale):
    from meetings.models import Meeting

    return f"{Meeting.objects.count():,} meetings (scale {scale:g})"


def run(repeat, scales, only=None, profile=None, fresh=True):
    """Measure every page (or those named in ``only``) at each scale. With ``fresh`` false the
    database is taken as it is (already migrated and filled by an earlier run)."""
    from django.core.management import call_command
    from django.test import Client

    from bench.volume import GenerateVolume

    if fresh:
        call_command("migrate", verbosity=0)
        call_command("bootstrap", verbosity=0)
    rows = []
    for scale in scales:
        if fresh:
            call_command(GenerateVolume(), scale=scale, verbosity=0)
        volume = volume_label(scale)
        visitors = clients()
        baseline, queries, _floor = measure(visitors["public"], MINIMAL, repeat)
        rows.append(
            {
                "volume": volume,
                "page": "minimal view",
                "visitor": "public",
                "median_ms": round(baseline * 1000, 2),
                "ratio_to_minimal_view": 1.0,
                "limit": None,
                "cached_ratio": None,
                "queries": queries,
            }
        )
        for name, (url, role) in pages().items():
            if only and name not in only:
                continue
            if profile:
                profile_page(visitors[role], url, profile)
                continue
            minimal = Client()
            median, queries, floor = measure(visitors[role], url, repeat, minimal=minimal)
            cached = None
            if role == "public" and has_page_cache() and not excluded_from_cache(url):
                kept, _queries, kept_floor = measure(
                    visitors[role], url, repeat, cached=True, minimal=minimal
                )
                cached = kept / kept_floor
            rows.append(
                {
                    "volume": volume,
                    "page": name,
                    "visitor": role,
                    "median_ms": round(median * 1000, 2),
                    "ratio_to_minimal_view": round(median / floor, 1),
                    "limit": LIMITS[role] if scale >= 1 and scale == scales[-1] else None,
                    "cached_ratio": None if cached is None else round(cached, 1),
                    "queries": queries,
                }
            )
    return rows


def profile_page(client, url, lines):
    """Print a cProfile of ten requests of ``url`` (after a warming one), by cumulative time."""
    import cProfile
    import pstats

    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 0
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    print(f"\n=== {url}")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines // 2)


def growing_pages(rows):
    """The pages whose query count is higher at a larger volume than at a smaller one (``rows``
    in the order of the volumes, smallest first): a query per row. One fewer at the larger
    volume is no such sign: a list may ask one more query when a row of its page needs it
    (the postponements of a project's meeting, say), which the small volume's page has."""
    by_page = {}
    for row in rows:
        by_page.setdefault(row["page"], []).append(row["queries"])
    return [
        page
        for page, counts in by_page.items()
        if any(larger > smaller for smaller, larger in itertools.pairwise(counts))
    ]


def over_limit(rows):
    """The pages whose uncached ratio exceeds their limit, in words."""
    return [
        f"{row['page']} ({row['ratio_to_minimal_view']}× > {row['limit']}×)"
        for row in rows
        if row["limit"] is not None and row["ratio_to_minimal_view"] > row["limit"]
    ]


def print_table(rows):
    def figure(value):
        return "" if value is None else f"{value:g}"

    print(
        f"{'page':26} {'visitor':12} {'volume':>28} {'median ms':>10} {'× minimal':>10} "
        f"{'limit':>6} {'× cached':>9} {'queries':>8}"
    )
    for row in rows:
        print(
            f"{row['page']:26} {row['visitor']:12} {row['volume']:>28} {row['median_ms']:>10.2f} "
            f"{row['ratio_to_minimal_view']:>10.1f} {figure(row['limit']):>6} "
            f"{figure(row['cached_ratio']):>9} {row['queries']:>8}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="Runs per page (median taken).")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="The large volume (1: the realistic one)."
    )
    parser.add_argument("--small-scale", type=float, default=0.02, help="The small volume.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        help="cpu (the default on SQLite): this thread's CPU time, which includes SQLite's work "
        "and not other processes'; wall (the default with BENCH_DATABASE_URL): elapsed time, "
        "as PostgreSQL works in a process of its own.",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="PAGE",
        help="Measure only this page (by its name in the table; repeatable).",
    )
    parser.add_argument(
        "--database",
        type=Path,
        help="Keep the SQLite database in this file and reuse it if it exists (built at "
        "--scale on the first run; --small-scale is then skipped): for repeated runs while "
        "working on a page.",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="LINES",
        help="Instead of timing, print a cProfile of each page (with --only), this many lines.",
    )
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock or ("wall" if os.environ.get("BENCH_DATABASE_URL") else "cpu")]
    if not 0 < args.small_scale < args.scale:
        parser.error("--small-scale must be above 0 and below --scale.")
    with tempfile.TemporaryDirectory() as folder:
        if args.database:
            fresh = not args.database.exists()
            configure(f"sqlite:///{args.database.resolve()}")
            rows = run(args.repeat, (args.scale,), args.only, args.profile, fresh=fresh)
        else:
            configure(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3")
            if os.environ.get("BENCH_DATABASE_URL"):
                from django.core.management import call_command

                call_command("flush", interactive=False, verbosity=0)
            rows = run(args.repeat, (args.small_scale, args.scale), args.only, args.profile)
    if args.profile:
        return
    print_table(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    failed = False
    grew = growing_pages(rows)
    if grew:
        print(f"\nFAIL: query counts grow with the volume on: {', '.join(grew)}")
        failed = True
    slow = over_limit(rows)
    if slow:
        print(f"\nFAIL: over the limit at the realistic volume: {', '.join(slow)}")
        failed = True
    if failed:
        sys.exit(1)
    print("\nOK: no page's query count grows with the volume. Every page is within its limit.")


if __name__ == "__main__":
    main()
