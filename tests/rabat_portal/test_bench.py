"""The benchmarks of bench/: the combined table, and the page-cost script at a tiny volume."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import summary
from bench.pages import growing_pages, over_limit

ROOT = Path(__file__).resolve().parent.parent.parent


def run_summary(folder):
    return subprocess.run(
        [sys.executable, str(ROOT / "bench/summary.py"), "--results", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_summary_puts_every_results_file_in_one_table(tmp_path):
    (tmp_path / "pages.json").write_text(
        json.dumps(
            [
                {"page": "home", "median_ms": 12.5, "ratio_to_minimal_view": 31.2, "queries": 9},
                {"page": "search", "median_ms": 40.25, "ratio_to_minimal_view": 98.0, "queries": 7},
            ]
        )
    )
    (tmp_path / "load.json").write_text(
        json.dumps({"users": 60, "requests_per_s": 85.3, "p95_ms": 210, "errors": 0})
    )
    (tmp_path / "summary.json").write_text('{"benchmarks": "an earlier summary"}')

    result = run_summary(tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("== load (written ")
    assert lines[1].split() == ["users", "requests_per_s", "p95_ms", "errors"]
    assert lines[2].split() == ["60", "85.3", "210", "0"]
    pages_title = next(index for index, line in enumerate(lines) if line.startswith("== pages"))
    assert lines[pages_title + 1].split() == [
        "page",
        "median_ms",
        "ratio_to_minimal_view",
        "queries",
    ]
    assert lines[pages_title + 2].split() == ["home", "12.50", "31.2", "9"]
    assert lines[pages_title + 3].split() == ["search", "40.25", "98.0", "7"]
    assert "earlier summary" not in result.stdout
    written = json.loads((tmp_path / "summary.json").read_text())["benchmarks"]
    assert list(written) == ["load", "pages"]
    assert written["load"]["rows"] == [
        {"users": 60, "requests_per_s": 85.3, "p95_ms": 210, "errors": 0}
    ]
    assert written["pages"]["rows"][1]["page"] == "search"


def test_the_summary_shows_an_unreadable_file_and_fails_without_any(tmp_path):
    assert run_summary(tmp_path).returncode == 1
    (tmp_path / "digests.json").write_text("not json")

    result = run_summary(tmp_path)

    assert result.returncode == 0
    assert "unreadable results file" in result.stdout


def test_a_page_whose_query_count_grows_with_the_volume_is_named():
    rows = [
        {"page": "home", "queries": 9},
        {"page": "idea page", "queries": 15},
        {"page": "home", "queries": 9},
        {"page": "idea page", "queries": 55},
    ]

    assert growing_pages(rows) == ["idea page"]


def test_a_page_asking_one_query_less_at_the_larger_volume_is_not_named():
    # The small volume's first page holds a project whose meeting was postponed: one more
    # query, for those postponements, than the large volume's page.
    rows = [
        {"page": "labelled projects", "queries": 3},
        {"page": "labelled projects", "queries": 2},
    ]

    assert growing_pages(rows) == []


def test_a_page_over_its_limit_at_the_realistic_volume_is_named():
    rows = [
        {"page": "home", "ratio_to_minimal_view": 35.0, "limit": None},
        {"page": "home", "ratio_to_minimal_view": 18.5, "limit": 20},
        {"page": "documents list", "ratio_to_minimal_view": 24.0, "limit": 20},
        {"page": "dashboard", "ratio_to_minimal_view": 29.0, "limit": 30},
    ]

    assert over_limit(rows) == ["documents list (24.0× > 20×)"]


def test_the_rows_of_each_accepted_shape():
    row = {"figure": 1}

    assert summary.rows_of([row]) == [row]
    assert summary.rows_of(row) == [row]
    assert summary.rows_of({"rows": [row]}) == [row]


@pytest.mark.external
def test_page_costs_run_at_a_tiny_volume(tmp_path):
    """The whole script, as `make bench` runs it, on 100 and 150 meetings with one repetition."""
    environment = {key: value for key, value in os.environ.items() if key != "BENCH_DATABASE_URL"}
    output = tmp_path / "pages.json"

    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/pages.py"),
            *("--repeat", "1", "--scale", "0.03", "--small-scale", "0.02"),
            *("--json", str(output)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: no page's query count grows with the volume." in result.stdout
    rows = json.loads(output.read_text())
    pages = {row["page"] for row in rows}
    assert {"home", "search", "labelled project", "review queue", "idea page"} <= pages
    assert len({row["volume"] for row in rows}) == 2
    assert all(row["queries"] > 0 for row in rows if row["page"] != "minimal view")
    assert {row["visitor"] for row in rows} == {"public", "focal point", "secretariat"}


def test_the_load_benchmark_says_it_needs_postgresql_rather_than_failing():
    environment = {**os.environ, "DATABASE_URL": "sqlite:///nowhere.sqlite3"}

    result = subprocess.run(
        [sys.executable, str(ROOT / "bench/load.py"), "--duration", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )

    assert result.returncode == 0
    assert result.stdout.startswith("SKIPPED load benchmark: set DATABASE_URL to a PostgreSQL")
