"""The search section of ``manage.py benchmark``: a forum of many threads, searched.

- A realistic vocabulary: a few thousand words whose use follows Zipf's law (the n-th
  most common word is used about 1/n as often as the first), so common words match
  many texts and rare ones few, as in real discussions.
- ``threads`` threads of ``per_thread`` comments each (100,000 comments across 1,000 by
  default), imported through ``services.thread_import``; then a one-word, a two-word and
  a phrase search, each the first page of results through the whole Django stack
  (``django.test.Client``), as a median, with its SQL query count.
- The index's size on disk, and the time to import one thread of ``import_size``
  comments with the search triggers and without them (each in a transaction that is
  rolled back, so all start from the same database; the best of two runs each).

What it makes it deletes at the end, by primary key, as the main benchmark does.
"""

from __future__ import annotations

import random
import secrets
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils.http import urlencode

from threads import benchmark, services
from threads.importers import forum_json, parse_file
from threads.importers.synthetic import WORDS as _COMMON
from threads.importers.synthetic import write_synthetic_thread
from threads.search import schema
from threads.search.query import STOP_WORDS

FULL = {"threads": 1_000, "per_thread": 100, "import_size": 100_000}
QUICK = {"threads": 6, "per_thread": 15, "import_size": 200}
VOCABULARY_SIZE = 6_000
ZIPF_EXPONENT = 1.07
_SYLLABLE_TEXT = (
    "ba be bi bo bu ca co cu da de di do fa fe fi fo ga ge go ha he hi ho ja jo ka ke ki ko "
    "la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su "
    "ta te ti to tu va ve vi vo wa we wi za ze zo"
)
_SYLLABLES = _SYLLABLE_TEXT.split()


@dataclass
class SearchFigures:
    comments: int
    threads: int
    index_bytes: int | None
    import_size: int
    import_indexed_s: float
    import_unindexed_s: float
    searches: list[tuple[str, str, float, int, int]]  # (name, query, ms, queries, results)


def vocabulary(seed: int = 0) -> list[str]:
    """Common English words first, then made-up words of two to four syllables."""
    rnd = random.Random(seed)
    words = list(dict.fromkeys(_COMMON))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rnd.choices(_SYLLABLES, k=rnd.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Writer:
    """Texts drawn from the vocabulary with Zipf frequencies."""

    def __init__(self, seed: int = 0):
        self.rnd = random.Random(seed)
        self.words = vocabulary(seed)
        weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(self.words) + 1)]
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self, sentences: tuple[int, int] = (1, 4)) -> str:
        out = []
        for _ in range(self.rnd.randint(*sentences)):
            count = self.rnd.randint(5, 18)
            words = self.rnd.choices(self.words, cum_weights=self.cumulative, k=count)
            out.append(" ".join(words).capitalize() + self.rnd.choice("...?!"))
        return " ".join(out)


def forum_thread(writer: Writer, *, number: int, per_thread: int, source: str) -> dict:
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=number * 9)
    comments = []
    for i in range(per_thread):
        parent = None if i < 3 or writer.rnd.random() < 0.3 else f"c{writer.rnd.randrange(i)}"
        comments.append(
            {
                "id": f"c{i}", "parent": parent, "author": f"member{writer.rnd.randint(1, 800)}",
                "created": _time(start + timedelta(minutes=i * 5)), "edited": None,
                "body": writer.text(), "score": int(writer.rnd.paretovariate(1.3)) - 1,
                "upvotes": 0, "downvotes": 0, "deleted": False, "removed": False,
            }
        )  # fmt: skip
    return {
        "source": source, "title": writer.text((1, 1))[:120], "url": "",
        "body": writer.text((0, 2)), "author": f"member{writer.rnd.randint(1, 800)}",
        "created": _time(start), "score": writer.rnd.randint(0, 300), "upvotes": 0,
        "downvotes": 0, "locked": False, "comments": comments,
    }  # fmt: skip


def _time(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class _RollBack(Exception):
    pass


def timed_import(path: Path, *, indexed: bool) -> float:
    """Seconds to import the thread in ``path`` as ``import_thread`` does (read, parse,
    check, write), with the search index kept or not; then undone."""
    unindexed = mock.patch.object(schema, "bulk", lambda *args, **kwargs: nullcontext())
    try:
        with transaction.atomic(), nullcontext() if indexed else unindexed:
            if not indexed:
                schema.remove_triggers()
            began = time.perf_counter()
            services.thread_import(parsed=parse_file(path))
            elapsed = time.perf_counter() - began
            raise _RollBack
    except _RollBack:
        pass
    return elapsed


def _words(text: str) -> list[str]:
    return [w.strip(".?!").lower() for w in text.split()]


def queries_for(counts: Counter, texts: list[str]) -> list[tuple[str, str]]:
    """A one-word, a two-word and a phrase search: words that are neither very common nor
    rare in the texts written (ranks 20 to 60 without stop words), the second word and
    the phrase taken from a text that has them, so each search finds something."""
    ranked = [word for word, _ in counts.most_common() if word not in STOP_WORDS]
    rank = {word: number for number, word in enumerate(ranked)}
    pick = lambda number: ranked[min(number, len(ranked) - 1)]  # noqa: E731
    first = pick(20)
    with_first = next((_words(t) for t in texts if first in _words(t)), [first])
    others = [w for w in with_first if w in rank and w != first] or [pick(60)]
    second = min(others, key=lambda w: abs(rank[w] - 60) if w in rank else 10**9)
    words = _words(texts[0])
    pairs = [(a, b) for a, b in zip(words, words[1:], strict=False)
             if a not in STOP_WORDS and b not in STOP_WORDS]  # fmt: skip
    phrase = " ".join(pairs[0]) if pairs else f"{first} {second}"
    return [("one word", pick(40)), ("two words", f"{first} {second}"), ("phrase", f'"{phrase}"')]


def run(*, threads: int, per_thread: int, import_size: int, repeat: int, progress=None):
    made = benchmark.Made()
    run_key = secrets.token_hex(4)
    writer = Writer()
    with override_settings(DEBUG=False):
        try:
            if progress:
                progress(f"search: {threads:,} threads of {per_thread:,} comments…")
            texts, counts = [], Counter()
            for number in range(threads):
                source = f"{benchmark.SOURCE_PREFIX}{run_key}:search:{number}"
                data = forum_thread(writer, number=number, per_thread=per_thread, source=source)
                for comment in data["comments"]:
                    texts.append(comment["body"])
                    counts.update(_words(comment["body"]))
                document = {"format": forum_json.FORMAT_NAME, "version": forum_json.VERSION,
                            "threads": [data]}  # fmt: skip
                parsed = forum_json.parse_data(document, name="search benchmark")[0]
                made.thread_ids.append(services.thread_import(parsed=parsed).thread.pk)
            benchmark.settle_after_bulk_load()
            _settle_index()
            client = Client(HTTP_HOST=benchmark._host())
            searches = []
            for name, text in queries_for(counts, texts):
                url = f"/search/?{urlencode({'q': text})}"
                ms, queries = benchmark._page_ms(client, url, repeat)
                shown = client.get(url).content.decode().count('class="search-result ')
                searches.append((name, text, ms, len(queries), shown))
            index_bytes = schema.size_bytes()
            # Last, so the rows they add and roll back do not count in the index's size.
            if progress:
                progress(f"search: import of {import_size:,} comments with and without index…")
            # Alternated and the best of two each: the first import on a cold machine and
            # the WAL a rolled-back import leaves must not favour one side.
            times = {True: [], False: []}
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "import.json"
                source = f"{benchmark.SOURCE_PREFIX}{run_key}:import"
                write_synthetic_thread(path, comments=import_size, source=source)
                for with_index in (False, True, True, False):
                    times[with_index].append(timed_import(path, indexed=with_index))
            indexed, unindexed = min(times[True]), min(times[False])
            return SearchFigures(
                comments=threads * per_thread,
                threads=threads,
                index_bytes=index_bytes,
                import_size=import_size,
                import_indexed_s=indexed,
                import_unindexed_s=unindexed,
                searches=searches,
            )
        finally:
            benchmark.cleanup(made)


def _settle_index() -> None:
    """Planner statistics for the index tables, as autovacuum would gather after a load."""
    with connection.cursor() as cursor:
        for index, _, _ in schema.INDEXED.values():
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM ANALYZE {index}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {index}")


def report(figures: SearchFigures) -> str:
    size = f"{figures.index_bytes / 1_048_576:,.1f} MB" if figures.index_bytes is not None else "?"
    slower = figures.import_indexed_s / figures.import_unindexed_s - 1
    lines = [
        f"Search: {figures.comments:,} comments in {figures.threads:,} threads; "
        f"index {size} on disk",
        f"import of {figures.import_size:,} comments (read, parse, write): "
        f"{figures.import_indexed_s:.2f} s indexed, "
        f"{figures.import_unindexed_s:.2f} s without the index ({slower:+.0%})",
        "search     ms  queries  results  query",
    ]
    for name, text, ms, queries, shown in figures.searches:
        lines.append(f"{name:<9} {ms:5.1f}  {queries:7d}  {shown:7d}  {text}")
    return "\n".join(lines)
