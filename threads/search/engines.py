"""The two engines behind one interface: match a queryset, rank it, make snippets.

Each engine adds its index table to a queryset of threads or comments (``match``), which
keeps every other condition (visibility, filters) in the ORM, where the pages write them.

Ranking (the "relevance" order), the same formula on both databases::

    rank = R · (1 + 0.25·F + 0.25·S)

- R, the text's relevance, squashed into [0, 1) as x / (1 + x): PostgreSQL's
  ``ts_rank_cd`` (cover density; normalization 32 does the squashing), SQLite's BM25
  (``-bm25()``). A thread's title weighs ten times its body (PostgreSQL weights A and D,
  BM25 column weights 10 and 1), comments weigh as thread bodies.
- F, freshness, 1 / (1 + age in days / 30): 1 today, 1/2 at a month, 1/13 at a year.
- S, the votes, score / (|score| + 10): 0 for none, 1/2 at +10, -1/2 at -10.

So the text decides and freshness and votes only reorder close matches: at most ×1.5
for a fresh, well-liked text, ×0.75 for an old, disliked one.

Snippets carry the matched words between ``MARK_START`` and ``MARK_END`` (control
characters); ``presentation.highlighted_html`` escapes the text and turns them into
``<mark>``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import FloatField, QuerySet, TextField
from django.db.models.expressions import RawSQL

from threads.presentation import SNIPPET_MARK_END as MARK_END
from threads.presentation import SNIPPET_MARK_START as MARK_START
from threads.search.query import ParsedQuery
from threads.search.schema import COMMENT_INDEX, THREAD_INDEX

SNIPPET_WORDS = 24
FRESHNESS_DAYS = 30.0
SCORE_HALF = 10.0
WEIGHT = 0.25

_INDEX = {"threads_comment": COMMENT_INDEX, "threads_thread": THREAD_INDEX}


def _table(queryset: QuerySet) -> str:
    return queryset.model._meta.db_table


class SQLiteEngine:
    def match(self, queryset: QuerySet, query: ParsedQuery) -> QuerySet:
        table = _table(queryset)
        index = _INDEX[table]
        return queryset.extra(
            tables=[index],
            where=[f'"{index}".rowid = "{table}"."id"', f'"{index}" MATCH %s'],
            params=[query.fts5()],
        )

    def rank(self, queryset: QuerySet, query: ParsedQuery, now_epoch: float) -> RawSQL:
        table = _table(queryset)
        index = _INDEX[table]
        bm25 = f"bm25({index}, 10.0, 1.0)" if index == THREAD_INDEX else f"bm25({index})"
        days = f'(%s - julianday("{table}"."created_at"))'
        return RawSQL(
            f"((-{bm25}) / (1.0 - {bm25})) * (1.0"
            f" + {WEIGHT} / (1.0 + {days} / {FRESHNESS_DAYS})"
            f' + {WEIGHT} * "{table}"."score" / (abs("{table}"."score") + {SCORE_HALF}))',
            [now_epoch / 86400.0 + 2440587.5],
            output_field=FloatField(),
        )

    def snippet(self, queryset: QuerySet, query: ParsedQuery) -> RawSQL:
        """Needs ``match`` on the same queryset (FTS5 snippets exist only in a MATCH)."""
        index = _INDEX[_table(queryset)]
        column = -1 if index == THREAD_INDEX else 0  # the thread's best-matching column
        return RawSQL(
            f"snippet({index}, {column}, %s, %s, '…', {SNIPPET_WORDS})",
            [MARK_START, MARK_END],
            output_field=TextField(),
        )


class PostgreSQLEngine:
    _TSQUERY = "websearch_to_tsquery('english'::regconfig, %s)"

    def match(self, queryset: QuerySet, query: ParsedQuery) -> QuerySet:
        table = _table(queryset)
        index = _INDEX[table]
        return queryset.extra(
            tables=[index],
            where=[
                f'"{index}"."rowid" = "{table}"."id"',
                f'"{index}"."document" @@ {self._TSQUERY}',
            ],
            params=[query.websearch()],
        )

    def rank(self, queryset: QuerySet, query: ParsedQuery, now_epoch: float) -> RawSQL:
        table = _table(queryset)
        index = _INDEX[table]
        days = f'((%s - extract(epoch from "{table}"."created_at")) / 86400.0)'
        return RawSQL(
            f'ts_rank_cd("{index}"."document", {self._TSQUERY}, 32) * (1.0'
            f" + {WEIGHT} / (1.0 + {days} / {FRESHNESS_DAYS})"
            f' + {WEIGHT} * "{table}"."score" / (abs("{table}"."score") + {SCORE_HALF}))',
            [query.websearch(), now_epoch],
            output_field=FloatField(),
        )

    def snippet(self, queryset: QuerySet, query: ParsedQuery) -> RawSQL:
        table = _table(queryset)
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, "
            f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter=" … "'
        )
        headline = f"ts_headline('english'::regconfig, {{text}}, {self._TSQUERY}, %s)"
        body = headline.format(text=f'"{table}"."body"')
        if table == "threads_thread":  # the body's words, else the title's
            title = headline.format(text=f'"{table}"."title"')
            sql = (
                f'CASE WHEN to_tsvector(\'english\'::regconfig, "{table}"."body") @@ '
                f"{self._TSQUERY} THEN {body} ELSE {title} END"
            )
            params = [query.websearch()] * 2 + [options] + [query.websearch(), options]
        else:
            sql, params = body, [query.websearch(), options]
        return RawSQL(sql, params, output_field=TextField())


def engine() -> SQLiteEngine | PostgreSQLEngine:
    """The engine of the database in use."""
    if connection.vendor == "postgresql":
        return PostgreSQLEngine()
    return SQLiteEngine()
