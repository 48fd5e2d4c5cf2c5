"""Every write to threads, comments and votes: the rules, the locks and the transactions.

Tree writes are serialized on exactly what they change. A reply locks the root row of
its top-level subtree (``select_for_update``) before django-mptt reads the parent's
``rght`` and shifts the subtree, so two replies into one subtree queue instead of
colliding, and replies into different subtrees never wait for each other. A new
top-level comment takes its own primary key as ``tree_id``, which needs no lock at all.
Counters move with ``F()`` expressions in the same transaction as the row that justifies
them, so concurrent writers never lose an update.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from threads.importers import ParsedComment, ParsedThread
from threads.markup import render_markdown
from threads.models import Comment, Thread, Vote

EMPTY_TEXT = "Write something first: the text is empty."
TEXT_TOO_LONG = "The text is {length:,} characters long; the limit is {limit:,}."
THREAD_LOCKED = "This thread is locked: it takes no new replies or votes."
PARENT_IN_OTHER_THREAD = "You can only reply to a comment in the same thread."
PARENT_GONE = "That comment was deleted or removed, so it takes no replies."
NOT_YOUR_COMMENT = "Only the author can change this comment."
ALREADY_DELETED = "This comment is already deleted."
CANNOT_VOTE_OWN = "You can't vote on what you wrote."
BAD_VOTE_VALUE = "A vote is +1 (up) or -1 (down)."
LOGIN_REQUIRED = "Log in first."


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
    """The one gate every write passes: an active account."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(LOGIN_REQUIRED)


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
        body_html=render_markdown(body) if body else "",
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
        _ensure_open(thread.pk)
        if parent is None:
            _insert_root(comment)
        else:
            _insert_reply(comment, parent)
        Thread.objects.filter(pk=thread.pk).update(comment_count=F("comment_count") + 1)
    return comment


def _insert_root(comment: Comment) -> None:
    comment.parent = None
    comment.lft, comment.rght, comment.level, comment.tree_id = 1, 2, 0, 0
    comment.save()
    Comment.objects.filter(pk=comment.pk).update(tree_id=F("id"))
    comment.tree_id = comment.pk


def _insert_reply(comment: Comment, parent: Comment) -> None:
    lock_subtree(parent.tree_id)
    parent = Comment.objects.get(pk=parent.pk)  # fresh lft/rght, read under the lock
    if parent.thread_id != comment.thread_id:
        raise ValidationError(PARENT_IN_OTHER_THREAD, code="other_thread")
    if parent.is_deleted or parent.is_removed:
        raise ValidationError(PARENT_GONE, code="parent_gone")
    comment.parent = parent
    comment.save()  # django-mptt makes room at the end of the parent's children


def lock_subtree(tree_id: int) -> None:
    """Hold the root row of one top-level subtree until the transaction ends."""
    list(Comment.objects.select_for_update().filter(tree_id=tree_id, level=0).values_list("pk"))


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    ensure_can_write(user)
    if comment.author_id != user.pk:
        raise PermissionDenied(NOT_YOUR_COMMENT)
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
    if comment.author_id != user.pk:
        raise PermissionDenied(NOT_YOUR_COMMENT)
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
    thread_id = item.thread_id if isinstance(item, Comment) else item.pk
    for attempt in range(2):
        try:
            with transaction.atomic():
                _ensure_open(thread_id)
                return _apply_vote(user, item, value)
        except IntegrityError:
            # Two clicks raced to insert the same vote row: the retry sees the winner's row.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _apply_vote(user, item: Comment | Thread, value: int) -> int:
    field = "comment" if isinstance(item, Comment) else "thread"
    existing = Vote.objects.select_for_update().filter(user=user, **{field: item}).first()
    old = existing.value if existing else 0
    new = 0 if old == value else value
    if existing is None:
        Vote.objects.create(user=user, value=new, **{field: item})
    elif new == 0:
        existing.delete()
    else:
        Vote.objects.filter(pk=existing.pk).update(value=new)
    type(item).objects.filter(pk=item.pk).update(
        score=F("score") + (new - old),
        # int(): PostgreSQL has no integer + boolean, so a bare comparison fails there.
        upvotes=F("upvotes") + (int(new == 1) - int(old == 1)),
        downvotes=F("downvotes") + (int(new == -1) - int(old == -1)),
    )
    return new


@dataclass
class ImportResult:
    thread: Thread
    created: int
    present: int
    repeats: int
    skipped: int
    thread_created: bool


def thread_import(*, parsed: ParsedThread, dry_run: bool = False) -> ImportResult:
    """Write a parsed thread in one transaction; what is already there is left as it is.

    Comments are matched by their source id, so importing the same source again adds
    nothing and a newer export adds only what is new. New comments are written in bulk,
    one INSERT batch per depth, with nested-set fields computed in memory.
    """
    with transaction.atomic():
        thread = Thread.objects.select_for_update().filter(source=parsed.source).first()
        thread_created = thread is None
        if thread_created:
            thread = _create_imported_thread(parsed)
        existing = dict(
            Comment.objects.filter(thread=thread)
            .exclude(source_id="")
            .values_list("source_id", "pk")
        )
        new = [c for c in parsed.comments if c.source_id not in existing]
        if new:
            _bulk_insert(thread, new, existing)
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
    )


def _create_imported_thread(parsed: ParsedThread) -> Thread:
    return Thread.objects.create(
        source=parsed.source,
        title=parsed.title,
        url=parsed.url,
        body=parsed.body,
        body_html=render_markdown(parsed.body) if parsed.body else "",
        author_name=parsed.author_name,
        created_at=parsed.created_at or timezone.now(),
        score=parsed.score,
        is_locked=parsed.is_locked,
    )


def _bulk_insert(thread: Thread, new: list[ParsedComment], existing: dict[str, int]) -> None:
    """Insert new comments, renumbering only the existing subtrees they graft onto.

    Keys in ``kids`` are source ids (str) for new comments and primary keys (int) for
    comments already stored; both map to child keys in insertion order.
    """
    now = timezone.now()
    nodes = {c.source_id: _new_node(thread, c, now) for c in new}
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
    _write_by_depth(thread, nodes, parents)
    if changed:
        Comment.objects.bulk_update(changed, ["lft", "rght"], batch_size=1000)


def _new_node(thread: Thread, parsed: ParsedComment, now) -> Comment:
    return Comment(
        thread_id=thread.pk,
        source_id=parsed.source_id,
        body=parsed.body,
        body_html=render_markdown(parsed.body) if parsed.body else "",
        author_name=parsed.author_name,
        created_at=parsed.created_at or now,
        edited_at=parsed.edited_at,
        score=parsed.score,
        upvotes=parsed.upvotes,
        downvotes=parsed.downvotes,
        is_deleted=parsed.is_deleted,
        is_removed=parsed.is_removed,
    )


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


def _apply_numbers(numbers: dict, nodes: dict[str, Comment], *, tree_id: int) -> None:
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
                changed.append(Comment(pk=pk, lft=new_lft, rght=new_rght))
    return changed


def _write_by_depth(thread: Thread, nodes: dict[str, Comment], parents: dict) -> None:
    """One bulk INSERT per depth: a reply needs its parent's primary key."""
    by_level: dict[int, list[str]] = {}
    for key, node in nodes.items():
        by_level.setdefault(node.level, []).append(key)
    for level in sorted(by_level):
        batch = [nodes[key] for key in by_level[level]]
        for key, node in zip(by_level[level], batch, strict=True):
            parent = parents[key]
            if isinstance(parent, str):
                node.parent_id = nodes[parent].pk
                node.tree_id = nodes[parent].tree_id
            elif parent is not None:
                node.parent_id = parent
        Comment.objects.bulk_create(batch, batch_size=1000)
        if level == 0:
            Comment.objects.filter(thread=thread, level=0, tree_id=0).update(tree_id=F("id"))
            for node in batch:
                node.tree_id = node.pk
