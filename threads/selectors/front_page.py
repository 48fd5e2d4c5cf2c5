"""The front page: threads in hot, new or top order, and the viewer's vote on a thread."""

from __future__ import annotations

from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.utils import timezone

from threads import limits, presentation
from threads.models import Thread, Vote
from threads.sorting import hot_rank

THREAD_SORTS = ("hot", "new", "top")


def thread_ids_by(sort: str, *, now=None, include_removed: bool = False):
    """Thread ids in front-page order, ready for a paginator.

    "hot" ranks in Python over (id, score, created_at): Lemmy's formula needs logarithms
    and powers that SQLite and PostgreSQL spell differently, and three small columns
    per thread stay cheap for any forum this size. Pinned threads stand above these
    (:func:`front_page`); deleted and removed ones are not listed (removed ones are, for
    moderators: ``include_removed``).
    """
    threads = Thread.objects.listed(include_removed=include_removed).filter(pinned_position=None)
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


# The page itself: pinned threads first, then the rest in the chosen order, each row with
# the viewer's vote, in a constant number of queries.


def pinned_ids(*, include_removed: bool = False) -> list[int]:
    """Pinned threads in their places (a removed thread loses its pin, so this is short)."""
    return list(
        Thread.objects.listed(include_removed=include_removed)
        .filter(pinned_position__isnull=False)
        .order_by("pinned_position", "id")
        .values_list("id", flat=True)
    )


class PinnedFirst:
    """``pinned`` then ``rest`` (a list or a queryset of ids) as one sequence a paginator
    can count and slice without reading all of ``rest``."""

    def __init__(self, pinned: list[int], rest):
        self.pinned = pinned
        self.rest = rest

    def count(self) -> int:
        rest = len(self.rest) if isinstance(self.rest, list) else self.rest.count()
        return len(self.pinned) + rest

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[int]:
        start, stop = index.start or 0, index.stop
        n = len(self.pinned)
        head = self.pinned[start:stop]
        rest = list(self.rest[max(0, start - n) : max(0, stop - n)]) if stop > n else []
        return head + rest


class FrontPage(NamedTuple):
    page: Page
    threads: list[Thread]  # each with ``viewer_vote`` (1, -1 or 0) and ``rank``


def front_page(sort: str, *, page_number, viewer=None, now=None) -> FrontPage:
    """One page of the front page as ``viewer`` sees it: removed threads only for
    moderators (marked there), pinned threads on top of the first page."""
    include_removed = presentation.sees_removed_text(viewer)
    ids = PinnedFirst(
        pinned_ids(include_removed=include_removed),
        thread_ids_by(sort, now=now, include_removed=include_removed),
    )
    page = Paginator(ids, limits.THREADS_PER_PAGE).get_page(page_number)
    threads = threads_in_order(page.object_list)
    votes = thread_votes([t.pk for t in threads], viewer)
    for rank, thread in enumerate(threads, page.start_index()):
        thread.rank = rank
        thread.viewer_vote = votes.get(thread.pk, 0)
    return FrontPage(page, threads)


def thread_votes(ids: list[int], viewer) -> dict[int, int]:
    """The viewer's votes on these threads, in one query (none for visitors)."""
    if not ids or viewer is None or not viewer.is_authenticated:
        return {}
    rows = Vote.objects.filter(user=viewer, thread_id__in=ids).values_list("thread_id", "value")
    return dict(rows)
