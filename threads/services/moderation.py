"""Moderation: remove and restore comments, lock threads, reports.

Each action checks the moderator's permission, then changes the state and writes its
``ModerationLog`` row in one transaction, so no moderation goes unlogged. Each returns
an :class:`Outcome` saying whether anything changed: repeating an action that changes
nothing (removing a removed comment) writes no second log entry, so the public log
lists only what happened. State flips are conditional UPDATEs, so two moderators
clicking at once produce one change and one log entry.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from threads import page_cache
from threads.models import Comment, ModerationLog, Report, Thread
from threads.services.permissions import clean_reason, ensure_can_write, ensure_moderator

REPORT_REASON_REQUIRED = "Say briefly what is wrong with this comment."
REPORT_OWN_COMMENT = "You can't report your own comment."
REPORT_GONE_COMMENT = "This comment is already deleted or removed."
ALREADY_REPORTED = "You have already reported this comment; a moderator will look at it."


class Outcome(NamedTuple):
    """What a moderation service acted on, and whether it changed anything."""

    item: Any
    changed: bool


def log_action(moderator, action: str, *, reason: str = "", detail: str = "", **targets):
    return ModerationLog.objects.create(
        moderator=moderator, action=action, reason=reason, detail=detail, **targets
    )


def comment_remove(*, moderator, comment: Comment, reason: str) -> Outcome:
    """Hide a comment's text from the public; the text stays stored, replies stay visible.

    Its open reports are resolved as "removed" in the same transaction.
    """
    return _set_comment_removed(moderator, comment, True, clean_reason(reason, required=True))


def comment_restore(*, moderator, comment: Comment, reason: str = "") -> Outcome:
    """Undo a removal: the text was never touched, so exactly what was there comes back."""
    return _set_comment_removed(moderator, comment, False, clean_reason(reason, required=False))


def _set_comment_removed(moderator, comment: Comment, removed: bool, reason: str) -> Outcome:
    ensure_moderator(moderator, "threads.change_comment")
    action = (
        ModerationLog.Action.COMMENT_REMOVE if removed else ModerationLog.Action.COMMENT_RESTORE
    )
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, is_removed=not removed).update(
            is_removed=removed
        )
        if changed:
            log_action(
                moderator, action, comment=comment, thread_id=comment.thread_id, reason=reason
            )
            page_cache.thread_changed(comment.thread_id)
        if removed:
            resolve_reports(moderator, Report.Status.REMOVED, comment=comment)
    comment.is_removed = removed
    return Outcome(comment, bool(changed))


def _set_thread_lock(moderator, thread: Thread, locked: bool, reason: str) -> Outcome:
    ensure_moderator(moderator, "threads.change_thread")
    reason = clean_reason(reason, required=False)
    action = ModerationLog.Action.THREAD_LOCK if locked else ModerationLog.Action.THREAD_UNLOCK
    with transaction.atomic():
        changed = Thread.objects.filter(pk=thread.pk, is_locked=not locked).update(is_locked=locked)
        if changed:
            log_action(moderator, action, thread=thread, reason=reason)
            page_cache.thread_changed(thread.pk)
    thread.is_locked = locked
    return Outcome(thread, bool(changed))


def thread_lock(*, moderator, thread: Thread, reason: str = "") -> Outcome:
    """No more replies or votes; everything already there stays readable."""
    return _set_thread_lock(moderator, thread, True, reason)


def thread_unlock(*, moderator, thread: Thread, reason: str = "") -> Outcome:
    return _set_thread_lock(moderator, thread, False, reason)


def report_create(*, reporter, comment: Comment, reason: str) -> Report:
    """A reader flags a comment for the moderators; one open report per reader per comment."""
    ensure_can_write(reporter)
    reason = clean_reason(reason, required=True, empty_message=REPORT_REASON_REQUIRED)
    if comment.author_id is not None and comment.author_id == reporter.pk:
        raise ValidationError(REPORT_OWN_COMMENT, code="own_comment")
    if comment.is_gone:
        raise ValidationError(REPORT_GONE_COMMENT, code="gone")
    return file_report(reporter, reason, ALREADY_REPORTED, comment=comment)


def file_report(reporter, reason: str, duplicate: str, **item) -> Report:
    """One open report per reader per item (``comment=`` or ``thread=``): a second is
    refused with ``duplicate``, before the insert and, for a racing double submit, by the
    constraint."""
    if Report.objects.filter(reporter=reporter, status=Report.Status.OPEN, **item).exists():
        raise ValidationError(duplicate, code="duplicate")
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, reason=reason, **item)
    except IntegrityError:
        raise ValidationError(duplicate, code="duplicate") from None


def reports_dismiss(*, moderator, comment: Comment, reason: str = "") -> Outcome:
    """Close a comment's open reports without acting on it; ``item`` is how many closed."""
    return dismiss_reports(
        moderator, reason, {"comment": comment}, logged={"thread_id": comment.thread_id}
    )


def dismiss_reports(moderator, reason: str, item: dict, *, logged: dict | None = None) -> Outcome:
    """Close the open reports of one item (``{"comment": c}`` or ``{"thread": t}``) without
    acting on it, and log how many, with ``logged`` as further targets of the log line."""
    ensure_moderator(moderator, "threads.change_report")
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        count = resolve_reports(moderator, Report.Status.DISMISSED, **item)
        if count:
            log_action(
                moderator,
                ModerationLog.Action.REPORTS_DISMISS,
                reason=reason,
                detail=f"{count} report{'' if count == 1 else 's'}",
                **item,
                **(logged or {}),
            )
    return Outcome(count, bool(count))


def resolve_reports(moderator, status: str, **item) -> int:
    """Close the open reports of one item (``comment=`` or ``thread=``); how many closed."""
    return Report.objects.filter(status=Report.Status.OPEN, **item).update(
        status=status, resolved_by=moderator, resolved_at=timezone.now()
    )
