"""The import writer: a parsed thread into the database, in one transaction.

New comments are written in bulk, one INSERT batch per depth, with their nested-set
numbers computed in memory by ``threads.tree``; comments already stored (matched by
their source id) are refreshed, so importing a source again adds nothing and a newer
export adds only what is new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threads import limits, page_cache, tree
from threads.importers import ParsedComment, ParsedThread
from threads.markup import render_markdown
from threads.models import Comment, Thread, Vote
from threads.search import schema as search_index
from threads.services import ranking


@dataclass
class ImportResult:
    thread: Thread
    created: int
    present: int
    repeats: int
    skipped: int
    thread_created: bool
    updated: int = 0


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
        else:
            ranking.thread_rank_refresh(thread_id=thread.pk)  # the source's score counts
            page_cache.thread_changed(thread.pk)
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
    "edited_at", "edited_time_unknown", "distinguished", "is_stickied", "is_score_hidden",
)  # fmt: skip


def _refresh_thread(thread: Thread, parsed: ParsedThread) -> None:
    """The source's newer counts plus this forum's own votes; a lock at the source sticks.

    Marks that describe the source as it is now (pinned, its voice, how many comments the
    file left out) take the newest export's values.
    """
    tally = Vote.objects.filter(thread=thread).tallies("thread_id")
    state = _source_state(parsed, local_votes=tally.get(thread.pk), locked=thread.is_locked)
    Thread.objects.filter(pk=thread.pk).update(**state)
    for field, value in state.items():
        setattr(thread, field, value)


def _source_state(parsed: ParsedThread, *, local_votes=None, locked: bool = False) -> dict:
    """What a thread takes from its source on every import: the source's counts plus this
    forum's own votes, a lock that only ever turns on, and the source's current marks."""
    total, ups, downs = local_votes or (0, 0, 0)
    return {
        "score": parsed.score + total,
        "upvotes": parsed.upvotes + ups,
        "downvotes": parsed.downvotes + downs,
        "is_locked": locked or parsed.is_locked,
        "distinguished": parsed.distinguished,
        "is_stickied": parsed.is_stickied,
        "missing_count": parsed.missing_count,
    }


def _refresh_present(thread: Thread, parsed: ParsedThread, stored: list) -> int:
    """Bring stored comments up to date with a newer export; returns how many changed.

    Scores become the source's count plus this forum's own votes. Deleted and removed
    flags only ever turn on (local moderation is never undone by an import); a comment
    deleted at the source loses its text as ``comment_delete`` would. A changed text is
    taken as an edit unless the comment is deleted or removed here, at the source's edit
    time (when it gives none: "edited", time unknown if it says so, else now); a comment
    not yet marked edited takes the source's mark. Pinned, voice and hidden score follow
    the source.
    """
    by_id = {c.source_id: c for c in parsed.comments}
    tallies = Vote.objects.filter(comment__thread=thread).tallies("comment_id")
    changed: list[Comment] = []
    for source_id, pk, *old in stored:
        source = by_id.get(source_id)
        if source is None:
            continue
        score, upvotes, downvotes, deleted, removed, body, edited, time_unknown, *_marks = old
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
            edited_time_unknown=time_unknown,
            distinguished=source.distinguished,
            is_stickied=source.is_stickied,
            is_score_hidden=source.is_score_hidden,
        )
        if source.is_deleted and not deleted:
            row.body = ""
        elif source.body and source.body != body and not (row.is_deleted or row.is_removed):
            row.body = source.body
            row.edited_at = source.edited_at
            row.edited_time_unknown = source.edited_time_unknown
            if not (source.edited_at or source.edited_time_unknown):
                row.edited_at = timezone.now()
        elif not (edited or time_unknown):
            row.edited_at, row.edited_time_unknown = source.edited_at, source.edited_time_unknown
        if tuple(old) != tuple(getattr(row, name) for name in _REFRESHED_FIELDS[:-1]):
            row.body_html = render_markdown(row.body)
            changed.append(row)
    Comment.objects.bulk_update(changed, _REFRESHED_FIELDS, batch_size=limits.IMPORT_BATCH_SIZE)
    return len(changed)


# In the order of ``_PRESENT_FIELDS`` after source_id and pk; body_html last, as it is
# made from body rather than read.
_REFRESHED_FIELDS = [
    "score", "upvotes", "downvotes", "is_deleted", "is_removed", "body", "edited_at",
    "edited_time_unknown", "distinguished", "is_stickied", "is_score_hidden", "body_html",
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
        **_source_state(parsed),
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
            _apply_numbers(tree.number_tree(key, kids.get), nodes, tree_id=0)
    changed = _number_grafted_trees([k for k in kids if isinstance(k, int)], kids, nodes)
    with search_index.bulk(thread.pk):  # indexed in one statement, not row by row
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
        tree.lock_subtree(tree_id)
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

        numbers = tree.number_tree(rows[0][0], kids_of)
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
    "edited_at", "edited_time_unknown", "is_deleted", "is_removed", "score", "upvotes",
    "downvotes", "distinguished", "is_stickied", "is_score_hidden", "lft", "rght", "tree_id",
    "level", "descendant_count",
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
                    adapt_time(node.created_at), adapt_time(c.edited_at),
                    c.edited_time_unknown, c.is_deleted, c.is_removed, c.score, c.upvotes,
                    c.downvotes, c.distinguished, c.is_stickied, c.is_score_hidden, node.lft,
                    node.rght, node.tree_id, node.level, (node.rght - node.lft - 1) // 2,
                )
            )  # fmt: skip
        with connection.cursor() as cursor:
            for start in range(0, len(rows), limits.IMPORT_BATCH_SIZE):
                cursor.executemany(sql, rows[start : start + limits.IMPORT_BATCH_SIZE])
                done += len(rows[start : start + limits.IMPORT_BATCH_SIZE])
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
