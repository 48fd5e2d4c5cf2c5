"""The comment tree's nested-set engine: every read or write of ``lft``/``rght`` lives here.

Each top-level comment is the root of its own tree, whose ``tree_id`` is the root's own
primary key; ``descendant_count`` is kept beside the numbers for the page budget.

What the forum uses of django-mptt: the model fields (``parent`` as a
``TreeForeignKey``, ``lft``, ``rght``, ``level``, ``tree_id``) and the read-only
``TreeQuerySet``. What it never uses, because none of it knows about
``descendant_count``, ``Thread.comment_count``, our ``tree_id`` rule or the locks below:
``MPTTModel.delete()`` and queryset deletes (they close the gap but leave the counters
wrong), ``TreeManager.rebuild()``/``partial_rebuild()`` (renumber every tree from 1),
``move_to``/``insert_node`` and the numbering ``save()`` does for a new row without
numbers or a row whose parent changed. ``threads.models.Comment`` refuses all of these
(:class:`TreeGuardError`); rows come and go only through the functions here, called by
``threads.services``.

Writers serialize on the root row of the top-level subtree they change
(:func:`lock_subtree_of`); rows are locked in primary-key order and a root is older than
its replies, so two writers cannot wait on each other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

PARENT_GONE = "That comment was deleted or removed, so it takes no replies."


class TreeGuardError(RuntimeError):
    """A write that would bypass the tree engine and leave numbers or counters wrong."""


BYPASS = (
    "{what} would leave the comment tree's numbers, descendant counts or the thread's "
    "comment count wrong: delete comments with services.comment_purge, never directly."
)
_purging: ContextVar[bool] = ContextVar("purging", default=False)


@contextmanager
def purging():
    """Allow deleting comment rows inside this block: only the purge service opens it,
    and closes the gap and fixes the counters right after."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def ensure_purging(what: str) -> None:
    """Refuse a delete of comment rows that does not come from the purge service."""
    if not _purging.get():
        raise TreeGuardError(BYPASS.format(what=what))


class FreshNode(NamedTuple):
    """A comment's tree numbers and state, read afresh under the subtree lock."""

    id: int
    thread_id: int
    tree_id: int
    level: int
    lft: int
    rght: int
    is_deleted: bool
    is_removed: bool

    @property
    def size(self) -> int:
        """The comment and its replies at any depth."""
        return (self.rght - self.lft + 1) // 2


def _table() -> str:
    from threads.models import Comment

    return transaction.get_connection().ops.quote_name(Comment._meta.db_table)


def lock_subtree_of(comment_id: int, tree_id: int) -> FreshNode:
    """Lock the root row of a comment's top-level subtree and read the comment afresh
    under that lock, in one statement.

    Written as SQL: through the ORM this one statement cost more than half a
    millisecond of Python in every reply. Raises ``ValidationError`` when the comment no
    longer exists.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} IN (%s, %s) ORDER BY {}".format(
        ", ".join(map(quote, FreshNode._fields)), _table(), quote("id"), quote("id")
    )
    if connection.features.has_select_for_update:  # SQLite locks the whole database
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [tree_id, comment_id])
        rows = [FreshNode(*row) for row in cursor.fetchall()]
    fresh = next((row for row in rows if row.id == comment_id), None)
    if fresh is None:
        raise ValidationError(PARENT_GONE, code="parent_gone")
    return fresh


def lock_subtree(tree_id: int) -> None:
    """Hold the root row of one top-level subtree until the transaction ends (a root's
    ``tree_id`` is its own primary key, so this is a primary-key lookup)."""
    from threads.models import Comment

    list(Comment.objects.select_for_update().filter(pk=tree_id).values_list("pk"))


_MAKE_ROOM_SQL = """
UPDATE {table} SET
    lft = CASE WHEN lft > %s THEN lft + 2 ELSE lft END,
    rght = rght + 2,
    descendant_count = CASE WHEN lft <= %s THEN descendant_count + 1 ELSE descendant_count END
WHERE tree_id = %s AND rght >= %s
"""


def make_room(parent: FreshNode) -> tuple[int, int, int, int]:
    """Open the two numbers a new last reply of ``parent`` takes, in one UPDATE; returns
    the reply's ``(lft, rght, level, tree_id)``.

    Everything from the parent's ``rght`` on moves two places right, and the parent and
    its ancestors count one more descendant: exactly the rows of the subtree with
    ``rght >= parent.rght`` (replies of the parent end before it). Written as SQL: the
    ORM spent longer building this statement than SQLite running it.
    """
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            _MAKE_ROOM_SQL.format(table=_table()),
            [parent.rght, parent.lft, parent.tree_id, parent.rght],
        )
    return parent.rght, parent.rght + 1, parent.level + 1, parent.tree_id


_CLOSE_GAP_SQL = """
UPDATE {table} SET
    lft = CASE WHEN lft > %s THEN lft - %s ELSE lft END,
    rght = rght - %s,
    descendant_count = CASE WHEN lft < %s THEN descendant_count - %s ELSE descendant_count END
WHERE tree_id = %s AND rght > %s
"""


def close_gap(node: FreshNode) -> None:
    """After ``node``'s subtree is gone: shift what followed it left and uncount it from
    its ancestors, the mirror of :func:`make_room`.

    The rows with ``rght > node.rght`` are its ancestors (``lft < node.lft``) and what
    follows it in the tree.
    """
    width = node.rght - node.lft + 1
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            _CLOSE_GAP_SQL.format(table=_table()),
            [node.rght, width, width, node.lft, node.size, node.tree_id, node.rght],
        )


def depth_first(roots: Iterable, kids_of: Callable[[Hashable], Iterable | None]) -> Iterator:
    """Yield ``(node, depth)`` depth first, siblings in the order ``kids_of`` gives them.

    Iterative, so a chain thousands deep cannot hit Python's recursion limit.
    """
    stack = [(root, 0) for root in reversed(list(roots))]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(list(kids_of(node) or ())))


def number_tree(root, kids_of) -> dict:
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


def ancestors_of(comment):
    """The comment's parents, top-level first, as a queryset."""
    from threads.models import Comment

    return Comment.objects.filter(
        tree_id=comment.tree_id, lft__lt=comment.lft, rght__gt=comment.rght
    ).order_by("lft")
