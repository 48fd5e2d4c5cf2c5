"""Re-rank the front page's recent threads as time decays their hot rank.

A vote or a comment refreshes its thread's stored rank at once; time alone does not, so
this runs on a schedule (every 10 minutes from cron, as README.md's "Front page and
page cache" section shows; ``make run`` runs it once at start). It re-ranks threads of
the last ``--days`` (default ``limits.RERANK_WINDOW_DAYS``) in short batches, writes only
ranks that moved, and is safe at any time with the site running.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from threads import limits, services


class Command(BaseCommand):
    help = "Re-rank recent threads for the front page's hot order (run every 10 minutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=limits.RERANK_WINDOW_DAYS,
            help=f"Re-rank threads started this many days ago or since "
            f"(default {limits.RERANK_WINDOW_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running, re-ranking every SECONDS (make run, the load test, or a "
            "service manager instead of cron).",
        )

    def handle(self, *args, days, dry_run, every, verbosity, **options):
        if days < 1:
            raise CommandError(f"--days must be at least 1, not {days}.")
        if every is not None and every < 1:
            raise CommandError(f"--every must be at least 1 second, not {every}.")
        self.rerank(days, dry_run, verbosity)
        while every:
            time.sleep(every)
            close_old_connections()  # the loop must not keep a connection past its age
            self.rerank(days, dry_run, verbosity)

    def rerank(self, days: int, dry_run: bool, verbosity: int) -> None:
        examined, changed = services.threads_rerank(days=days, dry_run=dry_run)
        if verbosity:
            verb = "Would re-rank" if dry_run else "Re-ranked"
            noun = "thread" if examined == 1 else "threads"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {changed:,} of {examined:,} {noun} from the last {days} days."
                )
            )
