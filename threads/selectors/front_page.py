"""The front page: threads in hot, new or top order, and the viewer's vote on a thread."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Q

from threads import limits, presentation
from threads.models import Thread, Vote

THREAD_SORTS = ("hot", "new", "top")
MAX_PAGE_NUMBER = 1_000_000  # past every forum's end; keeps the OFFSET a database integer


# Each order with its last tie-break, read from its own index (``Thread.Meta.indexes``);
# "hot" reads the stored rank that ``threads.services.ranking`` keeps.
ORDERS = {
    "hot": ("-hot_rank", "-created_at", "-id"),
    "new": ("-created_at", "-id"),
    "top": ("-score", "-created_at", "-id"),
}


def thread_ids_by(sort: str, *, include_removed: bool = False):
    """Unpinned thread ids in front-page order, as a queryset read from the sort's index.
    Pinned threads stand above these (:func:`front_page`); deleted and removed ones are
    not listed (removed ones are, for moderators: ``include_removed``)."""
    threads = Thread.objects.listed(include_removed=include_removed).filter(pinned_position=None)
    return threads.order_by(*ORDERS.get(sort, ORDERS["hot"])).values_list("id", flat=True)


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
# the viewer's vote, in a constant number of indexed queries.


def pinned_ids(*, include_removed: bool = False) -> list[int]:
    """Pinned threads in their places (a removed thread loses its pin, so this is short)."""
    return list(
        Thread.objects.listed(include_removed=include_removed)
        .filter(pinned_position__isnull=False)
        .order_by("pinned_position", "id")
        .values_list("id", flat=True)
    )


class Window:
    """One page of the front page, what a template asks of Django's ``Page``, known
    without counting every thread: whether there is a next page is one more row read."""

    def __init__(self, number: int, per_page: int, has_next: bool):
        self.number = number
        self.per_page = per_page
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1


class FrontPage(NamedTuple):
    page: Window
    threads: list[Thread]  # each with ``viewer_vote`` (1, -1 or 0) and ``rank``


def read_page_number(value) -> int:
    """A page number from the address (ASCII digits); anything else reads as 1."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return min(max(1, int(text)), MAX_PAGE_NUMBER)


def front_page(sort: str, *, page_number, viewer=None) -> FrontPage:
    """One page of the front page as ``viewer`` sees it: removed threads only for
    moderators (marked there), pinned threads on top of the first page.

    Constant at any size: the pinned ids (a handful, from their partial index), then the
    page's rows in one query, its unpinned part picked by a subquery from the sort's index
    (one row more than fits, to know of a next page), and the viewer's votes. A page past
    the end is empty.
    """
    include_removed = presentation.sees_removed_text(viewer)
    number = read_page_number(page_number)
    per_page = limits.THREADS_PER_PAGE
    start, stop = (number - 1) * per_page, number * per_page
    pinned = pinned_ids(include_removed=include_removed)
    head = pinned[start:stop]
    ids = thread_ids_by(sort, include_removed=include_removed)
    rest = ids[max(0, start - len(pinned)) : max(0, stop - len(pinned)) + 1]
    wanted = Q(pk__in=rest) | Q(pk__in=head) if head else Q(pk__in=rest)
    rows = list(Thread.objects.with_author().filter(wanted).order_by(*ids.query.order_by))
    place = {pk: i for i, pk in enumerate(head)}
    rows.sort(key=lambda t: place.get(t.pk, len(head)))  # pins in their places, then the rest
    threads = rows[:per_page]
    page = Window(number, per_page, len(rows) > per_page or len(pinned) > stop)
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
