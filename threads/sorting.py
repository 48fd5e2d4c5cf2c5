"""Ranking formulas for comments and threads, on plain numbers.

Comment sorts follow Reddit; the front page's "hot" follows Lemmy. The vote formulas are
cached: most comments share a few (up, down) pairs, and a big page ranks thousands.
"""

from __future__ import annotations

import math
from datetime import datetime
from functools import lru_cache

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


COMMENT_SORTS = ("best", "top", "new", "old", "controversial")
DEFAULT_COMMENT_SORT = "best"

# Each key is (sort key on a row, descending?). Python's stable sort keeps tree order on ties.
COMMENT_SORT_KEYS = {
    "best": (lambda r: wilson_lower_bound(r.upvotes, r.downvotes), True),
    "top": (lambda r: r.score, True),
    "new": (lambda r: r.created_at, True),
    "old": (lambda r: r.created_at, False),
    "controversial": (lambda r: controversy(r.upvotes, r.downvotes), True),
}
