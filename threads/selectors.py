"""Read side: everything a page needs, assembled in a constant number of queries.

A thread's comments come in one query in tree order (``tree_id, lft`` is depth-first),
as plain rows rather than model instances; sorting siblings happens in Python on those
rows, and the viewer's votes come in one more query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Sum, Value
from django.utils import timezone

from threads.models import DELETED_AUTHOR, Comment, ModerationLog, Thread, Vote
from threads.sorting import COMMENT_SORT_KEYS, DEFAULT_COMMENT_SORT, hot_rank

MAX_DISPLAY_DEPTH = 8

ROW_FIELDS = (
    "id", "parent_id", "level", "lft", "rght", "body_html", "author_id", "author__username",
    "author_name", "created_at", "edited_at", "is_deleted", "is_removed", "score",
    "upvotes", "downvotes",
)  # fmt: skip


class CommentRow:
    """One comment as the page shows it: plain values, no lazy queries."""

    __slots__ = (*(f.replace("author__username", "username") for f in ROW_FIELDS), "depth",
                 "closes", "vote", "author", "hidden")  # fmt: skip

    def __init__(self, values):
        (self.id, self.parent_id, self.level, self.lft, self.rght, self.body_html,
         self.author_id, self.username, self.author_name, self.created_at, self.edited_at,
         self.is_deleted, self.is_removed, self.score, self.upvotes,
         self.downvotes) = values  # fmt: skip
        self.author = self.username or self.author_name or DELETED_AUTHOR
        self.vote = 0
        self.depth = 0
        self.closes = 0
        self.hidden = False

    @property
    def reply_count(self) -> int:
        return (self.rght - self.lft - 1) // 2

    @property
    def is_gone(self) -> bool:
        return self.is_deleted or self.is_removed


@dataclass
class CommentTree:
    rows: list[CommentRow]
    sort: str
    trailing_closes: int = 0
    total: int = 0
    continued: list[CommentRow] = field(default_factory=list)


def comment_rows(queryset) -> list[CommentRow]:
    values = queryset.order_by("tree_id", "lft").values_list(*ROW_FIELDS)
    return [CommentRow(row) for row in values]


def sort_rows(rows: list[CommentRow], sort: str, *, root_parent_id=None) -> list[CommentRow]:
    """Depth-first order with each set of siblings sorted; the tree's shape is kept."""
    key, descending = COMMENT_SORT_KEYS.get(sort, COMMENT_SORT_KEYS[DEFAULT_COMMENT_SORT])
    ids = {row.id for row in rows}
    kids: dict[int | None, list[CommentRow]] = {}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else root_parent_id
        kids.setdefault(parent, []).append(row)
    for siblings in kids.values():
        siblings.sort(key=key, reverse=descending)
    ordered: list[CommentRow] = []
    stack = [(row, 0) for row in reversed(kids.get(root_parent_id, []))]
    while stack:
        row, depth = stack.pop()
        row.depth = depth
        ordered.append(row)
        stack.extend((child, depth + 1) for child in reversed(kids.get(row.id, [])))
    return ordered


def layout(rows: list[CommentRow], *, max_depth: int = MAX_DISPLAY_DEPTH) -> CommentTree:
    """Mark how many open comments end before each row; cut the tree at ``max_depth``.

    The template is a flat loop, so it must know before each comment how many enclosing
    comments end there. Replies at ``max_depth`` become one "continue this thread" row per
    parent, linking to the parent's own page.
    """
    shown: list[CommentRow] = []
    previous = None
    for row in rows:
        if row.depth > max_depth:
            continue
        if row.depth == max_depth:
            if previous is not None and previous.hidden and previous.parent_id == row.parent_id:
                continue
            row.hidden = True
        row.closes = 0 if previous is None else _open_after(previous) - row.depth
        shown.append(row)
        previous = row
    trailing = 0 if previous is None else _open_after(previous)
    return CommentTree(rows=shown, sort="", trailing_closes=trailing, total=len(rows))


def _open_after(row: CommentRow) -> int:
    """Comments still open after ``row``: its ancestors, and itself unless it is a link."""
    return row.depth + (0 if row.hidden else 1)


def attach_votes(rows: list[CommentRow], viewer, votes_qs) -> None:
    """The viewer's own votes, one query for the whole page, whatever its size."""
    if viewer is None or not viewer.is_authenticated or not rows:
        return
    votes = dict(votes_qs.filter(user=viewer).values_list("comment_id", "value"))
    for row in rows:
        row.vote = votes.get(row.id, 0)


def thread_comment_tree(thread: Thread, *, viewer=None, sort: str = DEFAULT_COMMENT_SORT):
    rows = sort_rows(comment_rows(Comment.objects.filter(thread=thread)), sort)
    tree = layout(rows)
    tree.sort = sort
    attach_votes(tree.rows, viewer, Vote.objects.filter(comment__thread=thread))
    return tree


def thread_vote(thread: Thread, viewer) -> int:
    if viewer is None or not viewer.is_authenticated:
        return 0
    return (
        Vote.objects.filter(user=viewer, thread=thread).values_list("value", flat=True).first() or 0
    )


def user_karma(user) -> int:
    threads = Thread.objects.filter(author=user).aggregate(total=Sum("score"))["total"] or 0
    comments = Comment.objects.filter(author=user).aggregate(total=Sum("score"))["total"] or 0
    return threads + comments


def single_comment_tree(comment: Comment) -> CommentTree:
    rows = comment_rows(Comment.objects.filter(pk=comment.pk))
    return layout(sort_rows(rows, DEFAULT_COMMENT_SORT, root_parent_id=comment.parent_id))


@dataclass
class CommentPage:
    ancestors: list[Comment]
    tree: CommentTree


def comment_page(comment: Comment, *, viewer=None, sort: str = DEFAULT_COMMENT_SORT):
    """A comment with all its replies, and its chain of parents for context."""
    subtree = Comment.objects.filter(
        tree_id=comment.tree_id, lft__gte=comment.lft, lft__lt=comment.rght
    )
    rows = sort_rows(comment_rows(subtree), sort, root_parent_id=comment.parent_id)
    tree = layout(rows)
    tree.sort = sort
    attach_votes(tree.rows, viewer, Vote.objects.filter(comment__in=subtree.values("pk")))
    ancestors = list(comment.get_ancestors().select_related("author"))
    return CommentPage(ancestors=ancestors, tree=tree)


def thread_ids_by(sort: str, *, now=None):
    """Thread ids in front-page order, ready for a paginator.

    "hot" ranks in Python over (id, score, created_at): Lemmy's formula needs logarithms
    and powers that SQLite and PostgreSQL spell differently, and three small columns
    per thread stay cheap for any forum this size.
    """
    threads = Thread.objects.all()
    if sort == "new":
        return threads.order_by("-created_at", "-id").values_list("id", flat=True)
    if sort == "top":
        return threads.order_by("-score", "-created_at", "-id").values_list("id", flat=True)
    now = now or timezone.now()
    rows = threads.values_list("id", "score", "created_at")
    ranked = sorted(rows, key=lambda r: (hot_rank(r[1], r[2], now), r[2]), reverse=True)
    return [row[0] for row in ranked]


def threads_in_order(ids) -> list[Thread]:
    ids = list(ids)
    by_id = Thread.objects.with_author().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def user_activity(user):
    """What a person wrote, newest first, as (created_at, kind, id) ready to paginate."""
    threads = (
        Thread.objects.filter(author=user)
        .order_by()
        .annotate(kind=Value("thread", output_field=CharField()))
        .values_list("created_at", "kind", "id")
        .order_by()  # SQLite refuses ORDER BY (the Meta ordering) inside a UNION part
    )
    comments = (
        Comment.objects.filter(author=user)
        .order_by()
        .annotate(kind=Value("comment", output_field=CharField()))
        .values_list("created_at", "kind", "id")
        .order_by()
    )
    return ActivityList(threads.union(comments, all=True).order_by("-created_at"))


class ActivityList:
    """Pages of a user's activity, each page's objects fetched in two queries."""

    def __init__(self, keys):
        self.keys = keys

    def count(self):
        return self.keys.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        keys = list(self.keys[index])
        threads = Thread.objects.in_bulk([pk for _, kind, pk in keys if kind == "thread"])
        comments = Comment.objects.select_related("thread").in_bulk(
            [pk for _, kind, pk in keys if kind == "comment"]
        )
        items = []
        for _, kind, pk in keys:
            obj = threads.get(pk) if kind == "thread" else comments.get(pk)
            if obj is not None:
                items.append((kind, obj))
        return items


def moderation_log_entries():
    """The log newest first, with everything a row links to fetched in the same query."""
    return ModerationLog.objects.select_related(
        "moderator", "thread", "comment__thread", "user"
    ).order_by("-created_at", "-id")
