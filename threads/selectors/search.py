"""Search results: the one reader of the search index, whichever database holds it.

``search`` parses nothing and renders nothing: it takes a parsed query and the form's
filters, asks the engine (``threads.search.engines``) to match and rank the threads and
comments a reader may see, and returns one page of results in three queries whatever
the page or the number of matches (the keys of the page, then its threads and its
comments with their snippets).

What a reader may see is decided here by the querysets every page uses: comments
``Comment.objects.visible()`` (never deleted or removed ones) and threads
``visible_threads()``. Moderators search removed comments in the admin, through
``matching``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time

from django.db.models import F, FloatField, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.safestring import SafeString

from threads import limits, presentation
from threads.models import Comment, Thread
from threads.search.engines import engine
from threads.search.query import ParsedQuery

KINDS = ("all", "threads", "comments")
ORDERS = ("relevance", "new", "top")
_THREAD, _COMMENT = 1, 2
PLAIN_SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Filters:
    """What the form narrows a search to; the query's ``author:`` and ``thread:`` win."""

    kind: str = "all"
    order: str = "relevance"
    author: str = ""
    thread_id: int | None = None
    after: date | None = None  # from this day on (UTC)
    before: date | None = None  # up to and including this day


@dataclass
class Result:
    kind: str  # "thread" or "comment"
    url: str
    thread: Thread
    item: Thread | Comment
    snippet: SafeString

    @property
    def author_name(self) -> str:
        return self.item.shown_author


@dataclass
class SearchPage:
    results: list[Result] = field(default_factory=list)
    number: int = 1
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def visible_threads() -> QuerySet:
    """Threads any reader may find: what the front page lists (no deleted threads, no
    removed ones; moderators search removed content from the admin)."""
    return Thread.objects.listed()


def visible_comments() -> QuerySet:
    """Comments any reader may find: the pages' rule, on threads they may find (a
    condition only when the thread rule has one: a subquery per match costs time)."""
    threads = visible_threads()
    comments = Comment.objects.visible()
    return comments.filter(thread__in=threads) if threads.query.has_filters() else comments


def search(query: ParsedQuery, filters: Filters, *, page: int = 1) -> SearchPage:
    """One page of what matches ``query`` under ``filters``, best first by its order."""
    page = max(1, min(page, limits.SEARCH_MAX_PAGE))
    size = limits.SEARCH_RESULTS_PER_PAGE
    author = query.author or filters.author
    thread_id = query.thread_id or filters.thread_id
    now_epoch = time.time()
    parts = []
    if filters.kind in ("all", "threads"):
        threads = _narrowed(visible_threads(), filters, author=author, thread={"pk": thread_id})
        parts.append(_keys(threads, _THREAD, query, now_epoch))
    if filters.kind in ("all", "comments"):
        comments = _narrowed(
            visible_comments(), filters, author=author, thread={"thread_id": thread_id}
        )
        parts.append(_keys(comments, _COMMENT, query, now_epoch))
    keys = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    keys = keys.order_by(*_ORDERING[_order(filters.order, query)])
    start = (page - 1) * size
    rows = list(keys[start : start + size + 1])
    return SearchPage(results=_results(rows[:size], query), number=page, has_next=len(rows) > size)


_ORDERING = {
    "relevance": ("-rank", "-created", "-kind", "-key"),
    "new": ("-created", "-kind", "-key"),
    "top": ("-points", "-created", "-kind", "-key"),
}


def _order(order: str, query: ParsedQuery) -> str:
    if order == "relevance" and not query.has_terms:
        return "new"  # only filters: nothing to be relevant to
    return order if order in _ORDERING else "relevance"


def _narrowed(queryset: QuerySet, filters: Filters, *, author: str, thread: dict) -> QuerySet:
    """``thread`` is the lookup naming the one thread searched in, its value None for all."""
    if author:
        queryset = queryset.filter(
            Q(author__username__iexact=author) | Q(author__isnull=True, author_name__iexact=author)
        )
    if None not in thread.values():
        queryset = queryset.filter(**thread)
    if filters.after:
        queryset = queryset.filter(created_at__gte=_midnight(filters.after))
    if filters.before:
        queryset = queryset.filter(created_at__lt=_midnight(filters.before + timedelta(days=1)))
    return queryset


def _midnight(day: date) -> datetime:
    return datetime.combine(day, day_time.min, tzinfo=timezone.get_fixed_timezone(0))


def _keys(queryset: QuerySet, kind: int, query: ParsedQuery, now_epoch: float):
    """(kind, key, rank, created, points) of each match, unordered: one part of the UNION."""
    rank = Value(0.0, output_field=FloatField())
    if query.has_terms:
        found = engine()
        queryset = found.match(queryset, query)
        rank = found.rank(queryset, query, now_epoch)
    return (
        queryset.order_by()
        .annotate(
            kind=Value(kind, output_field=IntegerField()),
            key=F("pk"),
            rank=rank,
            created=F("created_at"),
            points=F("score"),
        )
        .values_list("kind", "key", "rank", "created", "points")
    )


def _results(rows, query: ParsedQuery) -> list[Result]:
    """The page's threads and comments, with snippets, in the order of ``rows``."""
    thread_ids = [key for kind, key, *_ in rows if kind == _THREAD]
    comment_ids = [key for kind, key, *_ in rows if kind == _COMMENT]
    threads = _with_snippets(Thread.objects.select_related("author"), thread_ids, query)
    comments = _with_snippets(
        Comment.objects.select_related("author", "thread"), comment_ids, query
    )
    results = []
    for kind, key, *_ in rows:
        if kind == _THREAD and key in threads:
            thread, snippet = threads[key]
            results.append(Result("thread", thread.get_absolute_url(), thread, thread, snippet))
        elif kind == _COMMENT and key in comments:
            comment, snippet = comments[key]
            url = f"{comment.get_absolute_url()}#c{comment.pk}"
            results.append(Result("comment", url, comment.thread, comment, snippet))
    return results


def _with_snippets(queryset: QuerySet, ids: list[int], query: ParsedQuery) -> dict:
    if not ids:
        return {}
    queryset = queryset.filter(pk__in=ids).order_by()
    if not query.has_terms:
        return {
            item.pk: (item, presentation.highlighted_html(_plain(item.body))) for item in queryset
        }
    found = engine()
    queryset = found.match(queryset, query)
    queryset = queryset.annotate(snippet=found.snippet(queryset, query))
    return {
        item.pk: (item, presentation.highlighted_html(item.snippet or _plain(item.body)))
        for item in queryset
    }


def _plain(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= PLAIN_SNIPPET_CHARS:
        return text
    return text[:PLAIN_SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def matching(queryset: QuerySet, query: ParsedQuery) -> QuerySet:
    """``queryset`` narrowed to what matches ``query``'s words, whatever its visibility:
    the admin's search, where moderators find removed comments too."""
    if not query.has_terms:
        return queryset
    return engine().match(queryset, query)


def thread_searched(thread_id) -> Thread | None:
    """The thread a search is limited to, when the form names one a reader may see."""
    try:
        pk = int(thread_id)
    except (TypeError, ValueError):
        return None
    return visible_threads().filter(pk=pk).first() if 0 < pk < 2**62 else None
