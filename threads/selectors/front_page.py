"""The front page: threads in hot, new or top order, and the viewer's vote on a thread."""

from __future__ import annotations

from dataclasses import dataclass

from threads import limits
from threads.models import Thread, Vote

THREAD_SORTS = ("hot", "new", "top")


def thread_ids_by(sort: str):
    """Thread ids in front-page order: one indexed query for each sort ("hot" reads the
    stored ``hot_rank``, kept by ``threads.services.ranking``)."""
    threads = Thread.objects.all()
    if sort == "new":
        return threads.order_by("-created_at", "-id").values_list("id", flat=True)
    if sort == "top":
        return threads.order_by("-score", "-created_at", "-id").values_list("id", flat=True)
    return threads.order_by("-hot_rank", "-created_at", "-id").values_list("id", flat=True)


@dataclass
class FrontPage:
    """One page of threads; whether there is a next one is known without counting them all."""

    threads: list[Thread]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def front_page(sort: str, page: str | int | None) -> FrontPage:
    """The ``page``-th page of threads in ``sort`` order, in one query: the ids of the
    page (and one more, to know of a next page) picked from the sort's index, their rows
    with authors around them. A page number that is not one reads as the first page."""
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    per_page = limits.THREADS_PER_PAGE
    ids = thread_ids_by(sort)
    start = (number - 1) * per_page
    window = ids[start : start + per_page + 1]
    rows = list(Thread.objects.with_author().filter(pk__in=window).order_by(*ids.query.order_by))
    return FrontPage(rows[:per_page], number, len(rows) > per_page)


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
