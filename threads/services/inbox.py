"""The inbox: who hears of a new comment or thread, and reading what one has heard.

A new comment tells the author of what it answers (the parent comment's, or the
thread's for a top-level comment) and every member it mentions (``threads.mentions``:
the names its markup linked, at most ``limits.MENTIONS_PER_TEXT``). Nobody hears of
their own words, nor of words by someone they block; a comment that both answers and
names someone makes one item, the reply. The items are written by one INSERT in the
transaction of the comment, so both exist or neither. Imports tell nobody.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from threads.models import Block, Comment, InboxItem, Profile, Thread
from threads.models.profile import new_feed_token
from threads.services.permissions import LOGIN_REQUIRED

NOT_YOUR_ITEM = "That inbox item is not yours."

Kind = InboxItem.Kind


def inbox_notify_comment(*, comment: Comment, thread: Thread, parent: Comment | None,
                         mentioned: dict[str, int]) -> list[InboxItem]:  # fmt: skip
    """Items for a comment just inserted; call inside its transaction."""
    wanted: dict[int, str] = {}
    answered = parent.author_id if parent is not None else thread.author_id
    if answered is not None:
        wanted[answered] = Kind.COMMENT_REPLY if parent is not None else Kind.THREAD_REPLY
    for user_id in mentioned.values():
        wanted.setdefault(user_id, Kind.MENTION)
    return _write(wanted, author_id=comment.author_id, thread=thread, comment=comment)


def inbox_notify_thread(*, thread: Thread, mentioned: dict[str, int]) -> list[InboxItem]:
    """Items for the members a new thread's text mentions; call inside its transaction."""
    wanted = dict.fromkeys(mentioned.values(), Kind.MENTION)
    return _write(wanted, author_id=thread.author_id, thread=thread, comment=None)


def _write(wanted: dict[int, str], *, author_id, thread, comment) -> list[InboxItem]:
    wanted.pop(author_id, None)
    if not wanted:
        return []
    if author_id is not None:
        blocking = Block.objects.filter(blocker_id__in=list(wanted), blocked_id=author_id)
        for blocker_id in blocking.values_list("blocker_id", flat=True):
            del wanted[blocker_id]
        if not wanted:
            return []
    now = timezone.now()
    items = [
        InboxItem(recipient_id=user_id, kind=kind, thread=thread, comment=comment, created_at=now)
        for user_id, kind in wanted.items()
    ]
    return InboxItem.objects.bulk_create(items)


def _ensure_member(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(LOGIN_REQUIRED)


def inbox_item_mark_read(*, user, item_id: int, read: bool = True) -> InboxItem:
    """Mark one of the member's own items read (or unread again)."""
    _ensure_member(user)
    with transaction.atomic():
        item = InboxItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.recipient_id != user.pk:
            # The same answer for someone else's item as for none: ids reveal nothing.
            raise PermissionDenied(NOT_YOUR_ITEM)
        if item.is_read != read:
            item.is_read = read
            item.save(update_fields=["is_read"])
    return item


def inbox_mark_all_read(*, user) -> int:
    """Mark every unread item of the member read; returns how many changed."""
    _ensure_member(user)
    with transaction.atomic():
        return InboxItem.objects.filter(recipient=user, is_read=False).update(is_read=True)


def feed_token_rotate(*, user) -> Profile:
    """A new secret for the member's inbox feed URL; the old URL stops working at once."""
    _ensure_member(user)
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        profile.feed_token = new_feed_token()
        profile.save(update_fields=["feed_token"])
    return profile
