"""Who may write, and the messages that say why not.

Every write passes :func:`ensure_can_write`; authors' changes also pass
:func:`ensure_author_can_change`, moderators' actions :func:`ensure_moderator`. The
messages are shown to people as they are, in pages and in the script's in-place errors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from threads import limits, presentation, selectors
from threads.models import Thread

EMPTY_TEXT = "Write something first: the text is empty."
TEXT_TOO_LONG = "The text is {length:,} characters long; the limit is {limit:,}."
THREAD_LOCKED = presentation.THREAD_LOCKED
NOT_YOUR_COMMENT = "Only the author can change this comment."
COMMENT_REMOVED = "A moderator removed this comment, so it can't be changed."
LOGIN_REQUIRED = "Log in first."
BANNED = (
    "You are banned {term}: you can read, but not post, reply, edit, vote or report. "
    "Reason: {reason}"
)
NOT_A_MODERATOR = "Only moderators can do that."
REASON_REQUIRED = "Give a reason: it goes into the public moderation log."
REASON_TOO_LONG = "Keep the reason under {limit} characters."


def ensure_can_write(user) -> None:
    """The one gate every write passes: an active account that is not banned."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(LOGIN_REQUIRED)
    ban = selectors.active_ban(user)
    if ban is not None:
        raise PermissionDenied(BANNED.format(term=ban.term, reason=ban.reason))


def closed_thread_error(thread_id: int) -> PermissionDenied:
    """The refusal of a write to a thread that is not open, saying why
    (``presentation.thread_closed_text``); read after a conditional update found it closed."""
    thread = Thread.objects.only("is_locked", "is_removed", "is_deleted").get(pk=thread_id)
    return PermissionDenied(presentation.thread_closed_text(thread) or THREAD_LOCKED)


def ensure_author_can_change(user, comment) -> None:
    """Only the author changes a comment, and never one a moderator removed.

    Deleting would wipe the text moderators removed; it stays for the record.
    """
    if comment.author_id is None or comment.author_id != user.pk:
        raise PermissionDenied(NOT_YOUR_COMMENT)
    if comment.is_removed:
        raise PermissionDenied(COMMENT_REMOVED)


def ensure_moderator(user, permission: str) -> None:
    """Staff with the permission (the Moderators group gives it; superusers have all)."""
    if not (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(permission)
    ):
        raise PermissionDenied(NOT_A_MODERATOR)


def clean_text(body: str, *, required: bool = True) -> str:
    """The text as stored: stripped, not empty (when required), within the length limit."""
    body = (body or "").strip()
    if required and not body:
        raise ValidationError(EMPTY_TEXT, code="empty")
    if len(body) > limits.COMMENT_MAX_LENGTH:
        raise ValidationError(
            TEXT_TOO_LONG.format(length=len(body), limit=limits.COMMENT_MAX_LENGTH),
            code="too_long",
        )
    return body


def clean_reason(reason: str, *, required: bool, empty_message: str = REASON_REQUIRED) -> str:
    """A reason on one line, required where it goes into the public log."""
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError(empty_message, code="reason_required")
    if len(reason) > limits.REASON_MAX_LENGTH:
        raise ValidationError(
            REASON_TOO_LONG.format(limit=limits.REASON_MAX_LENGTH), code="reason_too_long"
        )
    return reason
