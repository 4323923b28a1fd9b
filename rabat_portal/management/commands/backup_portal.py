"""Back up the database and every stored file into one timestamped archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rabat_portal import backup


class Command(BaseCommand):
    help = (
        "Write rabat-portal-backup-<UTC time>.tar.gz into --output: the database (dumpdata, "
        "natural foreign keys), every uploaded file, and a manifest with checksums and counts. "
        "Restore it with restore_portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="Folder for the archive.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, verbosity=1, **options):
        try:
            path, manifest = backup.create_backup(output, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            rows = sum(manifest["counts"].values())
            files = sum(1 for name in manifest["files"] if name.startswith(backup.FILES))
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}: {rows} rows, {files} files."))
        return None
