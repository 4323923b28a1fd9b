"""Post replies to the laboratory's notifications: one message on standard input, or a Maildir."""

import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ideas_lab.inbound import handle_message

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Read one e-mail (RFC 5322) on standard input, or every new message of a Maildir, and "
        "post each reply to a laboratory notification as its sender's comment. Refused "
        "messages post nothing and are answered with a bounce e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--maildir",
            help=(
                "Process the messages in PATH/new and move each to PATH/cur once handled (to "
                "PATH/quarantine if it could not be)."
            ),
        )

    def handle(self, *args, maildir=None, **options):
        if maildir:
            self.process_maildir(Path(maildir))
            return
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("No message on standard input.")
        self.report("stdin", handle_message(raw))

    def process_maildir(self, path):
        new, cur = path / "new", path / "cur"
        if not new.is_dir() or not cur.is_dir():
            raise CommandError(f"{path} is not a Maildir (it needs new/ and cur/).")
        quarantined = 0
        for item in sorted(new.iterdir()):
            if not item.is_file() or item.name.startswith("."):
                continue
            try:
                result = handle_message(item.read_bytes())
            except Exception:
                # Left in new/, the message would be tried again on every run and hold up
                # nothing else, but it would never be handled either: it goes aside, and the
                # next message is processed.
                logger.exception("Inbound message %s could not be handled", item.name)
                (path / "quarantine").mkdir(exist_ok=True)
                item.rename(path / "quarantine" / item.name)
                self.stdout.write(f"{item.name}: quarantined")
                quarantined += 1
                continue
            # ":2,S" marks the message seen, as mail clients do when they move it to cur/.
            item.rename(cur / f"{item.name.split(':')[0]}:2,S")
            self.report(item.name, result)
        if quarantined:
            raise CommandError(
                f"{quarantined} message(s) could not be handled: see {path / 'quarantine'}."
            )

    def report(self, name, result):
        detail = f" ({result.reason})" if result.reason else ""
        self.stdout.write(f"{name}: {result.outcome}{detail}")
