"""Moderating threads: remove and restore, pin and unpin, and readers' reports of threads.

As in ``threads.services.moderation``: each action checks the moderator's permission,
changes the state with a conditional UPDATE and writes its ``ModerationLog`` row in the
same transaction, and returns an ``Outcome`` saying whether anything changed, so a
repeated click writes no second log line.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from threads import limits, page_cache
from threads.models import ModerationLog, Report, Thread
from threads.services.moderation import (
    Outcome,
    dismiss_reports,
    file_report,
    log_action,
    resolve_reports,
)
from threads.services.permissions import clean_reason, ensure_can_write, ensure_moderator

THREAD_REPORT_REASON_REQUIRED = "Say briefly what is wrong with this thread."
REPORT_OWN_THREAD = "You can't report your own thread."
REPORT_GONE_THREAD = "This thread is already deleted or removed."
ALREADY_REPORTED_THREAD = "You have already reported this thread; a moderator will look at it."
PIN_GONE_THREAD = "A deleted or removed thread can't be pinned."
PINS_FULL = "At most {limit} threads can be pinned: unpin one first."
BAD_PIN_POSITION = "A pin's place is a whole number from 1 to {limit}."

# Any constant: the key of the PostgreSQL advisory lock that serializes pin changes.
PIN_LOCK_KEY = 7_311_012


def thread_remove(*, moderator, thread: Thread, reason: str) -> Outcome:
    """Hide a thread from the front page and its title and text from readers; the
    comments stay readable, the text stays stored. A pin goes; open reports resolve."""
    return _set_removed(moderator, thread, True, clean_reason(reason, required=True))


def thread_restore(*, moderator, thread: Thread, reason: str = "") -> Outcome:
    """Undo a removal: nothing was wiped, so exactly what was there comes back."""
    return _set_removed(moderator, thread, False, clean_reason(reason, required=False))


def _set_removed(moderator, thread: Thread, removed: bool, reason: str) -> Outcome:
    ensure_moderator(moderator, "threads.change_thread")
    action = ModerationLog.Action.THREAD_REMOVE if removed else ModerationLog.Action.THREAD_RESTORE
    change = {"is_removed": removed, **({"pinned_position": None} if removed else {})}
    with transaction.atomic():
        changed = Thread.objects.filter(pk=thread.pk, is_removed=not removed).update(**change)
        if changed:
            log_action(moderator, action, thread=thread, reason=reason)
            page_cache.thread_changed(thread.pk)
        if removed:
            resolve_reports(moderator, Report.Status.REMOVED, thread=thread)
    for field, value in change.items():
        setattr(thread, field, value)
    return Outcome(thread, bool(changed))


def _serialize_pins() -> None:
    """Pin changes wait for each other, so the cap and the places stay right when two
    moderators pin at once (SQLite serializes its writers anyway)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PIN_LOCK_KEY])


def _pinned_ids() -> list[int]:
    return list(
        Thread.objects.filter(pinned_position__isnull=False)
        .order_by("pinned_position", "id")
        .values_list("pk", flat=True)
    )


def _number_pins(ids: list[int]) -> None:
    """Places 1, 2, 3… in the order of ``ids``, in one UPDATE."""
    if ids:
        place = Case(
            *(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids, 1)),
            output_field=IntegerField(),
        )
        Thread.objects.filter(pk__in=ids).update(pinned_position=place)


def thread_pin(
    *, moderator, thread: Thread, position: int | None = None, reason: str = ""
) -> Outcome:
    """Pin a thread to the top of the front page at ``position`` (1 is first; None puts
    it last), or move a pinned one there. At most ``limits.MAX_PINNED_THREADS``."""
    ensure_moderator(moderator, "threads.change_thread")
    reason = clean_reason(reason, required=False)
    limit = limits.MAX_PINNED_THREADS
    if position is not None and not (isinstance(position, int) and 1 <= position <= limit):
        raise ValidationError(BAD_PIN_POSITION.format(limit=limit), code="bad_position")
    with transaction.atomic():
        _serialize_pins()
        fresh = Thread.objects.select_for_update().filter(pk=thread.pk).first()
        if fresh is None or fresh.is_removed or fresh.is_deleted:
            raise ValidationError(PIN_GONE_THREAD, code="gone")
        ids = _pinned_ids()
        if fresh.pk not in ids and len(ids) >= limit:
            raise ValidationError(PINS_FULL.format(limit=limit), code="full")
        others = [pk for pk in ids if pk != fresh.pk]
        place = min(position or len(others) + 1, len(others) + 1)
        wanted = [*others[: place - 1], fresh.pk, *others[place - 1 :]]
        if wanted == ids:
            thread.pinned_position = fresh.pinned_position
            return Outcome(thread, False)
        _number_pins(wanted)
        page_cache.thread_changed(fresh.pk)  # its badge, and the front page's order
        log_action(
            moderator, ModerationLog.Action.THREAD_PIN, thread=fresh, reason=reason,
            detail=f"at place {place}",
        )  # fmt: skip
    thread.pinned_position = place
    return Outcome(thread, True)


def thread_unpin(*, moderator, thread: Thread, reason: str = "") -> Outcome:
    """Take a thread off the top; the pins below move up a place."""
    ensure_moderator(moderator, "threads.change_thread")
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        _serialize_pins()
        ids = _pinned_ids()
        changed = thread.pk in ids
        if changed:
            Thread.objects.filter(pk=thread.pk).update(pinned_position=None)
            _number_pins([pk for pk in ids if pk != thread.pk])
            page_cache.thread_changed(thread.pk)
            log_action(moderator, ModerationLog.Action.THREAD_UNPIN, thread=thread, reason=reason)
    thread.pinned_position = None
    return Outcome(thread, changed)


def thread_report_create(*, reporter, thread: Thread, reason: str) -> Report:
    """A reader flags a thread for the moderators; one open report per reader per thread."""
    ensure_can_write(reporter)
    reason = clean_reason(reason, required=True, empty_message=THREAD_REPORT_REASON_REQUIRED)
    if thread.author_id is not None and thread.author_id == reporter.pk:
        raise ValidationError(REPORT_OWN_THREAD, code="own_thread")
    if thread.is_gone:
        raise ValidationError(REPORT_GONE_THREAD, code="gone")
    return file_report(reporter, reason, ALREADY_REPORTED_THREAD, thread=thread)


def thread_reports_dismiss(*, moderator, thread: Thread, reason: str = "") -> Outcome:
    """Close a thread's open reports without acting on it; ``item`` is how many closed."""
    return dismiss_reports(moderator, reason, {"thread": thread})
