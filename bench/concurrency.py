"""Pages under concurrent load, side by side with the floor: gunicorn with the production
settings, PostgreSQL and Redis, and the load generator on the same machine.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/concurrency.py
        [--concurrency 8] [--duration 10] [--scale 1] [--workers 3]
        [--json bench/results/concurrency.json]

Prepares the database as bench/load.py does (migrate, bootstrap, ``generate_volume``), starts
gunicorn, then in one run loads each kind of page alone at --concurrency for --duration seconds:
first the floor (robots.txt, a view that reads nothing), then the home page, the meetings list,
the documents list and meeting pages (anonymous), then a signed-in focal point's pages. Each
kind of page is visited once before it is measured (as on a site with visitors), and its
median and 95th percentile are given as ratios to the floor's under the same load.

Fails (status 1) when a request fails or a ratio exceeds its limit: anonymous pages at most 3×
the floor's median and 4× its 95th percentile, a focal point's pages a median under 5×.
Without a PostgreSQL DATABASE_URL it says so and skips (status 0).
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port, production_environment, start, stop, wait_until_serving  # noqa: E402

# (median, 95th percentile) limits as multiples of the floor's under the same load.
PUBLIC_LIMITS = (3.0, 4.0)
PRIVATE_LIMITS = (5.0, None)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(scale, password):
    """The database at the volume; returns {kind of page: (URLs, signed in?)} and an account."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench.volume import GenerateVolume
    from focalpoints.models import Membership
    from meetings.models import Meeting

    call_command("migrate", verbosity=0, interactive=False)
    call_command("bootstrap", verbosity=0)
    call_command(GenerateVolume(), scale=scale, password=password, verbosity=0)
    rng = random.Random(2018)
    meetings = rng.sample(list(Meeting.objects.order_by("pk").values_list("slug", flat=True)), 50)
    account = (
        Membership.objects.focal_points()
        .filter(user__email__startswith="synthetic-")
        .order_by("pk")
        .values_list("user__email", flat=True)
        .first()
    )
    pages = {
        "floor (robots.txt)": (["/robots.txt"], False),
        "home": (["/en/"], False),
        "meetings list": (["/en/meetings/"], False),
        "documents list": (["/en/documents/"], False),
        "meeting page": ([f"/en/meetings/{slug}/" for slug in meetings], False),
        "floor, signed in": (["/robots.txt"], True),
        "dashboard (focal point)": (["/en/private/"], True),
        "restricted documents (focal point)": (["/en/private/documents/"], True),
    }
    return pages, account


class Connection:
    """One keep-alive HTTP connection with its own cookies, as one browser would hold."""

    def __init__(self, port, cookies=""):
        self.port = port
        self.cookies = cookies
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, url):
        headers = {"Cookie": self.cookies} if self.cookies else {}
        try:
            self.connection.request("GET", url, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        return response, body


def sign_in(port, email, password):
    """The Cookie header of a focal point's session, signed in through the login form."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/en/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    jar = {}

    def keep(response):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                jar[name] = rest.split(";", 1)[0]

    keep(response)
    body = urllib.parse.urlencode(
        {
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1),
        }
    )
    connection.request(
        "POST",
        "/en/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://127.0.0.1:{port}/en/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    keep(response)
    if response.status != 302:
        raise SystemExit(f"The focal point could not sign in (status {response.status}).")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def hammer(port, urls, cookies, concurrency, duration):
    """Timings (s) and failures of ``concurrency`` clients requesting ``urls`` in turn."""
    timings, failures = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client(number):
        connection = Connection(port, cookies)
        rng = random.Random(number)
        mine, failed = [], []
        while time.monotonic() < deadline:
            url = rng.choice(urls)
            began = time.perf_counter()
            try:
                response, _body = connection.get(url)
                if response.status != 200:
                    failed.append(f"{url}: {response.status}")
            except (OSError, http.client.HTTPException) as error:
                failed.append(f"{url}: {error}")
            mine.append(time.perf_counter() - began)
        with lock:
            timings.extend(mine)
            failures.extend(failed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, failures


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(port, pages, cookies, concurrency, duration):
    rows = []
    floors = {}
    for name, (urls, signed_in) in pages.items():
        cookie = cookies if signed_in else ""
        # Visited once first: a site with visitors has seen its pages (and warmed its caches).
        warm = Connection(port, cookie)
        for url in urls:
            warm.get(url)
        timings, failures = hammer(port, urls, cookie, concurrency, duration)
        median = statistics.median(timings)
        p95 = percentile(timings, 0.95)
        if name.startswith("floor"):
            floors[signed_in] = (median, p95)
        floor_median, floor_p95 = floors[signed_in]
        rows.append(
            {
                "page": name,
                "visitor": "focal point" if signed_in else "public",
                "concurrency": concurrency,
                "requests": len(timings),
                "requests_per_s": round(len(timings) / duration, 1),
                "p50_ms": round(median * 1000, 1),
                "p95_ms": round(p95 * 1000, 1),
                "p50_x_floor": round(median / floor_median, 1),
                "p95_x_floor": round(p95 / floor_p95, 1),
                "failures": len(failures),
            }
        )
        if failures:
            print(f"{name}: {len(failures)} failed, e.g. {failures[0]}", file=sys.stderr)
    return rows


def over_limits(rows):
    """The pages whose ratios exceed their limits, in words."""
    problems = []
    for row in rows:
        if row["page"].startswith("floor"):
            continue
        median_limit, p95_limit = PRIVATE_LIMITS if row["visitor"] != "public" else PUBLIC_LIMITS
        if row["p50_x_floor"] > median_limit:
            problems.append(f"{row['page']}: median {row['p50_x_floor']}× > {median_limit}×")
        if p95_limit and row["p95_x_floor"] > p95_limit:
            problems.append(f"{row['page']}: 95th percentile {row['p95_x_floor']}× > {p95_limit}×")
        if row["failures"]:
            problems.append(f"{row['page']}: {row['failures']} failed requests")
    return problems


def print_table(rows):
    print(
        f"{'page':36} {'visitor':12} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p50 ×':>6} "
        f"{'p95 ×':>6} {'fail':>5}"
    )
    for row in rows:
        print(
            f"{row['page']:36} {row['visitor']:12} {row['requests_per_s']:>7} "
            f"{row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['p50_x_floor']:>6.1f} "
            f"{row['p95_x_floor']:>6.1f} {row['failures']:>5}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per kind of page.")
    parser.add_argument("--scale", type=float, default=1.0, help="generate_volume's --scale.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("SKIPPED concurrency benchmark: set DATABASE_URL to PostgreSQL (and REDIS_URL).")
        return 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        environment = production_environment(folder)
        os.environ.update(environment)
        password = secrets.token_urlsafe(16)
        pages, account = prepare(args.scale, password)
        from django.core.management import call_command

        call_command("collectstatic", verbosity=0, interactive=False)
        port = free_port()
        log = open(folder / "gunicorn.log", "w+", encoding="utf-8")  # noqa: SIM115
        server = None
        try:
            server = start(
                [
                    str(BIN / "gunicorn"),
                    "rabat_portal.wsgi:application",
                    *("--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)),
                    *("--timeout", "30", "--log-level", "warning"),
                ],
                environment,
                log,
            )
            wait_until_serving(f"http://127.0.0.1:{port}/en/", server)
            cookies = sign_in(port, account, password)
            rows = measure(port, pages, cookies, args.concurrency, args.duration)
        finally:
            stop(server)
            log.seek(0)
            said = log.read().strip()
            log.close()
            if said:
                print(f"--- gunicorn said:\n{said[-3000:]}", file=sys.stderr)
    print_table(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    problems = over_limits(rows)
    if problems:
        print("\nFAIL:\n  " + "\n  ".join(problems))
        return 1
    print("\nOK: every page within its limits under load.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
