"""The benchmark behind ``python manage.py benchmark``: synthetic threads, timed end to end.

For each size it writes a synthetic thread (``threads.importers.synthetic``) as a forum
JSON file and imports it the way ``import_thread`` does (read, parse, check, bulk write:
the "import s" column), then measures, each as a median:

- the thread page through the whole Django stack (``django.test.Client``, a logged-in
  viewer with votes on the thread, the default sort), and its SQL queries;
- the floor for the same rows, in the same run: one SQL query plus the cheapest Python
  that nests them into escaped HTML; and the floor for all the thread's rows, which is
  what a page without a budget would at least cost;
- a reply into the middle of the thread's biggest subtree, and a vote.

It writes into the configured database, so it refuses one that holds threads or users
it did not make unless forced (``refusal``), and at the end, also after a failure, it
deletes exactly what it made: the threads it imported (whole, with their comments and
votes) and its viewer account, by primary key (``Made``, ``cleanup``).
"""

from __future__ import annotations

import html
import resource
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import override_settings

from threads import selectors, services
from threads.importers import parse_file
from threads.importers.synthetic import write_synthetic_thread
from threads.integrity import tree_problems
from threads.models import Comment, Thread, Vote

FULL_SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (20, 300)
SOURCE_PREFIX = "benchmark:"
DEFAULT_REPEAT = 15  # timed runs per figure: enough for a steady median on a noisy machine

NOT_EMPTY = (
    "The database {database} holds {rows} that {tool} did not make, and it writes into "
    "the database it measures: point DATABASE_URL at an empty database, or pass {force} "
    "to run beside them (it removes only what it made)."
)


@dataclass
class Made:
    """Primary keys of what a run created: all that ``cleanup`` may delete."""

    thread_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)


def refusal(*, tool: str, force: str) -> str | None:
    """Why ``tool`` must not write into this database (it holds threads or users it did
    not make, which a run would mix with its figures or a mistake could harm), or None."""
    threads = Thread.objects.count()
    users = get_user_model().objects.count()
    if not threads and not users:
        return None
    rows = " and ".join(
        f"{count:,} {noun}{'' if count == 1 else 's'}"
        for count, noun in ((threads, "thread"), (users, "user"))
        if count
    )
    database = connection.settings_dict["NAME"]
    return NOT_EMPTY.format(database=database, rows=rows, tool=tool, force=force)


@dataclass
class Result:
    size: int
    import_s: float
    peak_mb: float
    page_ms: float
    queries: int
    shown: int
    floor_ms: float
    full_floor_ms: float
    reply_ms: float
    vote_ms: float

    @property
    def ratio(self) -> float:
        return self.page_ms / self.floor_ms if self.floor_ms else float("inf")


def floor_html(rows) -> str:
    """The cheapest nesting of depth-first rows into escaped HTML: a stack of open tags."""
    out: list[str] = []
    depth = -1
    escape = html.escape
    for pk, level, body_html, author, score in rows:
        while depth >= level:
            out.append("</div></article>")
            depth -= 1
        out.append(
            f'<article id="c{pk}"><p>{escape(author)} · {score} points</p>'
            f'{body_html}<div class="replies">'
        )
        depth = level
    out.append("</div></article>" * (depth + 1))
    return "".join(out)


FLOOR_FIELDS = ("id", "level", "body_html", "author_name", "score")


def floor(queryset) -> str:
    return floor_html(queryset.order_by("tree_id", "lft").values_list(*FLOOR_FIELDS))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def run(
    sizes=FULL_SIZES, *, repeat: int = DEFAULT_REPEAT, progress=None, on_thread=None
) -> list[Result]:
    """Build, measure and remove one synthetic thread per size; return the figures.

    Timed with DEBUG off, as the site runs in production: in debug mode Django logs
    every SQL statement (on SQLite with one more query each, to quote its parameters)
    and templates keep debugging information.
    """
    made = Made()
    run_key = secrets.token_hex(4)  # names no earlier run or other data can share
    results = []
    try:
        viewer = get_user_model().objects.create_user(username=f"benchmark-{run_key}-viewer")
        made.user_ids.append(viewer.pk)
        with override_settings(DEBUG=False):
            for size in sizes:
                if progress:
                    progress(f"{size:,} comments…")
                results.append(_measure(size, viewer, repeat, made, f"{run_key}:{size}"))
                if on_thread:  # more figures on the same thread (benchmark_scale)
                    on_thread(size, made.thread_ids[-1], viewer)
    finally:
        cleanup(made)
        settle_after_bulk_load(Comment, Vote)  # the next run starts without this one's dead rows
    return results


def _measure(size: int, viewer, repeat: int, made: Made, key: str) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"synthetic-{size}.json"
        write_synthetic_thread(path, comments=size, source=f"{SOURCE_PREFIX}{key}")
        began = time.perf_counter()
        imported = services.thread_import(parsed=parse_file(path))
        import_s = time.perf_counter() - began
    if not imported.thread_created:
        raise AssertionError(f"{imported.thread.source} was already there: not ours to time")
    thread = imported.thread
    made.thread_ids.append(thread.pk)
    peak_mb = peak_rss_mb()
    settle_after_bulk_load()

    first_page = selectors.comment_batch(thread)
    targets = [row.id for row in first_page.rows if not row.more][: max(repeat, 5)]
    votes = iter(Comment.objects.in_bulk(targets).values())
    vote_ms = median_ms(
        lambda: services.vote_cast(user=viewer, item=next(votes), value=1), len(targets)
    )

    client = Client(HTTP_HOST=_host())
    client.force_login(viewer)
    try:
        page_ms, queries = _page_ms(client, thread.get_absolute_url(), repeat)
    finally:
        client.logout()  # deletes the session row it made

    shown = [row.id for row in selectors.comment_batch(thread).rows if not row.more]
    floor_ms = median_ms(lambda: floor(Comment.objects.filter(pk__in=shown)), repeat)
    full_floor_ms = median_ms(lambda: floor(Comment.objects.filter(thread=thread)), repeat)

    reply_ms = _reply_ms(thread, viewer, repeat)
    return Result(size, import_s, peak_mb, page_ms, len(queries), len(shown), floor_ms,
                  full_floor_ms, reply_ms, vote_ms)  # fmt: skip


def _page_ms(client: Client, url: str, repeat: int) -> tuple[float, list[str]]:
    """The page's median time, and the SQL of one request."""
    queries: list[str] = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    return median_ms(lambda: client.get(url), repeat), queries


def peak_rss_mb() -> float:
    """The process's peak memory so far; sizes run smallest first, so after an import it is
    that import's peak (or an earlier, smaller one's)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settle_after_bulk_load(*models) -> None:
    """What autovacuum does a little after a bulk load or delete, done now so the pages are
    timed on the table a live site would have: planner statistics, and on PostgreSQL the
    visibility map that lets the top-level comments come from the covering index alone."""
    with connection.cursor() as cursor:
        for model in models or (Comment,):
            table = connection.ops.quote_name(model._meta.db_table)
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


def _host() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")]
    return hosts[0] if hosts else "127.0.0.1"


def _reply_ms(thread: Thread, author, repeat: int) -> float:
    """Replies into the middle (in tree order) of the thread's biggest subtree."""
    roots = Comment.objects.filter(thread=thread, level=0).values_list("tree_id", "lft", "rght")
    tree_id = max(roots, key=lambda r: r[2] - r[1])[0]
    subtree = Comment.objects.filter(tree_id=tree_id).order_by("lft")
    middle = subtree[subtree.count() // 2]
    replies = []
    ms = median_ms(
        lambda: replies.append(
            services.comment_create(author=author, thread=thread, parent=middle, body="timed reply")
        ),
        repeat,
    )
    problems = tree_problems(Comment.objects.filter(tree_id=tree_id))
    if problems:
        raise AssertionError(f"the subtree replied into is broken: {problems[:3]}")
    return ms


def cleanup(made: Made) -> None:
    """Delete what a run made, by primary key: its threads, then its accounts."""
    delete_threads(made.thread_ids)
    get_user_model().objects.filter(pk__in=made.user_ids).delete()


def delete_threads(ids: list[int]) -> None:
    """Delete whole threads with their comments, votes and reports, in a few statements.

    Deleting the comments through the ORM would load every one of them to cascade (and
    ``threads.tree`` refuses it, since deleting single comments would leave the numbers
    and counters of the rest wrong); with the whole thread going there is nothing left to
    renumber, and one DELETE per table does it for a 100,000-comment thread in a moment.
    """
    if not ids:
        return
    with transaction.atomic():
        for relation in _relations_to(Comment):  # votes, reports, moderation log lines
            if relation.related_model is Comment:
                continue
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__thread_id__in": ids}
            )
            if relation.on_delete is models.SET_NULL:
                rows.update(**{relation.field.name: None})
            else:
                rows.delete()
        Vote.objects.filter(thread_id__in=ids).delete()
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Comment._meta.db_table)
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {table} WHERE thread_id IN ({marks})", ids)
        Thread.objects.filter(pk__in=ids).delete()


def _relations_to(model):
    """Every foreign key pointing at ``model``, those without a reverse name included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.is_relation
    ]


def table(results: list[Result]) -> str:
    header = (
        "comments", "import s", "peak MB", "page ms", "queries", "shown", "floor ms", "page/floor",
        "all-rows floor ms", "reply ms", "vote ms",
    )  # fmt: skip
    lines = [header]
    for r in results:
        lines.append(
            (
                f"{r.size:,}",
                f"{r.import_s:.2f}",
                f"{r.peak_mb:,.0f}",
                f"{r.page_ms:.1f}",
                str(r.queries),
                f"{r.shown:,}",
                f"{r.floor_ms:.1f}",
                f"{r.ratio:.1f}x",
                f"{r.full_floor_ms:.1f}",
                f"{r.reply_ms:.1f}",
                f"{r.vote_ms:.1f}",
            )  # fmt: skip
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = ["  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True))
                for line in lines]  # fmt: skip
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered)
