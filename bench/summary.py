"""One table of every benchmark's figures: reads bench/results/*.json (each written by a script
of bench/ with --json) and prints them together, then writes them to bench/results/summary.json.

    .venv/bin/python bench/summary.py [--results bench/results] [--json bench/results/summary.json]

Each results file holds a list of rows (objects of one level: text fields say what was measured,
numbers are the figures), or one such object, or an object with a "rows" list. Any new script
that writes one is picked up without a change here. Each benchmark's section shows when its file
was written, so a stale figure shows as such.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SUMMARY_NAME = "summary.json"


def rows_of(data):
    """The rows of one results file, whichever of the accepted shapes it has."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ValueError("expected a list of objects, an object, or an object with 'rows'")
    return data


def collect(folder):
    """{benchmark name: {"written": ISO time, "rows": [...]}} for every results file in
    ``folder`` but the summary itself, in name order. A file that cannot be read is reported
    as such rather than silently left out."""
    benchmarks = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == SUMMARY_NAME:
            continue
        written = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
        try:
            rows = rows_of(json.loads(path.read_text()))
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            rows = [{"error": f"unreadable results file: {error}"}]
        benchmarks[path.stem] = {"written": written.isoformat(timespec="seconds"), "rows": rows}
    return benchmarks


def decimals(values):
    """How many decimals a column of figures needs (at most 2), so its numbers line up."""
    places = [len(repr(value).partition(".")[2]) for value in values if isinstance(value, float)]
    return min(max(places, default=0), 2)


def cell(value, places=0):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.{places}f}"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def aligned(values, widths, numeric):
    return "  ".join(
        value.rjust(width) if is_number else value.ljust(width)
        for value, width, is_number in zip(values, widths, numeric, strict=True)
    ).rstrip()


def table(benchmarks):
    """The lines of the table: per benchmark a title line, its column headings, and its rows
    (text columns left-aligned, figures right-aligned)."""
    lines = []
    for name, benchmark in benchmarks.items():
        rows = benchmark["rows"]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        places = [decimals([row.get(column) for row in rows]) for column in columns]
        cells = [
            [cell(row.get(key, ""), place) for key, place in zip(columns, places, strict=True)]
            for row in rows
        ]
        numeric = [
            all(
                isinstance(row.get(column), (int, float)) and not isinstance(row.get(column), bool)
                for row in rows
                if column in row
            )
            for column in columns
        ]
        widths = [
            max([len(column), *(len(line[index]) for line in cells)])
            for index, column in enumerate(columns)
        ]
        heading = aligned(columns, widths, numeric)
        lines.append("")
        title = f"== {name} (written {benchmark['written']}) "
        lines.append(title.ljust(max(len(heading), 72), "="))
        lines.append(heading)
        lines.extend(aligned(values, widths, numeric) for values in cells)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--json", type=Path, help=f"Default: <results>/{SUMMARY_NAME}.")
    args = parser.parse_args(argv)
    benchmarks = collect(args.results)
    if not benchmarks:
        print(f"No results in {args.results}: run `make bench` first.", file=sys.stderr)
        return 1
    output = args.json or args.results / SUMMARY_NAME
    output.write_text(json.dumps({"benchmarks": benchmarks}, indent=2))
    print("\n".join(table(benchmarks)).lstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
