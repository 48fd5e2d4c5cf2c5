"""Import a discussion from a file: a transcript (.txt) or an export (see README).

Running it again on the same source adds nothing; on a newer export of the same thread
it adds only the new comments. Bad input stops with one line naming the file and the
offending line or item, and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads import services
from threads.importers import ImportFailed, parse_file
from threads.importers.registry import PARSERS


class Command(BaseCommand):
    help = "Import a thread from a transcript or export file; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to import.")
        parser.add_argument("--title", help="Thread title when the file names none.")
        parser.add_argument(
            "--format", dest="fmt", choices=sorted(PARSERS), help="Skip format detection."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; write nothing."
        )

    def handle(self, *args, path, title, fmt, dry_run, verbosity, **options):
        try:
            parsed = parse_file(path, fmt=fmt, title=title)
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        result = services.thread_import(parsed=parsed, dry_run=dry_run)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(self.summary(result, dry_run)))

    @staticmethod
    def summary(result, dry_run: bool) -> str:
        verb = "Would import" if dry_run else "Imported"
        state = "new thread" if result.thread_created else "existing thread"
        parts = [
            f"{verb} {result.thread.title!r} ({state}): "
            f"{result.created} comments created, {result.present} already present"
        ]
        if result.repeats:
            parts.append(f"{result.repeats} repeated lines merged")
        if result.skipped:
            parts.append(f"{result.skipped} placeholders skipped")
        return ", ".join(parts) + "."
