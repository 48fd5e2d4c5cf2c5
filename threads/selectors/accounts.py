"""Reads about a member's own account."""

from __future__ import annotations

from threads.models import Profile
from threads.sorting import COMMENT_SORTS, DEFAULT_COMMENT_SORT


def preferred_comment_sort(user) -> str:
    """The order ``user`` chose for thread pages (settings), else the site's: one query
    for a member, none for a visitor."""
    if user is None or not user.is_authenticated:
        return DEFAULT_COMMENT_SORT
    chosen = (
        Profile.objects.filter(user=user).values_list("default_comment_sort", flat=True).first()
    )
    return chosen if chosen in COMMENT_SORTS else DEFAULT_COMMENT_SORT
