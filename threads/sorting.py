"""Ranking formulas for comments and threads, on plain numbers.

Comment sorts follow Reddit; the front page's "hot" follows Lemmy. The vote formulas are
cached: most comments share a few (up, down) pairs, and a big page ranks thousands.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

WILSON_Z = 1.281551565545  # 80% confidence, as Reddit's "best"


@lru_cache(maxsize=1 << 16)
def wilson_lower_bound(upvotes: int, downvotes: int) -> float:
    """Lower bound of the share of upvotes that the comment would get from everyone."""
    n = upvotes + downvotes
    if n == 0:
        return 0.0
    z = WILSON_Z
    phat = upvotes / n
    return (phat + z * z / (2 * n) - z * math.sqrt((phat * (1 - phat) + z * z / (4 * n)) / n)) / (
        1 + z * z / n
    )


@lru_cache(maxsize=1 << 16)
def controversy(upvotes: int, downvotes: int) -> float:
    """Many votes, evenly split, rank highest; 0 when either side has none."""
    if upvotes <= 0 or downvotes <= 0:
        return 0.0
    magnitude = upvotes + downvotes
    balance = min(upvotes, downvotes) / max(upvotes, downvotes)
    return magnitude**balance


def hot_rank(score: int, created_at: datetime, now: datetime) -> float:
    """Lemmy's hot rank: votes count logarithmically, age decays with a 1.8 power."""
    hours = max(0.0, (now - created_at).total_seconds() / 3600)
    return 10000 * math.log10(max(1, 3 + score)) / (hours + 2) ** 1.8


class CommentSort(NamedTuple):
    """One comment order. Vote orders rank by ``by_votes(upvotes, downvotes, score)``;
    date orders by ``created_at``, which the database can sort from an index."""

    descending: bool
    by_votes: Callable[[int, int, int], float] | None = None

    def row_key(self) -> Callable:
        """The sort key on anything with upvotes, downvotes, score and created_at."""
        if self.by_votes is None:
            return attrgetter("created_at")
        by_votes = self.by_votes
        return lambda r: by_votes(r.upvotes, r.downvotes, r.score)

    def sql_order(self) -> tuple[str, ...] | None:
        """The database's ORDER BY for a date order; None for vote orders, ranked in Python."""
        if self.by_votes is not None:
            return None
        return ("-created_at",) if self.descending else ("created_at",)


# The one table of comment orders: pages, "load more" batches and top-level candidates
# all derive their keys from it. Ties keep tree order (Python's sort is stable).
COMMENT_SORT_TABLE = {
    "best": CommentSort(True, lambda up, down, score: wilson_lower_bound(up, down)),
    "top": CommentSort(True, lambda up, down, score: score),
    "new": CommentSort(True),
    "old": CommentSort(False),
    "controversial": CommentSort(True, lambda up, down, score: controversy(up, down)),
}
COMMENT_SORTS = tuple(COMMENT_SORT_TABLE)
DEFAULT_COMMENT_SORT = "best"


def comment_sort(name: str | None) -> CommentSort:
    """The named order; an unknown name gets the default."""
    return COMMENT_SORT_TABLE.get(name or "", COMMENT_SORT_TABLE[DEFAULT_COMMENT_SORT])
