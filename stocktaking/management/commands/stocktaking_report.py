"""Render the stocktaking report for a period and a language to a PDF file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stocktaking import services as stocktaking
from stocktaking.models import StocktakingReport


class Command(BaseCommand):
    help = (
        "Assemble the stocktaking report from the database and render it to PDF. The texts "
        "are those of the stored report of the period (or of --report); without one, the "
        "report has its data parts only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--report",
            type=int,
            help="The id of the stored report to render (its period unless --from/--to).",
        )
        parser.add_argument("--lang", default="en", choices=["en", "fr"])
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--html", action="store_true", help="Write the HTML instead.")

    def handle(self, *args, start, end, report, lang, output, html, **options):
        try:
            stored = None
            if report is not None:
                stored = StocktakingReport.objects.filter(pk=report).first()
                if stored is None:
                    raise CommandError(f"No stocktaking report has the id {report}.")
                start, end = start or stored.period_start, end or stored.period_end
            if start is None or end is None:
                raise CommandError("Give the period (--from and --to) or a stored --report.")
            period = stocktaking.Period.parse(start, end)
            stored = stored or stocktaking.stored_report(period)
            document = stocktaking.render_html(stocktaking.assemble(period, lang, report=stored))
        except stocktaking.ReportError as error:
            raise CommandError(str(error)) from error
        if html:
            output.write_text(document, encoding="utf-8")
            pages = None
        else:
            pdf, pages = stocktaking.render_pdf(document)
            output.write_bytes(pdf)
        used = f" (texts of report {stored.pk}: {stored})" if stored else " (no stored texts)"
        suffix = f", {pages} pages" if pages else ""
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}{suffix}{used}"))
