"""Stored HTML made again from the stored text, when the markup rules change.

Bodies are rendered once, when saved (``threads.markup``), so a page never pays for
Markdown; the price is that stored ``body_html`` keeps the rules of the day it was
written. ``bodies_rerender`` renders every thread's and comment's ``body`` again with
today's rules (``manage.py rerender``), as Lobsters' ``regenerate_markdown`` does.

- Batches of consecutive primary keys, each in its own short transaction with its rows
  locked, so the site keeps running and an edit in between is never overwritten with
  HTML of the text before it.
- Only ``body_html`` of rows whose HTML changed is written, with one UPDATE per batch:
  no ``save()``, no signals, no tree field touched, and a second run writes nothing.
- A deleted comment has no text and keeps no HTML; a removed comment keeps its text
  (moderators read it, and restoring brings it back), so it is rendered again too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction

from threads import page_cache
from threads.markup import render_markdown
from threads.models import Comment, Thread

DEFAULT_BATCH_SIZE = 500
BATCH_SIZE_NOT_POSITIVE = "The batch size must be at least 1."


@dataclass(frozen=True)
class RerenderResult:
    """How many rows were read and how many of them got new HTML (or would, in a dry run)."""

    threads_examined: int
    threads_changed: int
    comments_examined: int
    comments_changed: int


def bodies_rerender(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    dry_run: bool = False,
) -> RerenderResult:
    """Re-render every thread's and comment's ``body_html`` from its ``body``.

    ``progress(done, total)`` is called after each batch, counting threads and comments
    together. With ``dry_run`` nothing is written; the counts say what would change.
    """
    if batch_size < 1:
        raise ValueError(BATCH_SIZE_NOT_POSITIVE)
    total = Thread.objects.count() + Comment.objects.count()
    done = 0

    def batch_done(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, max(total, done))  # rows added meanwhile still end the bar full

    threads = _rerender_table(Thread, batch_size=batch_size, dry_run=dry_run, on_batch=batch_done)
    comments = _rerender_table(Comment, batch_size=batch_size, dry_run=dry_run, on_batch=batch_done)
    return RerenderResult(*threads, *comments)


def _rerender_table(
    model: type[models.Model], *, batch_size: int, dry_run: bool, on_batch: Callable[[int], None]
) -> tuple[int, int]:
    """(rows examined, rows changed) for one table, walked in primary-key order."""
    examined = changed = 0
    after = None
    while True:
        with transaction.atomic():
            rows = model._default_manager.order_by("pk")
            if after is not None:
                rows = rows.filter(pk__gt=after)
            if not dry_run:
                rows = rows.select_for_update()
            batch = list(rows.values_list("pk", "body", "body_html")[:batch_size])
            if not batch:
                return examined, changed
            stale = [
                model(pk=pk, body_html=html)
                for pk, body, stored in batch
                if (html := render_markdown(body)) != stored
            ]
            if stale and not dry_run:
                model._default_manager.bulk_update(stale, ["body_html"])
                page_cache.everything_changed()
        examined += len(batch)
        changed += len(stale)
        after = batch[-1][0]
        on_batch(len(batch))
