"""Rebuilding the search index from the tables (``manage.py rebuild_search_index``).

The triggers keep the index exact on their own; a rebuild is for a database restored
from a backup taken without it, or one whose index was damaged. It empties and refills
both indexes in one transaction, so searches see the old index or the new one, never a
half-built one, batch by batch for the progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from threads.models import Comment, Thread
from threads.search import schema

DEFAULT_BATCH_SIZE = 5_000
BATCH_SIZE_NOT_POSITIVE = "The batch size must be at least 1."


@dataclass(frozen=True)
class RebuildResult:
    """How many rows were (or, in a dry run, would be) indexed, and what was wrong."""

    threads: int
    comments: int
    problems: list[str]


def search_index_rebuild(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    dry_run: bool = False,
) -> RebuildResult:
    """Index every thread and comment again; ``progress(done, total)`` after each batch.
    With ``dry_run`` nothing is written: the result says what is wrong now."""
    if batch_size < 1:
        raise ValueError(BATCH_SIZE_NOT_POSITIVE)
    found = schema.problems()
    keys = {
        model: list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for model in (Thread, Comment)
    }
    total = sum(len(pks) for pks in keys.values())
    if dry_run:
        return RebuildResult(len(keys[Thread]), len(keys[Comment]), found)
    done = 0
    with transaction.atomic():
        schema.install()  # triggers first: what is written meanwhile is indexed too
        with connection.cursor() as cursor:
            for model, pks in keys.items():
                table = model._meta.db_table
                schema.clear(cursor, connection.vendor, table)
                for start in range(0, len(pks), batch_size):
                    batch = pks[start : start + batch_size]
                    schema.fill(cursor, connection.vendor, table, batch[0], batch[-1])
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
    return RebuildResult(len(keys[Thread]), len(keys[Comment]), found)
