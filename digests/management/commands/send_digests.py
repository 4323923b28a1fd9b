"""Send the e-mail digests owed for the current period, in this process (no Celery needed)."""

from django.core.management.base import BaseCommand

from digests import services as digests


class Command(BaseCommand):
    help = (
        "Send the e-mail digests of a period (the same work as the Celery task, in-process). "
        "Safe to run again: nobody gets the same digest twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=list(digests.PERIODS), default="weekly")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Build and print the digests; record and send nothing.",
        )
        parser.add_argument("--user", metavar="EMAIL", help="Only this member's digest.")

    def handle(self, *args, period, dry_run, user, **options):
        def show(digest, message):
            if dry_run and options["verbosity"] > 1:
                self.stdout.write(message.message().as_string())
            else:
                self.stdout.write(f"{message.to[0]}: {message.subject}")

        result = digests.run_digests(period, email=user, dry_run=dry_run, on_digest=show)
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.would_send} digest(s) would be sent, "
                f"{result.nothing_new} with nothing new."
            )
        else:
            self.stdout.write(
                f"{result.sent} sent, {result.failed} failed, {result.nothing_new} with nothing "
                f"new, {result.skipped} already handled by another run."
            )
        if result.failed:
            self.stderr.write("Some digests failed: see the deliveries log in the admin.")
