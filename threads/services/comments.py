"""Writing comments and threads: post, edit, delete, and the purge that really removes.

Tree writes go through ``threads.tree``, serialized on the root row of the top-level
subtree they change. Replies into different subtrees of one thread do not wait for each
other's tree work, only for the thread row's counter, which each takes last and holds
until its commit. A new top-level comment takes its own primary key as ``tree_id`` and
needs no tree lock. Counters move with ``F()`` expressions in the transaction of the
row that justifies them, so concurrent writers never lose an update.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threads import page_cache, tree
from threads.markup import render_markdown, render_with_mentions
from threads.models import Comment, Distinguished, ModerationLog, Thread
from threads.services import inbox, moderation, ranking
from threads.services.permissions import (
    COMMENT_REMOVED,
    clean_reason,
    clean_text,
    closed_thread_error,
    ensure_author_can_change,
    ensure_can_write,
    ensure_moderator,
)
from threads.services.speed import ensure_not_heated

PARENT_IN_OTHER_THREAD = "You can only reply to a comment in the same thread."
PARENT_GONE = tree.PARENT_GONE
ALREADY_DELETED = "This comment is already deleted."
ALREADY_GONE = "This comment no longer exists."


def thread_create(*, author, title: str, url: str = "", body: str = "") -> Thread:
    ensure_can_write(author)
    body = clean_text(body, required=False)
    body_html, mentioned = render_with_mentions(body)
    thread = Thread(
        title=title.strip(),
        url=url.strip(),
        body=body,
        body_html=body_html,
        author=author,
    )
    thread.full_clean()
    with transaction.atomic():
        thread.save()
        page_cache.thread_changed(thread.pk)
        inbox.inbox_notify_thread(thread=thread, mentioned=mentioned)
    return thread


def comment_create(
    *, author, thread: Thread, body: str, parent: Comment | None = None, distinguish: bool = False
) -> Comment:
    """Add a comment to ``thread``: top-level when ``parent`` is None, else a reply to it.

    The author of what it answers and the members it mentions hear of it in their inbox
    (``services.inbox``), in the same transaction. ``distinguish``: a moderator speaks as
    one, and the comment carries the "mod" badge.
    """
    ensure_can_write(author)
    if distinguish:
        ensure_moderator(author, "threads.change_comment")
    body = clean_text(body)
    ensure_not_heated(author, parent)
    body_html, mentioned = render_with_mentions(body)
    comment = Comment(thread_id=thread.pk, author=author, body=body, body_html=body_html)
    if distinguish:
        comment.distinguished = Distinguished.MODERATOR
    with transaction.atomic():
        if parent is None:
            _insert_root(comment)
        else:
            _insert_reply(comment, parent)
        _count_comment_in_open_thread(thread.pk)
        ranking.thread_rank_refresh(thread_id=thread.pk)
        page_cache.thread_changed(thread.pk)
        inbox.inbox_notify_comment(
            comment=comment, thread=thread, parent=parent, mentioned=mentioned
        )
    return comment


def _count_comment_in_open_thread(thread_id: int) -> None:
    """Count one more comment, in the statement that also checks the thread is open.

    It comes last, so the thread row is held only from here to the commit. A moderator's
    lock or removal, or the author's delete, that commits first is seen here, and the
    whole reply rolls back.
    """
    counted = (
        Thread.objects.open().filter(pk=thread_id).update(comment_count=F("comment_count") + 1)
    )
    if not counted:
        raise closed_thread_error(thread_id)


def _insert_root(comment: Comment) -> None:
    comment.parent = None
    comment.lft, comment.rght, comment.level, comment.tree_id = 1, 2, 0, 0
    comment.save()
    Comment.objects.filter(pk=comment.pk).update(tree_id=F("id"))
    comment.tree_id = comment.pk


def _insert_reply(comment: Comment, parent: Comment) -> None:
    fresh = tree.lock_subtree_of(parent.pk, parent.tree_id)
    if fresh.thread_id != comment.thread_id:
        raise ValidationError(PARENT_IN_OTHER_THREAD, code="other_thread")
    if fresh.is_deleted or fresh.is_removed:
        raise ValidationError(PARENT_GONE, code="parent_gone")
    comment.lft, comment.rght, comment.level, comment.tree_id = tree.make_room(fresh)
    comment.parent_id = fresh.id
    comment.save()  # numbers set: django-mptt inserts the row as it is


def _changeable(comment: Comment):
    """The comment's row if its author may still change it: a conditional UPDATE on this
    queryset changes nothing when a moderator removed it (or it was deleted) meanwhile."""
    return Comment.objects.filter(pk=comment.pk, is_removed=False, is_deleted=False)


def _refused_change(comment: Comment) -> Exception:
    """Why a conditional update of an author's change found no row, read afresh."""
    state = Comment.objects.filter(pk=comment.pk).values("is_removed", "is_deleted").first()
    if state is None:
        return ValidationError(ALREADY_GONE, code="gone")
    if state["is_removed"]:
        return PermissionDenied(COMMENT_REMOVED)
    return ValidationError(ALREADY_DELETED, code="deleted")


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    """The author rewrites their comment; it shows as edited, with the time.

    A moderator's removal or a delete that commits first wins: the update is
    conditional on neither having happened, and refuses with their message.
    """
    ensure_can_write(user)
    ensure_author_can_change(user, comment)
    if comment.is_deleted:
        raise ValidationError(ALREADY_DELETED, code="deleted")
    body = clean_text(body)
    body_html = render_markdown(body)
    edited_at = timezone.now()
    with transaction.atomic():
        if not Thread.objects.open().filter(pk=comment.thread_id).exists():
            raise closed_thread_error(comment.thread_id)
        if not _changeable(comment).update(body=body, body_html=body_html, edited_at=edited_at):
            raise _refused_change(comment)
        page_cache.thread_changed(comment.thread_id)
    comment.body, comment.body_html, comment.edited_at = body, body_html, edited_at
    return comment


def comment_delete(*, user, comment: Comment) -> Comment:
    """The author takes their words back: the text goes, the replies stay in place.

    Conditional like :func:`comment_edit`: it never wipes the text of a comment a
    moderator removed meanwhile (the text stays for the record).
    """
    ensure_can_write(user)
    ensure_author_can_change(user, comment)
    with transaction.atomic():
        if not _changeable(comment).update(is_deleted=True, body="", body_html=""):
            raise _refused_change(comment)
        page_cache.thread_changed(comment.thread_id)
    comment.is_deleted, comment.body, comment.body_html = True, "", ""
    return comment


def comment_purge(*, moderator, comment: Comment, reason: str) -> int:
    """Delete a comment and all its replies from the database for good (a superuser's
    tool, for what must not be stored at all); returns how many comments went.

    Unlike a removal it cannot be undone. The tree is closed up, the ancestors'
    ``descendant_count`` and the thread's ``comment_count`` drop by the subtree's size,
    and the public log keeps a line saying what went (its text does not stay).
    """
    ensure_moderator(moderator, "threads.delete_comment")
    reason = clean_reason(reason, required=True)
    with transaction.atomic():
        try:
            node = tree.lock_subtree_of(comment.pk, comment.tree_id)
        except ValidationError:
            return 0  # already purged: nothing changed
        ids = list(
            Comment.objects.filter(
                tree_id=node.tree_id, lft__gte=node.lft, lft__lte=node.rght
            ).values_list("pk", flat=True)
        )
        with tree.purging():
            Comment.objects.filter(pk__in=ids).delete()
        tree.close_gap(node)
        Thread.objects.filter(pk=node.thread_id).update(comment_count=F("comment_count") - len(ids))
        page_cache.thread_changed(node.thread_id)
        moderation.log_action(
            moderator,
            ModerationLog.Action.COMMENT_PURGE,
            thread_id=node.thread_id,
            reason=reason,
            detail=f"comment #{node.id} and {len(ids) - 1} repl{'y' if len(ids) == 2 else 'ies'}",
        )
    return len(ids)
