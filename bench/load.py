"""Load: the portal under gunicorn, production settings, PostgreSQL and Redis, with anonymous
visitors browsing the public pages and National Focal Points signed in to the private area.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/load.py
        [--users 60] [--focal-points 10] [--duration 60] [--scale 1] [--workers 3]
        [--timeout 1200] [--json bench/results/load.json]

Prepares the database named by DATABASE_URL (migrate, bootstrap, ``generate_volume --scale``,
which refuses a database that holds real records; synthetic accounts get a password made for
this run), collects the static files into a temporary folder (the manifest is on, as in
production), starts gunicorn on a free loopback port, and runs locust headless
(bench/locustfile.py) for --duration seconds. Focal points sign in once through the login form.

Prints requests per second, the 50th, 95th and 99th percentile response times and the number of
failed requests, for all requests and per kind of page. Exits with status 1 if any request
failed. --timeout bounds the whole run: past it everything started here, gunicorn included, is
stopped and the script fails. Without a PostgreSQL DATABASE_URL it says so and skips (status 0).
"""

import argparse
import csv
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

SEARCHES = ["border+management", "diaspora", "remittances", "trafficking", "return", "migration"]


class OutOfTime(Exception):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(folder):
    """The environment of a production deployment, on this machine's loopback."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "true",
        "BENCH_STATIC_ROOT": str(folder / "static"),
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(scale, password, focal_points):
    """Bring the database to the volume, collect static files; return the sample pages for the
    visitors and the focal points' e-mail addresses."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    from actionplan.models import Action
    from bench.volume import GenerateVolume
    from focalpoints.models import Membership, Partner
    from ideas_lab.models import Idea
    from labelling.models import LabellingRequest
    from meetings.models import Document, Meeting

    call_command("migrate", verbosity=0, interactive=False)
    call_command("bootstrap", verbosity=0)
    call_command(GenerateVolume(), scale=scale, password=password, verbosity=1)
    call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(2018)

    def sample(queryset, count):
        rows = list(queryset.order_by("pk"))
        return rng.sample(rows, min(count, len(rows)))

    with translation.override("en"):
        public = [
            ("home", "/en/"),
            ("home (French)", "/fr/"),
            ("action plan", "/en/action-plan/"),
            ("partners", "/en/partners/"),
            ("meetings list", "/en/meetings/"),
            ("meetings list", "/en/meetings/?page=3"),
            ("meetings, filtered", "/en/meetings/?year=2019&kind=thematic"),
            ("calendar", "/en/calendar/"),
            ("documents list", "/en/documents/"),
            ("documents list", "/en/documents/?page=5"),
            ("labelled projects", "/en/labelled-projects/"),
        ]
        public += [("action page", a.get_absolute_url()) for a in Action.objects.all()]
        public += [("partner page", p.get_absolute_url()) for p in sample(Partner.objects, 20)]
        public += [("meeting page", m.get_absolute_url()) for m in sample(Meeting.objects, 200)]
        public += [
            ("document page", d.get_absolute_url()) for d in sample(Document.objects.public(), 200)
        ]
        public += [
            ("labelled project", r.get_absolute_url())
            for r in sample(LabellingRequest.objects.labelled(), 50)
        ]
        ideas = Idea.objects.published().filter(is_hidden=False)
        private = [
            ("dashboard", "/en/private/"),
            ("restricted documents", "/en/private/documents/"),
            ("labelling requests", "/en/private/labelling/"),
            ("ideas (laboratory)", "/en/private/ideas/"),
        ]
        private += [("idea page", idea.get_absolute_url()) for idea in sample(ideas, 100)]
    accounts = list(
        Membership.objects.focal_points()
        .filter(user__email__startswith="synthetic-")
        .order_by("pk")
        .values_list("user__email", flat=True)[:focal_points]
    )
    return {"public": public, "private": private, "searches": SEARCHES}, accounts


def start(command, environment, log):
    """Start ``command`` in a session of its own, so that stopping it stops its children."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process is None or process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until_serving(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (status {server.returncode}) before serving.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not serve {url} within {seconds} s.")


def read_statistics(prefix):
    """Rows of figures per kind of page, the aggregate first, from locust's --csv output."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))

    def figures(row):
        return {
            "pages": "all" if row["Name"] == "Aggregated" else row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "requests_per_s": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }

    aggregate = [figures(row) for row in rows if row["Name"] == "Aggregated"]
    return aggregate + sorted(
        (figures(row) for row in rows if row["Name"] != "Aggregated"),
        key=lambda row: -row["requests"],
    )


def run(args, folder):
    environment = production_environment(folder)
    os.environ.update(environment)
    password = secrets.token_urlsafe(16)
    urls, accounts = prepare(args.scale, password, args.focal_points)
    if len(accounts) < args.focal_points:
        raise SystemExit(
            f"Only {len(accounts)} synthetic focal points for {args.focal_points} signed-in "
            "users: raise --scale or lower --focal-points."
        )
    (folder / "urls.json").write_text(json.dumps(urls))
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = locust = None
    server_log = open(folder / "gunicorn.log", "w+", encoding="utf-8")  # noqa: SIM115
    locust_log = open(folder / "locust.log", "w+", encoding="utf-8")  # noqa: SIM115
    try:
        server = start(
            [
                str(BIN / "gunicorn"),
                "rabat_portal.wsgi:application",
                *("--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)),
                *("--timeout", "30", "--log-level", "warning"),
            ],
            environment,
            server_log,
        )
        wait_until_serving(f"{host}/en/", server)
        prefix = folder / "locust"
        locust = start(
            [
                str(BIN / "locust"),
                *("-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary"),
                *("--users", str(args.users), "--spawn-rate", str(args.spawn_rate)),
                *("--run-time", f"{args.duration}s", "--stop-timeout", "5"),
                *("--host", host, "--csv", str(prefix)),
            ],
            {
                **environment,
                "BENCH_URLS": str(folder / "urls.json"),
                "BENCH_FOCAL_POINTS": str(args.focal_points),
                "BENCH_ACCOUNTS": ",".join(accounts),
                "BENCH_PASSWORD": password,
            },
            locust_log,
        )
        locust.wait()
        rows = read_statistics(prefix)
        failures_file = Path(f"{prefix}_failures.csv")
        failures = failures_file.read_text() if failures_file.exists() else ""
    finally:
        stop(locust)
        stop(server)
        for log, name in ((server_log, "gunicorn"), (locust_log, "locust")):
            log.seek(0)
            text = log.read().strip()
            log.close()
            if text and (sys.exc_info()[0] is not None or name == "gunicorn"):
                print(f"--- {name} said:\n{text[-3000:]}", file=sys.stderr)
    if rows:
        # What the run was, once, on the line of all requests.
        rows[0].update(
            users=args.users,
            focal_points=args.focal_points,
            duration_s=args.duration,
            workers=args.workers,
            scale=args.scale,
        )
    return rows, failures, locust.returncode


def print_table(rows):
    print(
        f"{'pages':24} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'failures':>9}"
    )
    for row in rows:
        print(
            f"{row['pages']:24} {row['requests']:>9} {row['requests_per_s']:>7} "
            f"{row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f} "
            f"{row['failures']:>9}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=60, help="Visitors at once, in all.")
    parser.add_argument(
        "--focal-points", type=int, help="Of which signed in (default: one in six)."
    )
    parser.add_argument("--spawn-rate", type=float, default=20, help="Users started a second.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
    parser.add_argument("--scale", type=float, default=1.0, help="generate_volume's --scale.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
    parser.add_argument(
        "--timeout", type=int, default=1200, help="Seconds before everything is stopped."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    if args.focal_points is None:
        args.focal_points = args.users // 6
    if not 0 <= args.focal_points <= args.users:
        parser.error("--focal-points must be between 0 and --users.")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("SKIPPED load benchmark: set DATABASE_URL to a PostgreSQL database (and REDIS_URL).")
        return 0

    def out_of_time(signum, frame):
        raise OutOfTime

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.timeout)
    try:
        with tempfile.TemporaryDirectory() as folder:
            rows, failures, status = run(args, Path(folder))
    except OutOfTime:
        print(f"FAIL: the load benchmark took more than {args.timeout} s; everything stopped.")
        return 1
    finally:
        signal.alarm(0)
    print_table(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    failed = rows[0]["failures"] if rows else 0
    if failed or status != 0 or not rows:
        print(f"\nFAIL: {failed} failed requests (locust status {status}).\n{failures}")
        return 1
    print(f"\nOK: {rows[0]['requests']} requests, none failed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
