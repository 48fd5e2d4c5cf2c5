"""Import discussions from a file: a transcript (.txt) or an export (see README).

Formats: our own forum JSON (``export_thread`` writes it; one file may hold several
threads), Reddit, Lemmy and Hacker News JSON, detected from the content; a file in no
known format is refused. Running it
again on the same source adds nothing; on a newer export of the same thread it adds
only the new comments and refreshes scores. Bad input stops with one line naming the
file and the offending line or item, and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from threads import services
from threads.importers import ImportFailed, parse_threads
from threads.importers.registry import PARSERS, check_format
from threads.management.progress import progress_bar

PROGRESS_MIN_COMMENTS = 5000  # smaller imports finish before a bar is worth drawing


class Command(BaseCommand):
    help = "Import threads from a transcript or export file; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="File to import.")
        parser.add_argument("--title", help="Thread title when the file names none.")
        parser.add_argument(
            "--format",
            dest="fmt",
            metavar="FORMAT",
            help=f"One of {', '.join(PARSERS)}; skips detection from the content.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; write nothing."
        )

    def handle(self, *args, path, title, fmt, dry_run, verbosity, **options):
        try:
            check_format(fmt)  # before the file: the option is at fault, whatever the file
            threads = parse_threads(path, fmt=fmt, title=title)
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        try:
            with transaction.atomic():  # a file with several threads imports all or none
                for parsed in threads:
                    self.import_one(parsed, dry_run=dry_run, verbosity=verbosity)
        except DatabaseError as error:
            # Parsing checks every value first; this is the last line of defence.
            reason = str(error).strip().splitlines()[0]
            raise CommandError(f"{path}: the database refused the import ({reason})") from None

    def import_one(self, parsed, *, dry_run: bool, verbosity: int) -> None:
        progress = self.progress_bar(len(parsed.comments), verbosity)
        result = services.thread_import(parsed=parsed, dry_run=dry_run, progress=progress)
        if progress is not None:
            self.stderr.write("")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(self.summary(result, dry_run)))

    def progress_bar(self, total: int, verbosity: int):
        """A one-line bar redrawn per batch, only on a terminal and for big imports."""
        if total < PROGRESS_MIN_COMMENTS:
            return None
        return progress_bar(self.stderr, verbosity, "comments")

    @staticmethod
    def summary(result, dry_run: bool) -> str:
        verb = "Would import" if dry_run else "Imported"
        state = "new thread" if result.thread_created else "existing thread"
        parts = [
            f"{verb} {result.thread.title!r} ({state}): "
            f"{result.created} comments created, {result.present} already present"
        ]
        if result.updated:
            parts.append(f"{result.updated} updated")
        if result.repeats:
            parts.append(f"{result.repeats} repeated lines merged")
        missing = result.thread.missing_count
        missing_text = f"{missing} comment{'s' * (missing != 1)} not in the file"
        if result.skipped:
            parts.append(f"{result.skipped} placeholders skipped ({missing_text})")
        elif missing:  # counted from the source's own tallies (Lemmy's child counts)
            parts.append(missing_text)
        return ", ".join(parts) + "."
