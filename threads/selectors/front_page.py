"""The front page: threads in hot, new or top order, and the viewer's vote on a thread."""

from __future__ import annotations

from django.utils import timezone

from threads.models import Thread, Vote
from threads.sorting import hot_rank

THREAD_SORTS = ("hot", "new", "top")


def thread_ids_by(sort: str, *, now=None):
    """Thread ids in front-page order, ready for a paginator.

    "hot" ranks in Python over (id, score, created_at): Lemmy's formula needs logarithms
    and powers that SQLite and PostgreSQL spell differently, and three small columns
    per thread stay cheap for any forum this size.
    """
    threads = Thread.objects.all()
    if sort == "new":
        return threads.order_by("-created_at", "-id").values_list("id", flat=True)
    if sort == "top":
        return threads.order_by("-score", "-created_at", "-id").values_list("id", flat=True)
    now = now or timezone.now()
    rows = threads.values_list("id", "score", "created_at")
    ranked = sorted(rows, key=lambda r: (hot_rank(r[1], r[2], now), r[2]), reverse=True)
    return [row[0] for row in ranked]


def threads_in_order(ids) -> list[Thread]:
    ids = list(ids)
    by_id = Thread.objects.with_author().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def thread_vote(thread: Thread, viewer) -> int:
    if viewer is None or not viewer.is_authenticated:
        return 0
    return (
        Vote.objects.filter(user=viewer, thread=thread).values_list("value", flat=True).first() or 0
    )
