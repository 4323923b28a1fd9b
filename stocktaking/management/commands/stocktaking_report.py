"""Render the stocktaking report for a period and a language to a PDF file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stocktaking import services as stocktaking


class Command(BaseCommand):
    help = "Assemble the stocktaking report from the database and render it to PDF."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--lang", default="en", choices=["en", "fr"])
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--html", action="store_true", help="Write the HTML instead.")

    def handle(self, *args, start, end, lang, output, html, **options):
        try:
            period = stocktaking.Period.parse(start, end)
            document = stocktaking.render_html(stocktaking.assemble(period, lang))
        except stocktaking.ReportError as error:
            raise CommandError(str(error)) from error
        if html:
            output.write_text(document, encoding="utf-8")
        else:
            pdf, _pages = stocktaking.render_pdf(document)
            output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
