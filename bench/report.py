"""Stocktaking report cost: assembling the data and rendering the PDF, for the seed data and for
ten times as many meetings and documents, with the time WeasyPrint alone takes on the same HTML
in the same run, so the cost of assembling shows as a ratio.

    .venv/bin/python bench/report.py [--json bench/results/report.json]
"""

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import configure


def measure(period):
    """Times without tracing (tracemalloc slows Python down), then peak memory in a traced run."""
    from stocktaking import services as stocktaking

    def make_report():
        html = stocktaking.render_html(stocktaking.assemble(period, "en"))
        return html, stocktaking.render_pdf(html)[1]

    make_report()  # warm up fonts, templates and matplotlib
    start = time.perf_counter()
    html, pages = make_report()
    total = time.perf_counter() - start
    start = time.perf_counter()
    stocktaking.render_pdf(html)
    weasyprint_alone = time.perf_counter() - start
    tracemalloc.start()
    make_report()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "pages": pages,
        "total_s": round(total, 2),
        "weasyprint_alone_s": round(weasyprint_alone, 2),
        "assembling_share": round((total - weasyprint_alone) / total, 2),
        "peak_python_memory_mb": round(peak / 1e6, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        configure(f"sqlite:///{folder}/bench.sqlite3")
        from django.core.management import call_command

        from bench.volume import GenerateVolume
        from meetings.models import Document, Meeting
        from stocktaking.services import Period

        call_command("migrate", verbosity=0)
        call_command("bootstrap", verbosity=0)
        period = Period.parse("2018-05-01", "2020-10-31")
        rows = [{"data": "seed", **measure(period)}]
        meetings, documents = Meeting.objects.count(), Document.objects.count()
        # Totals, not additions; scale 0 leaves ideas, labelling and focal points as seeded.
        call_command(
            GenerateVolume(),
            scale=0,
            meetings=10 * meetings,
            documents=10 * documents,
            verbosity=0,
        )
        rows.append({"data": "10x seed", **measure(period)})
    header = ("data", "pages", "total s", "WeasyPrint s", "assembling", "peak MB")
    print("{:10} {:>6} {:>8} {:>13} {:>11} {:>8}".format(*header))
    for row in rows:
        print(
            "{:10} {:>6} {:>8} {:>13} {:>10.0%} {:>8}".format(
                row["data"],
                row["pages"],
                row["total_s"],
                row["weasyprint_alone_s"],
                row["assembling_share"],
                row["peak_python_memory_mb"],
            )
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
