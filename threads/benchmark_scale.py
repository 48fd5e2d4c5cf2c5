"""Two sections of ``make bench`` about reading at scale: "cached" and "front page".

- **cached**: each benchmark thread's page as an anonymous reader gets it through the
  whole Django stack (``django.test.Client``): cold (the page cache off: what every
  request cost before it), a miss (rendered and stored), a hit (served from the cache:
  the configured one, Redis when ``REDIS_URL`` is set: the median and the best run, the
  machine being shared), and the hit ratio of a run of
  ``MIX_READS`` anonymous reads with a reply after every ``MIX_REPLY_EVERY``-th (each
  reply retires the thread's pages; votes would not, within the lag).
- **front page**: ``FRONT_SIZES`` threads, bulk-created with scores and ages spread
  over two months and their stored hot rank, and each sort's first and fiftieth page:
  the page through the stack with the cache off, and the selector alone (its two
  queries and the rows made from them); medians and best runs.

Threads made here carry a ``benchmark:front:<run>:`` source and go at the end, also
after a failure; the thread pages' replies go with their threads (``benchmark.cleanup``).
"""

from __future__ import annotations

import random
import secrets
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from threads import limits, page_cache, selectors, services
from threads.benchmark import SOURCE_PREFIX, _host, median_ms, settle_after_bulk_load
from threads.models import Thread
from threads.sorting import hot_rank

FRONT_SIZES = (100, 10_000, 100_000)
QUICK_FRONT_SIZES = (100, 1_000)
FRONT_PAGES = (1, 50)
MIX_READS = 100
MIX_REPLY_EVERY = 20
BULK_BATCH = 5_000


@dataclass
class CachedResult:
    size: int
    cold_ms: float
    miss_ms: float
    hit_ms: float
    hit_best_ms: float
    hit_ratio: float


@dataclass
class FrontResult:
    threads: int
    sort: str
    page: int
    page_ms: float
    page_best_ms: float
    query_ms: float
    query_best_ms: float
    queries: int


def cached_page(size: int, thread_id: int, author, repeat: int) -> CachedResult:
    """The anonymous page of thread ``thread_id``: cold, miss, hit, and the hit ratio."""
    thread = Thread.objects.get(pk=thread_id)
    url = thread.get_absolute_url()
    reader = Client(HTTP_HOST=_host())
    with override_settings(PAGE_CACHE_SECONDS=0):
        cold_ms = median_ms(lambda: _ok(reader.get(url)), repeat)

    def miss():
        page_cache.thread_changed(thread.pk)  # as a write would
        _ok(reader.get(url), "miss")

    miss_ms = median_ms(miss, repeat)
    _ok(reader.get(url))
    hits = [_timed(lambda: _ok(reader.get(url), "hit")) for _ in range(repeat)]

    before = page_cache.stats.copy()
    for i in range(1, MIX_READS + 1):
        _ok(reader.get(url))
        if i % MIX_REPLY_EVERY == 0:
            services.comment_create(author=author, thread=thread, body=f"mixed reply {i}")
    hit_count = page_cache.stats["hit"] - before["hit"]
    misses = page_cache.stats["miss"] - before["miss"]
    return CachedResult(
        size, cold_ms, miss_ms, statistics.median(hits), min(hits),
        hit_count / max(1, hit_count + misses),
    )  # fmt: skip


def _timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def _ok(response, expected: str | None = None):
    if response.status_code != 200:
        raise AssertionError(f"the page answered {response.status_code}")
    if expected and response.get(page_cache.HEADER) != expected:
        raise AssertionError(f"expected a cache {expected}, got {response.get(page_cache.HEADER)}")
    return response


def front_page(sizes=FRONT_SIZES, *, repeat: int, progress=None) -> list[FrontResult]:
    """Grow one set of threads through ``sizes``, timing each sort's pages at each size."""
    prefix = f"{SOURCE_PREFIX}front:{secrets.token_hex(4)}:"
    results = []
    made = 0
    try:
        for size in sizes:
            if progress:
                progress(f"front page, {size:,} threads…")
            made = _grow(prefix, made, size)
            settle_after_bulk_load(Thread)
            results.extend(_time_front_page(size, repeat))
    finally:
        _delete_front_threads(prefix)
        settle_after_bulk_load(Thread)
    return results


def _grow(prefix: str, made: int, size: int) -> int:
    """Bulk-create threads ``made`` to ``size``: ages over two months, scores skewed as
    real ones are (most near zero, a few in the thousands), ranks as of now."""
    rnd = random.Random(size)
    now = timezone.now()
    while made < size:
        batch = []
        for i in range(made, min(size, made + BULK_BATCH)):
            created_at = now - timedelta(seconds=rnd.uniform(0, 60 * 86400))
            score = int(rnd.paretovariate(1.2)) - 1
            batch.append(
                Thread(
                    title=f"Front page thread {i}",
                    slug="front-page-thread",
                    source=f"{prefix}{i}",
                    author_name="bench",
                    created_at=created_at,
                    score=score,
                    upvotes=max(score, 0),
                    hot_rank=hot_rank(score, created_at, now),
                )
            )
        with transaction.atomic():
            Thread.objects.bulk_create(batch, batch_size=1000)
        made += len(batch)
    return made


def _time_front_page(size: int, repeat: int) -> list[FrontResult]:
    reader = Client(HTTP_HOST=_host())
    results = []
    for sort in selectors.THREAD_SORTS:
        for page in FRONT_PAGES:
            url = f"/?sort={sort}&page={page}"
            with override_settings(PAGE_CACHE_SECONDS=0):
                with CaptureQueriesContext(connection) as queries:
                    response = _ok(reader.get(url))
                count = len(queries)  # now: each request clears the connection's log
                if response.content.decode().count('class="thread-row') != min(
                    limits.THREADS_PER_PAGE, max(0, size - (page - 1) * limits.THREADS_PER_PAGE)
                ):
                    raise AssertionError(f"{url} at {size:,} threads shows the wrong threads")
                pages = [_timed(lambda url=url: _ok(reader.get(url))) for _ in range(repeat)]
            picks = [
                _timed(lambda sort=sort, page=page: selectors.front_page(sort, page_number=page))
                for _ in range(repeat)
            ]
            results.append(
                FrontResult(size, sort, page, statistics.median(pages), min(pages),
                            statistics.median(picks), min(picks), count)
            )  # fmt: skip
    return results


def _delete_front_threads(prefix: str) -> None:
    with transaction.atomic():
        Thread.objects.filter(source__startswith=prefix).delete()


def cached_table(results: list[CachedResult]) -> str:
    header = ("comments", "cold ms", "miss ms", "cached ms", "cached best ms", "hit ratio")
    rows = [
        (f"{r.size:,}", f"{r.cold_ms:.1f}", f"{r.miss_ms:.1f}", f"{r.hit_ms:.2f}",
         f"{r.hit_best_ms:.2f}", f"{r.hit_ratio:.0%}")
        for r in results
    ]  # fmt: skip
    return _table("cached: an anonymous reader's thread page, whole Django stack", header, rows)


def front_table(results: list[FrontResult]) -> str:
    header = ("threads", "sort", "page", "page ms", "best", "selector ms", "best", "queries")
    rows = [
        (f"{r.threads:,}", r.sort, str(r.page), f"{r.page_ms:.1f}", f"{r.page_best_ms:.1f}",
         f"{r.query_ms:.2f}", f"{r.query_best_ms:.2f}", str(r.queries))
        for r in results
    ]  # fmt: skip
    title = "front page: uncached, whole Django stack, and its selector (its queries) alone"
    return _table(title, header, rows)


def _table(title: str, header: tuple, rows: list[tuple]) -> str:
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = ["  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True))
                for line in lines]  # fmt: skip
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([title, *rendered])
