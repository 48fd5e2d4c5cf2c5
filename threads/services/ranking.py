"""The front page's stored hot rank: refreshed by the writes that move it, and by
``rerank`` as time decays it.

``Thread.hot_rank`` holds Lemmy's formula (``threads.sorting.hot_rank``) as of the last
refresh, so the hot order is one indexed query. A vote on the thread or a new comment
refreshes that thread at once; everything else only ages, which ``threads_rerank`` (the
``rerank`` command, every 10 minutes from cron) catches up on for threads of the last
``limits.RERANK_WINDOW_DAYS``, as Lemmy's scheduled task does. Older threads keep the
rank they had when they left the window: by then it is a sliver of a new thread's, and
among themselves they stay in score order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from threads import limits, page_cache
from threads.models import Thread
from threads.sorting import hot_rank

BAD_WINDOW = "The window is a whole number of days, at least 1."


def thread_rank_refresh(*, thread_id: int, now: datetime | None = None) -> float | None:
    """Store the thread's hot rank as of now; runs inside the caller's transaction (the
    vote or comment that moved it), after its counts changed. None: no such thread."""
    row = Thread.objects.filter(pk=thread_id).values_list("score", "created_at").first()
    if row is None:
        return None
    rank = hot_rank(row[0], row[1], now or timezone.now())
    Thread.objects.filter(pk=thread_id).update(hot_rank=rank)
    return rank


def threads_rerank(
    *, days: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> tuple[int, int]:
    """Re-rank threads started in the last ``days`` (default ``limits.RERANK_WINDOW_DAYS``)
    as of ``now``, in batches of one short transaction each; returns (examined, changed).

    Writes only ranks that moved, so a quiet forum costs a read; when any moved the front
    page's cached copies go (``page_cache.site_changed``).
    """
    days = limits.RERANK_WINDOW_DAYS if days is None else days
    if not isinstance(days, int) or days < 1:
        raise ValueError(BAD_WINDOW)
    now = now or timezone.now()
    recent = Thread.objects.filter(created_at__gte=now - timedelta(days=days)).order_by("pk")
    examined = changed = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = recent.filter(pk__gt=last_pk).select_for_update()  # no vote lands between
            fields = ("pk", "score", "created_at", "hot_rank")
            rows = list(batch.values_list(*fields)[: limits.RERANK_BATCH_SIZE])
            if not rows:
                break
            last_pk = rows[-1][0]
            examined += len(rows)
            moved = []
            for pk, score, created_at, stored in rows:
                rank = hot_rank(score, created_at, now)
                if rank != stored:
                    moved.append(Thread(pk=pk, hot_rank=rank))
            changed += len(moved)
            if moved and not dry_run:
                Thread.objects.bulk_update(moved, ["hot_rank"])
    if changed and not dry_run:
        page_cache.site_changed()
    return examined, changed
