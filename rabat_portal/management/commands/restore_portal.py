"""Restore an archive written by backup_portal into this portal's database and storages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rabat_portal import backup


class Command(BaseCommand):
    help = (
        "Restore a backup_portal archive: checks it first, refuses a database that is not empty "
        "unless --force, and one migrated to another point than the archive's; then loads the "
        "rows in one transaction, writes the files and verifies counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds (every row is deleted first).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, force, database, verbosity=1, **options):
        try:
            result = backup.restore_backup(archive, force=force, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            for label, count in sorted(result["counts"].items()):
                if count:
                    self.stdout.write(f"  {label}: {count}")
            for alias, count in sorted(result["files"].items()):
                self.stdout.write(f"  files in {alias}: {count}")
            rows = sum(result["counts"].values())
            files = sum(result["files"].values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {archive}: {rows} rows and {files} files, counts and checksums "
                    "verified."
                )
            )
