"""Speed limits a write obeys: who is exempt, and the heated-exchange rule.

In a heated exchange two people answer each other faster and faster. As Lobsters does,
a member who already replied to the same person within the same chain (one top-level
comment's subtree) less than ``settings.HEATED_REPLY_SECONDS`` ago is asked to wait.
The refusal is :class:`TooFast`, which the site answers with 429 and ``Retry-After``
(``threads.ratelimits``); it is raised before anything is written.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from threads.models import MODERATORS_GROUP, Comment

HEATED_REPLY = (
    "You answered {name} in this conversation a moment ago. Take a breath: "
    "you can reply to them here again in {wait}."
)


class TooFast(Exception):
    """A write refused for speed: ``message`` for people, ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, math.ceil(retry_after))


def exempt_from_limits(user) -> bool:
    """Moderators and superusers are exempt from content limits (never from login ones)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=MODERATORS_GROUP).exists()


def wait_words(seconds: float) -> str:
    """A wait as people say it: "45 seconds", "3 minutes", "2 hours"."""
    seconds = max(1, math.ceil(seconds))
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size * (2 if unit == "minute" else 1):
            count = math.ceil(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def ensure_not_heated(author, parent: Comment | None) -> None:
    """Refuse a reply to ``parent``'s author when ``author`` answered them in the same
    chain less than ``HEATED_REPLY_SECONDS`` ago."""
    interval = settings.HEATED_REPLY_SECONDS
    if parent is None or interval <= 0 or not settings.RATE_LIMITS_ENABLED:
        return
    if parent.author_id is None or parent.author_id == author.pk:
        return
    now = timezone.now()
    last = (
        Comment.objects.filter(
            author=author,
            tree_id=parent.tree_id,
            parent__author_id=parent.author_id,
            created_at__gt=now - timedelta(seconds=interval),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None or exempt_from_limits(author):
        return
    retry_after = (last + timedelta(seconds=interval) - now).total_seconds()
    message = HEATED_REPLY.format(name=parent.shown_author, wait=wait_words(retry_after))
    raise TooFast(message, retry_after)
