"""A thread's author edits and deletes it; a superuser purges it for good.

Like ``comment_edit`` and ``comment_delete``, the author's changes are conditional
UPDATEs: a moderator's removal (or a delete) that commits first wins, and the change
refuses with their message instead of overwriting what the moderators keep.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threads import page_cache, tree
from threads.markup import render_markdown
from threads.models import Comment, ModerationLog, Thread
from threads.services import moderation
from threads.services.permissions import (
    THREAD_LOCKED,
    clean_reason,
    clean_text,
    ensure_can_write,
    ensure_moderator,
)

NOT_YOUR_THREAD = "Only the author can change this thread."
THREAD_REMOVED = "A moderator removed this thread, so it can't be changed."
THREAD_ALREADY_DELETED = "This thread is already deleted."
THREAD_GONE = "This thread no longer exists."
DELETED_SLUG = "deleted"


def ensure_author_can_change_thread(user, thread: Thread) -> None:
    """Only the author changes a thread, and never one a moderator removed: its text
    stays for the record."""
    if thread.author_id is None or user is None or thread.author_id != user.pk:
        raise PermissionDenied(NOT_YOUR_THREAD)
    if thread.is_removed:
        raise PermissionDenied(THREAD_REMOVED)


def _changeable(thread: Thread):
    return Thread.objects.filter(pk=thread.pk, is_removed=False, is_deleted=False)


def _refused_change(thread: Thread) -> Exception:
    """Why a conditional update found no row, read afresh."""
    state = Thread.objects.filter(pk=thread.pk).values("is_removed", "is_deleted").first()
    if state is None:
        return ValidationError(THREAD_GONE, code="gone")
    if state["is_removed"]:
        return PermissionDenied(THREAD_REMOVED)
    return ValidationError(THREAD_ALREADY_DELETED, code="deleted")


def thread_edit(*, user, thread: Thread, body: str) -> Thread:
    """The author rewrites the thread's text; it shows as edited. The title stays, as on
    Reddit: the discussion below answered that title."""
    ensure_can_write(user)
    ensure_author_can_change_thread(user, thread)
    if thread.is_deleted:
        raise ValidationError(THREAD_ALREADY_DELETED, code="deleted")
    body = clean_text(body, required=False)
    body_html = render_markdown(body)
    edited_at = timezone.now()
    with transaction.atomic():
        if Thread.objects.filter(pk=thread.pk, is_locked=True).exists():
            raise PermissionDenied(THREAD_LOCKED)
        if not _changeable(thread).update(body=body, body_html=body_html, edited_at=edited_at):
            raise _refused_change(thread)
        page_cache.thread_changed(thread.pk)
    thread.body, thread.body_html, thread.edited_at = body, body_html, edited_at
    return thread


def thread_delete(*, user, thread: Thread) -> Thread:
    """The author takes their thread back: title, link and text go from the database
    (and from its address), the comments stay readable under "[deleted]"."""
    ensure_can_write(user)
    ensure_author_can_change_thread(user, thread)
    gone = {"is_deleted": True, "title": "", "url": "", "body": "", "body_html": "",
            "slug": DELETED_SLUG, "pinned_position": None}  # fmt: skip
    with transaction.atomic():
        if not _changeable(thread).update(**gone):
            raise _refused_change(thread)
        page_cache.thread_changed(thread.pk)
    for field, value in gone.items():
        setattr(thread, field, value)
    return thread


def thread_purge(*, moderator, thread: Thread, reason: str) -> int:
    """Delete a thread with all its comments for good (a superuser's tool, for what must
    not be stored at all); returns how many comments went with it.

    The public log keeps a line saying what went, without its text.
    """
    ensure_moderator(moderator, "threads.delete_thread")
    reason = clean_reason(reason, required=True)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().filter(pk=thread.pk).first()
        if locked is None:
            return 0  # already purged: nothing changed
        comments = Comment.objects.filter(thread_id=locked.pk).count()
        with tree.purging():
            Thread.objects.filter(pk=locked.pk).delete()
        page_cache.thread_changed(locked.pk)
        moderation.log_action(
            moderator,
            ModerationLog.Action.THREAD_PURGE,
            reason=reason,
            detail=f"thread #{locked.pk} and {comments} comment{'' if comments == 1 else 's'}",
        )
    return comments
