"""Every write to threads, comments and votes: the rules, the locks and the transactions.

Tree writes are serialized on exactly what they change. A reply locks the root row of
its top-level subtree (``select_for_update``) before it reads the parent's ``rght`` and
shifts the rest of the subtree, so two replies into one subtree queue instead of
colliding, and replies into different subtrees never wait for each other. A new
top-level comment takes its own primary key as ``tree_id``, which needs no lock at all.
Counters move with ``F()`` expressions in the same transaction as the row that justifies
them, so concurrent writers never lose an update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from threads.importers import ParsedComment, ParsedThread
from threads.markup import render_markdown
from threads.models import MODERATORS_GROUP, Ban, Comment, ModerationLog, Report, Thread, Vote

REASON_MAX_LENGTH = 500

EMPTY_TEXT = "Write something first: the text is empty."
TEXT_TOO_LONG = "The text is {length:,} characters long; the limit is {limit:,}."
THREAD_LOCKED = "This thread is locked: it takes no new replies or votes."
PARENT_IN_OTHER_THREAD = "You can only reply to a comment in the same thread."
PARENT_GONE = "That comment was deleted or removed, so it takes no replies."
NOT_YOUR_COMMENT = "Only the author can change this comment."
ALREADY_DELETED = "This comment is already deleted."
CANNOT_VOTE_OWN = "You can't vote on what you wrote."
VOTE_RACED = "Your vote changed while this one was being saved; please vote again."
BAD_VOTE_VALUE = "A vote is +1 (up) or -1 (down)."
LOGIN_REQUIRED = "Log in first."
BANNED = (
    "You are banned {term}: you can read, but not post, reply, edit, vote or report. "
    "Reason: {reason}"
)
COMMENT_REMOVED = "A moderator removed this comment, so it can't be changed."
NOT_A_MODERATOR = "Only moderators can do that."
REASON_REQUIRED = "Give a reason: it goes into the public moderation log."
REPORT_REASON_REQUIRED = "Say briefly what is wrong with this comment."
REASON_TOO_LONG = "Keep the reason under {limit} characters."
REPORT_OWN_COMMENT = "You can't report your own comment."
REPORT_GONE_COMMENT = "This comment is already deleted or removed."
ALREADY_REPORTED = "You have already reported this comment; a moderator will look at it."
BAN_SELF = "You can't ban yourself."
BAN_STAFF = "Only a superuser can ban staff."
BAN_END_IN_PAST = "The end of the ban must be in the future."
NO_MODERATORS_GROUP = 'The "{group}" group is missing: run "python manage.py migrate" first.'


def _clean_text(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(EMPTY_TEXT, code="empty")
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise ValidationError(
            TEXT_TOO_LONG.format(length=len(body), limit=settings.COMMENT_MAX_LENGTH),
            code="too_long",
        )
    return body


def ensure_can_write(user) -> None:
    """The one gate every write passes: an active account that is not banned."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(LOGIN_REQUIRED)
    ban = active_ban(user)
    if ban is not None:
        raise PermissionDenied(BANNED.format(term=ban.term, reason=ban.reason))


def active_ban(user) -> Ban | None:
    if user is None or not user.is_authenticated:
        return None
    return Ban.objects.active().filter(user=user).first()


def _ensure_open(thread_id: int) -> None:
    if Thread.objects.filter(pk=thread_id, is_locked=True).exists():
        raise PermissionDenied(THREAD_LOCKED)


def thread_create(*, author, title: str, url: str = "", body: str = "") -> Thread:
    ensure_can_write(author)
    body = (body or "").strip()
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise ValidationError(
            TEXT_TOO_LONG.format(length=len(body), limit=settings.COMMENT_MAX_LENGTH)
        )
    thread = Thread(
        title=title.strip(),
        url=url.strip(),
        body=body,
        body_html=render_markdown(body),
        author=author,
    )
    thread.full_clean()
    with transaction.atomic():
        thread.save()
    return thread


def comment_reply(*, author, thread: Thread, body: str, parent: Comment | None = None) -> Comment:
    """Add a comment to ``thread``: top-level when ``parent`` is None, else a reply to it."""
    ensure_can_write(author)
    body = _clean_text(body)
    comment = Comment(
        thread_id=thread.pk, author=author, body=body, body_html=render_markdown(body)
    )
    with transaction.atomic():
        if parent is None:
            _insert_root(comment)
        else:
            _insert_reply(comment, parent)
        _count_comment_in_open_thread(thread.pk)
    return comment


def _count_comment_in_open_thread(thread_id: int) -> None:
    """Count one more comment, in the statement that also checks the thread is open.

    It comes last, so the thread row is held only from here to the commit: replies
    into different subtrees of one thread wait for each other that long, no longer. A
    moderator's lock that commits first is seen here, and the whole reply rolls back.
    """
    counted = Thread.objects.filter(pk=thread_id, is_locked=False).update(
        comment_count=F("comment_count") + 1
    )
    if not counted:
        raise PermissionDenied(THREAD_LOCKED)


def _insert_root(comment: Comment) -> None:
    comment.parent = None
    comment.lft, comment.rght, comment.level, comment.tree_id = 1, 2, 0, 0
    comment.save()
    Comment.objects.filter(pk=comment.pk).update(tree_id=F("id"))
    comment.tree_id = comment.pk


def _insert_reply(comment: Comment, parent: Comment) -> None:
    parent = _lock_subtree_of(parent)
    if parent.thread_id != comment.thread_id:
        raise ValidationError(PARENT_IN_OTHER_THREAD, code="other_thread")
    if parent.is_deleted or parent.is_removed:
        raise ValidationError(PARENT_GONE, code="parent_gone")
    _make_room(parent)
    comment.parent_id = parent.id
    comment.lft, comment.rght = parent.rght, parent.rght + 1
    comment.level, comment.tree_id = parent.level + 1, parent.tree_id
    comment.save()  # numbers set: django-mptt inserts the row as it is


class _FreshParent(NamedTuple):
    """What a reply needs of its parent: the tree numbers, and whether it takes replies."""

    id: int
    thread_id: int
    tree_id: int
    level: int
    lft: int
    rght: int
    is_deleted: bool
    is_removed: bool


def _lock_subtree_of(comment: Comment) -> _FreshParent:
    """Lock the root row of ``comment``'s top-level subtree, and read ``comment`` afresh
    under that lock, in one query.

    Rows are locked in primary-key order, and a root is older than all its replies, so
    every writer takes the root first and two writers cannot wait on each other. Like
    the renumbering below it is written as SQL: through the ORM this one statement cost
    more than half a millisecond of Python in every reply.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} IN (%s, %s) ORDER BY {}".format(
        ", ".join(map(quote, _FreshParent._fields)),
        quote(Comment._meta.db_table),
        quote("id"),
        quote("id"),
    )
    if connection.features.has_select_for_update:  # SQLite locks the whole database
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [comment.tree_id, comment.pk])
        rows = [_FreshParent(*row) for row in cursor.fetchall()]
    fresh = next((row for row in rows if row.id == comment.pk), None)
    if fresh is None:  # deleted for good (by a superuser) since the page was read
        raise ValidationError(PARENT_GONE, code="parent_gone")
    return fresh


def _make_room(parent: _FreshParent) -> None:
    """Open the two numbers a new last reply of ``parent`` takes, in one UPDATE.

    Everything from the parent's ``rght`` on moves two places right, and the parent and
    its ancestors count one more descendant. Those rows are exactly the ones with
    ``rght >= parent.rght`` in the subtree (replies of the parent end before it).
    Written as SQL: the ORM spent longer building this statement than SQLite running it.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            _MAKE_ROOM_SQL.format(table=quote(Comment._meta.db_table)),
            [parent.rght, parent.lft, parent.tree_id, parent.rght],
        )


_MAKE_ROOM_SQL = """
UPDATE {table} SET
    lft = CASE WHEN lft > %s THEN lft + 2 ELSE lft END,
    rght = rght + 2,
    descendant_count = CASE WHEN lft <= %s THEN descendant_count + 1 ELSE descendant_count END
WHERE tree_id = %s AND rght >= %s
"""


def lock_subtree(tree_id: int) -> None:
    """Hold the root row of one top-level subtree until the transaction ends.

    A root's ``tree_id`` is its own primary key, so this is a primary-key lookup.
    """
    list(Comment.objects.select_for_update().filter(pk=tree_id).values_list("pk"))


def ensure_author_can_change(user, comment: Comment) -> None:
    """Only the author changes a comment, and never one a moderator removed.

    Deleting would wipe the text moderators removed; it stays for the record.
    """
    if comment.author_id is None or comment.author_id != user.pk:
        raise PermissionDenied(NOT_YOUR_COMMENT)
    if comment.is_removed:
        raise PermissionDenied(COMMENT_REMOVED)


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    ensure_can_write(user)
    ensure_author_can_change(user, comment)
    if comment.is_deleted:
        raise ValidationError(ALREADY_DELETED, code="deleted")
    body = _clean_text(body)
    with transaction.atomic():
        _ensure_open(comment.thread_id)
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        Comment.objects.filter(pk=comment.pk).update(
            body=comment.body, body_html=comment.body_html, edited_at=comment.edited_at
        )
    return comment


def comment_delete(*, user, comment: Comment) -> Comment:
    """The author takes their words back: the text goes, the replies stay in place."""
    ensure_can_write(user)
    ensure_author_can_change(user, comment)
    with transaction.atomic():
        comment.is_deleted = True
        comment.body = ""
        comment.body_html = ""
        Comment.objects.filter(pk=comment.pk).update(is_deleted=True, body="", body_html="")
    return comment


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
    """Move the item's tally, only while its thread is open: a locked thread rolls the
    vote back."""
    open_thread = {"thread__is_locked": False} if field == "comment" else {"is_locked": False}
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
        raise PermissionDenied(THREAD_LOCKED)


@dataclass
class ImportResult:
    thread: Thread
    created: int
    present: int
    repeats: int
    skipped: int
    thread_created: bool
    updated: int = 0


IMPORT_BATCH_SIZE = 2000


def thread_import(
    *,
    parsed: ParsedThread,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write a parsed thread in one transaction; what is already there is refreshed.

    Comments are matched by their source id, so importing the same source again adds
    nothing and a newer export adds only what is new. New comments are written in bulk,
    one INSERT batch per depth, with nested-set fields computed in memory. Comments
    already present take the source's newer scores and state (see ``_refresh_present``).
    ``progress(done, total)`` is called after each batch of new comments.
    """
    with transaction.atomic():
        thread = Thread.objects.select_for_update().filter(source=parsed.source).first()
        thread_created = thread is None
        if thread_created:
            thread = _create_imported_thread(parsed)
        else:
            _refresh_thread(thread, parsed)
        stored = list(
            Comment.objects.filter(thread=thread)
            .exclude(source_id="")
            .values_list(*_PRESENT_FIELDS)
        )
        existing = {row[0]: row[1] for row in stored}
        new = [c for c in parsed.comments if c.source_id not in existing]
        updated = _refresh_present(thread, parsed, stored) if stored else 0
        if new:
            _bulk_insert(thread, new, existing, progress)
            Thread.objects.filter(pk=thread.pk).update(
                comment_count=Comment.objects.filter(thread=thread).count()
            )
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(
        thread=thread,
        created=len(new),
        present=len(parsed.comments) - len(new),
        repeats=parsed.repeats,
        skipped=parsed.skipped,
        thread_created=thread_created,
        updated=updated,
    )


_PRESENT_FIELDS = (
    "source_id", "pk", "score", "upvotes", "downvotes", "is_deleted", "is_removed", "body",
    "edited_at",
)  # fmt: skip


def _refresh_thread(thread: Thread, parsed: ParsedThread) -> None:
    """The source's newer counts plus this forum's own votes; a lock at the source sticks."""
    tally = Vote.objects.filter(thread=thread).tallies("thread_id")
    total, ups, downs = tally.get(thread.pk, (0, 0, 0))
    thread.score = parsed.score + total
    thread.upvotes = parsed.upvotes + ups
    thread.downvotes = parsed.downvotes + downs
    thread.is_locked = thread.is_locked or parsed.is_locked
    Thread.objects.filter(pk=thread.pk).update(
        score=thread.score,
        upvotes=thread.upvotes,
        downvotes=thread.downvotes,
        is_locked=thread.is_locked,
    )


def _refresh_present(thread: Thread, parsed: ParsedThread, stored: list) -> int:
    """Bring stored comments up to date with a newer export; returns how many changed.

    Scores become the source's count plus this forum's own votes. Deleted and removed
    flags only ever turn on (local moderation is never undone by an import); a comment
    deleted at the source loses its text as ``comment_delete`` would. A changed text is
    taken as an edit unless the comment is deleted or removed here.
    """
    by_id = {c.source_id: c for c in parsed.comments}
    tallies = Vote.objects.filter(comment__thread=thread).tallies("comment_id")
    changed: list[Comment] = []
    for source_id, pk, score, upvotes, downvotes, deleted, removed, body, edited in stored:
        source = by_id.get(source_id)
        if source is None:
            continue
        total, ups, downs = tallies.get(pk, (0, 0, 0))
        row = Comment(
            pk=pk,
            score=source.score + total,
            upvotes=source.upvotes + ups,
            downvotes=source.downvotes + downs,
            is_deleted=deleted or source.is_deleted,
            is_removed=removed or source.is_removed,
            body=body,
            edited_at=edited,
        )
        if source.is_deleted and not deleted:
            row.body = ""
        elif source.body and source.body != body and not (row.is_deleted or row.is_removed):
            row.body = source.body
            row.edited_at = source.edited_at or timezone.now()
        old = (score, upvotes, downvotes, deleted, removed, body, edited)
        if old != (row.score, row.upvotes, row.downvotes, row.is_deleted, row.is_removed,
                   row.body, row.edited_at):  # fmt: skip
            row.body_html = render_markdown(row.body)
            changed.append(row)
    Comment.objects.bulk_update(changed, _REFRESHED_FIELDS, batch_size=IMPORT_BATCH_SIZE)
    return len(changed)


_REFRESHED_FIELDS = [
    "score", "upvotes", "downvotes", "is_deleted", "is_removed", "body", "body_html", "edited_at",
]  # fmt: skip


def _create_imported_thread(parsed: ParsedThread) -> Thread:
    return Thread.objects.create(
        source=parsed.source,
        title=parsed.title,
        url=parsed.url,
        body=parsed.body,
        body_html=render_markdown(parsed.body),
        author_name=parsed.author_name,
        created_at=parsed.created_at or timezone.now(),
        score=parsed.score,
        upvotes=parsed.upvotes,
        downvotes=parsed.downvotes,
        is_locked=parsed.is_locked,
    )


def _bulk_insert(
    thread: Thread, new: list[ParsedComment], existing: dict[str, int], progress=None
) -> None:
    """Insert new comments, renumbering only the existing subtrees they graft onto.

    Keys in ``kids`` are source ids (str) for new comments and primary keys (int) for
    comments already stored; both map to child keys in insertion order.
    """
    now = timezone.now()
    nodes = {c.source_id: _NewRow(c, now) for c in new}
    parents: dict[str, str | int | None] = {}
    kids: dict[str | int, list[str]] = {}
    for parsed in new:
        key = parsed.parent_source_id
        parent = key if key is None or key in nodes else existing[key]
        parents[parsed.source_id] = parent
        if parent is not None:
            kids.setdefault(parent, []).append(parsed.source_id)
    for key, parent in parents.items():
        if parent is None:
            _apply_numbers(_nested_set(key, kids.get), nodes, tree_id=0)
    changed = _number_grafted_trees([k for k in kids if isinstance(k, int)], kids, nodes)
    _write_by_depth(thread, nodes, parents, progress)
    if changed:
        Comment.objects.bulk_update(changed, ["lft", "rght", "descendant_count"], batch_size=1000)


class _NewRow:
    """A comment about to be inserted: its record plus the numbers computed for it.

    Lighter than a model instance, which matters at 100,000 comments per import.
    """

    __slots__ = ("parsed", "body_html", "created_at", "lft", "rght", "level", "tree_id", "pk")

    def __init__(self, parsed: ParsedComment, now):
        self.parsed = parsed
        self.body_html = render_markdown(parsed.body)
        self.created_at = parsed.created_at or now
        self.lft = self.rght = self.level = self.tree_id = 0
        self.pk: int | None = None


def _nested_set(root, kids_of) -> dict:
    """Nested-set numbers ``key -> (lft, rght, level)`` for one tree, depth first.

    Iterative, so a chain thousands deep cannot hit Python's recursion limit.
    """
    numbers: dict = {}
    counter = 1
    stack = [(root, 0, False)]
    while stack:
        key, level, closing = stack.pop()
        if closing:
            lft, _, _ = numbers[key]
            numbers[key] = (lft, counter, level)
            counter += 1
            continue
        numbers[key] = (counter, 0, level)
        counter += 1
        stack.append((key, level, True))
        stack.extend((child, level + 1, False) for child in reversed(kids_of(key) or ()))
    return numbers


def _apply_numbers(numbers: dict, nodes: dict[str, _NewRow], *, tree_id: int) -> None:
    for key, (lft, rght, level) in numbers.items():
        node = nodes.get(key)
        if node is not None:
            node.lft, node.rght, node.level, node.tree_id = lft, rght, level, tree_id


def _number_grafted_trees(parent_pks: list[int], kids: dict, nodes: dict) -> list[Comment]:
    """Renumber each stored subtree that gains replies; returns the stored rows that moved."""
    changed: list[Comment] = []
    tree_ids = Comment.objects.filter(pk__in=parent_pks).values_list("tree_id", flat=True)
    for tree_id in sorted(set(tree_ids)):
        lock_subtree(tree_id)
        rows = list(
            Comment.objects.filter(tree_id=tree_id)
            .order_by("lft")
            .values_list("pk", "parent_id", "lft", "rght")
        )
        stored_kids: dict[int, list] = {}
        for pk, parent_id, _, _ in rows:
            if parent_id is not None:
                stored_kids.setdefault(parent_id, []).append(pk)

        def kids_of(key, stored_kids=stored_kids):
            return stored_kids.get(key, []) + kids.get(key, [])

        numbers = _nested_set(rows[0][0], kids_of)
        _apply_numbers(numbers, nodes, tree_id=tree_id)
        for pk, _, lft, rght in rows:
            new_lft, new_rght, _ = numbers[pk]
            if (new_lft, new_rght) != (lft, rght):
                changed.append(
                    Comment(
                        pk=pk,
                        lft=new_lft,
                        rght=new_rght,
                        descendant_count=(new_rght - new_lft - 1) // 2,
                    )
                )
    return changed


_INSERTED_FIELDS = (
    "thread", "parent", "source_id", "body", "body_html", "author_name", "created_at",
    "edited_at", "is_deleted", "is_removed", "score", "upvotes", "downvotes", "lft", "rght",
    "tree_id", "level", "descendant_count",
)  # fmt: skip


def _write_by_depth(thread: Thread, nodes: dict[str, _NewRow], parents: dict, progress) -> None:
    """INSERTs depth by depth (a reply needs its parent's primary key), then reads the keys.

    Plain ``executemany`` rather than ``bulk_create``: the ORM's per-value preparation
    was most of the import time at 100,000 comments. The values are ones the database
    driver takes as they are, except times, which the backend adapts. Within one thread
    source ids are unique, so one read of the rows above the highest key before each depth
    maps them to the new primary keys.
    """
    connection = transaction.get_connection()
    fields = [Comment._meta.get_field(name) for name in _INSERTED_FIELDS]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Comment._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    adapt_time = connection.ops.adapt_datetimefield_value
    by_level: dict[int, list[str]] = {}
    for key, node in nodes.items():
        by_level.setdefault(node.level, []).append(key)
    done = 0
    floor = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for level in sorted(by_level):
        rows = []
        for key in by_level[level]:
            node = nodes[key]
            parent = parents[key]
            if isinstance(parent, str):
                parent_pk, node.tree_id = nodes[parent].pk, nodes[parent].tree_id
            else:
                parent_pk = parent
            c = node.parsed
            rows.append(
                (
                    thread.pk, parent_pk, c.source_id, c.body, node.body_html, c.author_name,
                    adapt_time(node.created_at), adapt_time(c.edited_at), c.is_deleted,
                    c.is_removed, c.score, c.upvotes, c.downvotes, node.lft, node.rght,
                    node.tree_id, node.level, (node.rght - node.lft - 1) // 2,
                )
            )  # fmt: skip
        with connection.cursor() as cursor:
            for start in range(0, len(rows), IMPORT_BATCH_SIZE):
                cursor.executemany(sql, rows[start : start + IMPORT_BATCH_SIZE])
                done += len(rows[start : start + IMPORT_BATCH_SIZE])
                if progress is not None:
                    progress(done, len(nodes))
        if level == 0:
            Comment.objects.filter(thread=thread, level=0, tree_id=0).update(tree_id=F("id"))
        # Keys come from a sequence, so this batch's rows all lie above ``floor``.
        inserted = Comment.objects.filter(pk__gt=floor).values_list("pk", "thread_id", "source_id")
        for pk, thread_id, source_id in inserted.iterator(chunk_size=10_000):
            node = nodes.get(source_id) if thread_id == thread.pk else None
            if node is not None and node.level == level:
                node.pk = pk
                if level == 0:
                    node.tree_id = pk
            floor = max(floor, pk)


# Moderation. Each action checks the moderator's permission, then changes the state and
# writes its ModerationLog row in one transaction, so no moderation goes unlogged.
# Repeating an action that changes nothing (removing a removed comment, locking a locked
# thread) is a no-op: it returns quietly and writes no second log entry, so the public
# log lists only what actually changed. State flips are conditional UPDATEs, so two
# moderators clicking at once produce one change and one log entry.


def _ensure_moderator(user, permission: str) -> None:
    """Staff with the permission (the Moderators group gives it; superusers have all)."""
    if not (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(permission)
    ):
        raise PermissionDenied(NOT_A_MODERATOR)


def _clean_reason(reason: str, *, required: bool, empty_message: str = REASON_REQUIRED) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError(empty_message, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            REASON_TOO_LONG.format(limit=REASON_MAX_LENGTH), code="reason_too_long"
        )
    return reason


def _log(moderator, action: str, *, reason: str = "", detail: str = "", **targets):
    return ModerationLog.objects.create(
        moderator=moderator, action=action, reason=reason, detail=detail, **targets
    )


def comment_remove(*, moderator, comment: Comment, reason: str) -> Comment:
    """Hide a comment's text from the public; the text stays stored, replies stay visible.

    Its open reports are resolved as "removed" in the same transaction.
    """
    return _set_comment_removed(moderator, comment, True, _clean_reason(reason, required=True))


def comment_restore(*, moderator, comment: Comment, reason: str = "") -> Comment:
    """Undo a removal: the text was never touched, so exactly what was there comes back."""
    return _set_comment_removed(moderator, comment, False, _clean_reason(reason, required=False))


def _set_comment_removed(moderator, comment: Comment, removed: bool, reason: str) -> Comment:
    _ensure_moderator(moderator, "threads.change_comment")
    action = (
        ModerationLog.Action.COMMENT_REMOVE if removed else ModerationLog.Action.COMMENT_RESTORE
    )
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, is_removed=not removed).update(
            is_removed=removed
        )
        if changed:
            _log(moderator, action, comment=comment, thread_id=comment.thread_id, reason=reason)
        if removed:
            _resolve_reports(comment, moderator, Report.Status.REMOVED)
    comment.is_removed = removed
    return comment


def _set_thread_lock(moderator, thread: Thread, locked: bool, reason: str) -> Thread:
    _ensure_moderator(moderator, "threads.change_thread")
    reason = _clean_reason(reason, required=False)
    action = ModerationLog.Action.THREAD_LOCK if locked else ModerationLog.Action.THREAD_UNLOCK
    with transaction.atomic():
        changed = Thread.objects.filter(pk=thread.pk, is_locked=not locked).update(is_locked=locked)
        if changed:
            _log(moderator, action, thread=thread, reason=reason)
    thread.is_locked = locked
    return thread


def thread_lock(*, moderator, thread: Thread, reason: str = "") -> Thread:
    """No more replies or votes; everything already there stays readable."""
    return _set_thread_lock(moderator, thread, True, reason)


def thread_unlock(*, moderator, thread: Thread, reason: str = "") -> Thread:
    return _set_thread_lock(moderator, thread, False, reason)


def user_ban(*, moderator, user, reason: str, until=None) -> Ban:
    """Stop ``user`` writing until ``until`` (None: for good); they can still log in and read.

    Banning again with the same reason and end changes nothing; different terms replace
    the ban in force (the old row is kept, marked lifted).
    """
    _ensure_moderator(moderator, "auth.change_user")
    if user.pk == moderator.pk:
        raise ValidationError(BAN_SELF, code="ban_self")
    if user.is_staff and not moderator.is_superuser:
        raise PermissionDenied(BAN_STAFF)
    reason = _clean_reason(reason, required=True)
    now = timezone.now()
    if until is not None and until <= now:
        raise ValidationError(BAN_END_IN_PAST, code="ban_end_in_past")
    with transaction.atomic():
        current = Ban.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
        same_terms = current is not None and (current.reason, current.until) == (reason, until)
        if same_terms and current.is_active:
            return current
        if current is not None:
            Ban.objects.filter(pk=current.pk).update(lifted_at=now)
        ban = Ban.objects.create(
            user=user, reason=reason, until=until, banned_by=moderator, created_at=now
        )
        _log(moderator, ModerationLog.Action.USER_BAN, user=user, reason=reason, detail=ban.term)
    return ban


def user_unban(*, moderator, user, reason: str = "") -> Ban | None:
    """Lift the ban in force, if any; returns the lifted ban (None when there was none)."""
    _ensure_moderator(moderator, "auth.change_user")
    reason = _clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        ban = Ban.objects.select_for_update().active(now=now).filter(user=user).first()
        if ban is None:
            return None
        Ban.objects.filter(pk=ban.pk).update(lifted_at=now)
        ban.lifted_at = now
        _log(moderator, ModerationLog.Action.USER_UNBAN, user=user, reason=reason)
    return ban


def report_create(*, reporter, comment: Comment, reason: str) -> Report:
    """A reader flags a comment for the moderators; one open report per reader per comment."""
    ensure_can_write(reporter)
    reason = _clean_reason(reason, required=True, empty_message=REPORT_REASON_REQUIRED)
    if comment.author_id is not None and comment.author_id == reporter.pk:
        raise ValidationError(REPORT_OWN_COMMENT, code="own_comment")
    if comment.is_deleted or comment.is_removed:
        raise ValidationError(REPORT_GONE_COMMENT, code="gone")
    open_reports = Report.objects.filter(
        comment=comment, reporter=reporter, status=Report.Status.OPEN
    )
    if open_reports.exists():
        raise ValidationError(ALREADY_REPORTED, code="duplicate")
    try:
        with transaction.atomic():
            return Report.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        # A double submit raced past the check; the constraint kept one report.
        raise ValidationError(ALREADY_REPORTED, code="duplicate") from None


def reports_dismiss(*, moderator, comment: Comment, reason: str = "") -> int:
    """Close a comment's open reports without acting on it; returns how many were closed."""
    _ensure_moderator(moderator, "threads.change_report")
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        count = _resolve_reports(comment, moderator, Report.Status.DISMISSED)
        if count:
            _log(
                moderator,
                ModerationLog.Action.REPORTS_DISMISS,
                comment=comment,
                thread_id=comment.thread_id,
                reason=reason,
                detail=f"{count} report{'' if count == 1 else 's'}",
            )
    return count


def _resolve_reports(comment: Comment, moderator, status: str) -> int:
    return Report.objects.filter(comment=comment, status=Report.Status.OPEN).update(
        status=status, resolved_by=moderator, resolved_at=timezone.now()
    )


def moderator_add(*, user) -> bool:
    """Make ``user`` a moderator: staff, in the Moderators group. False if already one."""
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    if group is None:
        raise ValidationError(NO_MODERATORS_GROUP.format(group=MODERATORS_GROUP), code="no_group")
    with transaction.atomic():
        changed = not user.is_staff or not user.groups.filter(pk=group.pk).exists()
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    return changed
