"""The search box's language: web-search syntax, parsed once for both engines.

- words are matched by their stem (``collectivized`` finds ``collectivization``);
- ``"quoted words"`` match as a phrase;
- ``-word`` or ``-"a phrase"`` leaves out texts that have it;
- ``OR`` between words gives alternatives: ``cats dogs OR birds`` finds texts with both
  cats and dogs, or with birds (as PostgreSQL's ``websearch_to_tsquery`` reads it: OR
  binds looser than the implied AND);
- ``author:name`` and ``thread:<id>`` filter, like the form's fields.

The parse is a disjunction of conjunctions (``alternatives``), each with the words it
needs and the words it excludes. Both engines get it rewritten in their own syntax
(``websearch`` for PostgreSQL, ``fts5`` for SQLite), so a query means the same on each.
Very common English words (PostgreSQL's stop words) are left out on both, since
PostgreSQL cannot find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from threads import limits

EMPTY_QUERY = "Type a word or two to search for."
QUERY_TOO_LONG = "That search is {length:,} characters long; the limit is {limit:,}."
NO_WORDS = (
    "That search has no words to look for, only operators: type a word, "
    '"a phrase", -word to leave one out, or a OR b.'
)
ONLY_EXCLUSIONS = "Add a word to look for: a search can't be made of -exclusions alone."
ONLY_COMMON_WORDS = "Those words are too common to search for: add a more specific one."
BAD_THREAD_FILTER = "thread: takes a thread's number, as in thread:42."

# PostgreSQL's English stop words (share/tsearch_data/english.stop).
_STOP_WORDS = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what "
    "which who whom this that these those am is are was were be been being have has had "
    "having do does did doing a an the and but if or because as until while of at by for "
    "with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how "
    "all any both each few more most other some such no nor not only own same so than too "
    "very s t can will just don should now"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """A query that cannot be searched; the message says why, to the person who typed it."""


@dataclass(frozen=True)
class Term:
    """A word or a phrase, as its words (lower case, punctuation gone)."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Alternative:
    """Texts having every ``include`` term and none of the ``exclude`` terms."""

    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


@dataclass
class ParsedQuery:
    text: str  # what was typed
    alternatives: list[Alternative]
    author: str = ""
    thread_id: int | None = None

    @property
    def has_terms(self) -> bool:
        return bool(self.alternatives)

    def websearch(self) -> str:
        """The query for PostgreSQL's ``websearch_to_tsquery``: only words and quotes,
        so nothing in it can be read as another operator."""

        def term(t: Term) -> str:
            return f'"{" ".join(t.words)}"' if t.is_phrase else t.words[0]

        return " or ".join(
            " ".join([*(term(t) for t in alt.include), *(f"-{term(t)}" for t in alt.exclude)])
            for alt in self.alternatives
        )

    def fts5(self) -> str:
        """The same query as an SQLite FTS5 expression: every term a quoted string (so
        no word is read as an operator), NOT after the terms it narrows."""

        def term(t: Term) -> str:
            return '"' + " ".join(t.words).replace('"', '""') + '"'

        parts = []
        for alt in self.alternatives:
            expression = " AND ".join(term(t) for t in alt.include)
            for t in alt.exclude:
                expression = f"({expression}) NOT {term(t)}"
            parts.append(f"({expression})")
        return " OR ".join(parts)


def parse(text: str) -> ParsedQuery:
    """The query typed in the box, or :class:`QueryError` saying what is wrong with it."""
    text = (text or "").strip()
    if not text:
        raise QueryError(EMPTY_QUERY)
    if len(text) > limits.SEARCH_QUERY_MAX_LENGTH:
        raise QueryError(
            QUERY_TOO_LONG.format(length=len(text), limit=limits.SEARCH_QUERY_MAX_LENGTH)
        )
    query = ParsedQuery(text=text, alternatives=[])
    groups: list[Alternative] = [Alternative()]
    saw_common = False
    for token in _TOKEN.findall(text):
        if token.upper() == "OR":
            groups.append(Alternative())
            continue
        lower = token.lower()
        if lower.startswith("author:") and len(token) > len("author:"):
            query.author = token[len("author:") :]
            continue
        if lower.startswith("thread:") and len(token) > len("thread:"):
            number = token[len("thread:") :].lstrip("#")
            if not number.isdigit() or len(number) > 18:
                raise QueryError(BAD_THREAD_FILTER)
            query.thread_id = int(number)
            continue
        negated = token.startswith("-") and len(token) > 1
        words = tuple(w.lower() for w in _WORD.findall(token))
        if not words:
            continue
        if all(w in STOP_WORDS for w in words):
            saw_common = True
            continue
        (groups[-1].exclude if negated else groups[-1].include).append(Term(words))
    alternatives = [g for g in groups if g.include or g.exclude]
    if any(not g.include for g in alternatives):
        raise QueryError(ONLY_EXCLUSIONS)
    query.alternatives = alternatives
    if not alternatives and not (query.author or query.thread_id):
        raise QueryError(ONLY_COMMON_WORDS if saw_common else NO_WORDS)
    return query
