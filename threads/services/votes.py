"""Votes on comments and threads: one per member per item, counts moved with the row.

A first vote is one ``INSERT … ON CONFLICT DO NOTHING``; the score and up/down counts
move with ``F()`` in the transaction that writes the vote row, in the UPDATE that also
checks the thread is open. Account removal withdraws a member's votes through
:func:`votes_withdraw`, so no score keeps a vote whose row is gone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threads import page_cache
from threads.models import OPEN_THREAD, Comment, Thread, Vote
from threads.services import ranking
from threads.services.permissions import closed_thread_error, ensure_can_write

CANNOT_VOTE_OWN = "You can't vote on what you wrote."
VOTE_RACED = "Your vote changed while this one was being saved; please vote again."
BAD_VOTE_VALUE = "A vote is +1 (up) or -1 (down)."


def vote_cast(*, user, item: Comment | Thread, value: int) -> int:
    """Vote on a comment or thread; the same arrow again takes the vote back.

    Returns the viewer's vote afterwards (+1, -1 or 0). Score and the up/down counts
    move with ``F()`` in the transaction that writes the vote row.
    """
    ensure_can_write(user)
    if value not in (Vote.UP, Vote.DOWN):
        raise ValidationError(BAD_VOTE_VALUE, code="bad_value")
    if item.author_id is not None and item.author_id == user.pk:
        raise PermissionDenied(CANNOT_VOTE_OWN)
    field = "comment" if isinstance(item, Comment) else "thread"
    with transaction.atomic():
        old, new = _store_vote(user, field, item, value)
        _count_vote(item, field, old=old, new=new)
        if field == "thread":
            ranking.thread_rank_refresh(thread_id=item.pk)
        page_cache.votes_changed(item.thread_id if field == "comment" else item.pk)
    return new


def _store_vote(user, field: str, item, value: int) -> tuple[int, int]:
    """Write the member's vote row; returns their (old, new) vote on ``item``.

    A row taken back between the two statements (another click of the same member)
    means trying the insert again.
    """
    for _ in range(3):
        if _insert_first_vote(user, field, item, value):
            return 0, value
        existing = Vote.objects.select_for_update().filter(user=user, **{field: item}).first()
        if existing is not None:
            return _change_vote(existing, value)
    raise ValidationError(VOTE_RACED, code="raced")


def _insert_first_vote(user, field: str, item, value: int) -> bool:
    """Store the vote if the member has none on ``item`` yet: the usual case, in one
    statement. Two racing first clicks insert one row; the other sees it as existing."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    columns = ("user_id", f"{field}_id", "value", "created_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Vote._meta.db_table)} ({', '.join(map(quote, columns))}) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [user.pk, item.pk, value, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount == 1


def _change_vote(existing: Vote, value: int) -> tuple[int, int]:
    """The member voted before: the same arrow takes the vote back, the other switches it."""
    old = existing.value
    new = 0 if old == value else value
    if new == 0:
        existing.delete()
    else:
        Vote.objects.filter(pk=existing.pk).update(value=new)
    return old, new


def _count_vote(item, field: str, *, old: int, new: int) -> None:
    """Move the item's tally, only while its thread is open (``OPEN_THREAD``): a closed
    thread rolls the vote back."""
    if field == "comment":
        open_thread = {f"thread__{name}": value for name, value in OPEN_THREAD.items()}
    else:
        open_thread = OPEN_THREAD
    # int(): PostgreSQL has no integer + boolean operator.
    counted = (
        type(item)
        .objects.filter(pk=item.pk, **open_thread)
        .update(
            score=F("score") + (new - old),
            upvotes=F("upvotes") + (int(new == Vote.UP) - int(old == Vote.UP)),
            downvotes=F("downvotes") + (int(new == Vote.DOWN) - int(old == Vote.DOWN)),
        )
    )
    if not counted:
        raise closed_thread_error(item.thread_id if field == "comment" else item.pk)


def votes_withdraw(*, user) -> int:
    """Take back every vote ``user`` cast, moving the scores back; returns how many.

    Runs inside the caller's transaction (account removal). Locked threads are no
    reason to keep a vote whose voter is gone, so this ignores locks.
    """
    withdrawn = 0
    for field, model in (("comment", Comment), ("thread", Thread)):
        rows = Vote.objects.filter(user=user, **{f"{field}__isnull": False})
        for item_id, value in rows.select_for_update().values_list(f"{field}_id", "value"):
            model.objects.filter(pk=item_id).update(
                score=F("score") - value,
                upvotes=F("upvotes") - int(value == Vote.UP),
                downvotes=F("downvotes") - int(value == Vote.DOWN),
            )
            withdrawn += 1
        rows.delete()
    return withdrawn
