"""Rebuild the full-text search index from the thread and comment tables.

The database keeps the index in step with every write by itself (triggers); this is for
a database restored from a backup made without the index, or an index found wrong
(``--dry-run`` says whether it is). It refills the index in one transaction, so
searches keep answering from the old index until it commits.
"""

from django.core.management.base import BaseCommand, CommandError

from threads import services
from threads.management.progress import progress_bar
from threads.services.search import DEFAULT_BATCH_SIZE


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = "Rebuild the search index of every thread and comment."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per step of the progress bar (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the index and count what would be indexed; write nothing.",
        )

    def handle(self, *args, batch_size, dry_run, verbosity, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, not {batch_size}.")
        progress = self.progress_bar(verbosity)
        result = services.search_index_rebuild(
            batch_size=batch_size, progress=progress, dry_run=dry_run
        )
        if progress is not None and not dry_run:
            self.stderr.write("")
        if verbosity > 1 or (dry_run and verbosity):
            for problem in result.problems:
                self.stdout.write(self.style.NOTICE(problem))
        if verbosity:
            items = f"{_plural(result.threads, 'thread')} and {_plural(result.comments, 'comment')}"
            state = (
                "the index was right"
                if not result.problems
                else f"the index had {_plural(len(result.problems), 'problem')}"
            )
            verb = "Would index" if dry_run else "Indexed"
            self.stdout.write(self.style.SUCCESS(f"{verb} {items}; {state}."))

    def progress_bar(self, verbosity: int):
        return progress_bar(self.stderr, verbosity, "rows")
