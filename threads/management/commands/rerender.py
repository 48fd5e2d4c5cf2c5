"""Render every stored thread and comment body again with today's markup rules.

Bodies are turned into HTML once, when saved (``threads.markup``); after the rules
change (an upgrade that renders tables, say), stored HTML still follows the old ones
until this runs. It is safe at any time, the site running: it works in short batches,
writes only bodies whose HTML changed, and a second run changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from threads import services
from threads.management.progress import progress_bar
from threads.services.bodies import DEFAULT_BATCH_SIZE


def _count(changed: int, total: int, noun: str) -> str:
    return f"{changed:,} of {total:,} {noun}{'' if total == 1 else 's'}"


class Command(BaseCommand):
    help = "Re-render the HTML of every thread and comment body with the current markup rules."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args, batch_size, dry_run, verbosity, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, not {batch_size}.")
        progress = self.progress_bar(verbosity)
        result = services.bodies_rerender(batch_size=batch_size, progress=progress, dry_run=dry_run)
        if progress is not None:
            self.stderr.write("")
        if verbosity:
            verb = "Would re-render" if dry_run else "Re-rendered"
            threads = _count(result.threads_changed, result.threads_examined, "thread")
            comments = _count(result.comments_changed, result.comments_examined, "comment")
            self.stdout.write(self.style.SUCCESS(f"{verb} {threads} and {comments}."))

    def progress_bar(self, verbosity: int):
        return progress_bar(self.stderr, verbosity, "bodies")
