"""A member's own pages: their inbox, saved items and blocks, and the marks (blocked,
saved) a page puts on what it shows them. Every read here costs a fixed number of
queries, however many items there are."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import BooleanField, Exists, OuterRef, Value

from threads import limits
from threads.models import Block, InboxItem, SavedItem


def viewer_marks(viewer) -> dict:
    """Annotations for a comment query: ``viewer_blocks`` (the viewer blocks its author)
    and ``viewer_saved``; subqueries of the page's own query, no query of their own."""
    return {
        "viewer_blocks": Exists(
            Block.objects.filter(blocker=viewer.pk, blocked=OuterRef("author_id"))
        ),
        "viewer_saved": Exists(SavedItem.objects.filter(user=viewer.pk, comment=OuterRef("pk"))),
    }


def inbox_unread_count(user) -> int:
    """Unread items: the header's one query."""
    return InboxItem.objects.filter(recipient=user, is_read=False).count()


def inbox_items(user):
    """The member's items, unread first, newest first, each with its comment and thread."""
    return (
        InboxItem.objects.filter(recipient=user)
        .select_related("comment__author", "comment__thread", "thread__author")
        .order_by("is_read", "-created_at", "-id")
    )


def inbox_page(user, number):
    """One page of the inbox: two queries (count and rows) at any size."""
    return Paginator(inbox_items(user), limits.INBOX_ITEMS_PER_PAGE).get_page(number)


def saved_page(user, number):
    """One page of the member's saved comments and threads, newest first."""
    items = SavedItem.objects.filter(user=user).select_related(
        "comment__author", "comment__thread", "thread__author"
    )
    return Paginator(items.order_by("-created_at", "-id"), limits.SAVED_ITEMS_PER_PAGE).get_page(
        number
    )


def blocked_users(user):
    """Whom the member blocks, most recent first."""
    return Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at")


def blocked_ids(user) -> frozenset[int]:
    """Ids of the members ``user`` blocks (for pages that fold their threads)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))


def blocks(user, other) -> bool:
    """Whether ``user`` blocks ``other`` (for the block button on ``other``'s page)."""
    if user is None or not user.is_authenticated or other is None:
        return False
    return Block.objects.filter(blocker=user, blocked=other).exists()


def thread_marks(viewer) -> dict:
    """Annotations for a thread query: ``viewer_saved`` and ``viewer_blocks`` (its author),
    subqueries of the page's own query; constant False for a visitor."""
    if viewer is None or not viewer.is_authenticated:
        return {
            "viewer_saved": Value(False, BooleanField()),
            "viewer_blocks": Value(False, BooleanField()),
        }
    return {
        "viewer_saved": Exists(SavedItem.objects.filter(user=viewer.pk, thread=OuterRef("pk"))),
        "viewer_blocks": Exists(
            Block.objects.filter(blocker=viewer.pk, blocked=OuterRef("author_id"))
        ),
    }
