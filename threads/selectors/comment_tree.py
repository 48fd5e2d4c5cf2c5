"""A thread's comment tree as a page shows it, in a constant number of queries.

Pages have a budget (``limits.PAGE_BUDGET`` comments), so a thread of any size answers
as fast as one of a few hundred comments. Two queries: the first reads the candidate
subtrees' roots with their sizes (``descendant_count + 1``, from the covering index
``comment_roots_idx`` for top-level comments); the best-sorted ones are chosen until
the budget is spent, and the second reads only the chosen subtrees' rows, in tree order
(``tree_id, lft`` is depth-first), as plain rows rather than model instances, with the
viewer's own vote joined into each row. Siblings are sorted in Python on those rows.
What did not fit becomes "load more comments (N)" links, each naming a parent, the
``lft`` after which its unshown replies start, and an offset into its sorted replies;
:func:`comment_batch` serves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from functools import reduce
from operator import itemgetter, or_
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, FilteredRelation, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from threads import limits
from threads.models import DELETED_AUTHOR, Comment, Thread
from threads.presentation import IMPORTED_LABEL, source_label
from threads.selectors.community import viewer_marks
from threads.sorting import DEFAULT_COMMENT_SORT, comment_sort
from threads.tree import ancestors_of, depth_first

ROW_FIELDS = (
    "id", "parent_id", "tree_id", "level", "lft", "rght", "body_html", "author_id",
    "author__username", "author_name", "created_at", "edited_at", "is_deleted", "is_removed",
    "score", "upvotes", "downvotes", "edited_time_unknown", "distinguished", "is_stickied",
    "is_score_hidden",
)  # fmt: skip


class CommentRow:
    """One comment as the page shows it: plain values, no lazy queries."""

    more = False  # a real comment, not a "load more" link

    __slots__ = (*(f.replace("author__username", "username") for f in ROW_FIELDS), "depth",
                 "closes", "vote", "author", "continues", "blocked", "saved")  # fmt: skip

    def __init__(self, values, site: str = ""):
        (self.id, self.parent_id, self.tree_id, self.level, self.lft, self.rght, self.body_html,
         self.author_id, self.username, self.author_name, self.created_at, self.edited_at,
         self.is_deleted, self.is_removed, self.score, self.upvotes, self.downvotes,
         self.edited_time_unknown, self.distinguished, self.is_stickied,
         self.is_score_hidden) = values  # fmt: skip
        if self.created_at.tzinfo is None:  # SQLite's driver returns UTC times without a zone
            self.created_at = self.created_at.replace(tzinfo=UTC)
            if self.edited_at is not None:
                self.edited_at = self.edited_at.replace(tzinfo=UTC)
        # The shown name: ``presentation.author_label``'s rule, inlined for speed (a page
        # makes hundreds of rows); ``site`` is the thread's source, as readers know it.
        if self.username:
            self.author = self.username
        elif self.author_name:
            self.author = f"{self.author_name} ({site or IMPORTED_LABEL})"
        else:
            self.author = DELETED_AUTHOR
        self.vote = 0
        self.depth = 0
        self.closes = 0
        self.continues = False  # shown as "continue this thread", not as a comment
        self.blocked = False  # by an author the viewer blocks: shown folded
        self.saved = False  # the viewer saved it

    @property
    def reply_count(self) -> int:
        return (self.rght - self.lft - 1) // 2

    @property
    def is_gone(self) -> bool:
        return self.is_deleted or self.is_removed


class MoreLink:
    """A "load more comments (N)" row: laid out like a leaf reply of ``parent_id``."""

    __slots__ = ("id", "parent_id", "count", "url", "depth", "closes")
    more = True
    continues = True  # opens no comment element, like a "continue this thread" row

    def __init__(self, *, parent_id, count: int, url: str):
        self.id = f"more-{parent_id}"
        self.parent_id = parent_id
        self.count = count
        self.url = url
        self.depth = 0
        self.closes = 0


class Candidate(NamedTuple):
    """The root of a subtree that a page might show, with what sorting needs."""

    id: int
    tree_id: int
    lft: int
    rght: int
    upvotes: int
    downvotes: int
    score: int
    level: int

    @property
    def size(self) -> int:
        return (self.rght - self.lft + 1) // 2


CANDIDATE_FIELDS = ("id", "tree_id", "lft", "rght", "upvotes", "downvotes", "score")
# Top-level comments are read from the covering index alone, which holds neither their
# id nor lft/rght (see models.Comment): a root's id is its tree_id, its lft is 1, and its
# rght follows from its descendant count.
ROOT_NUMBERS = {
    "root_id": F("tree_id"),
    "root_lft": Value(1),
    "root_rght": F("descendant_count") * 2 + 2,
}
ROOT_CANDIDATE_FIELDS = (
    "root_id", "tree_id", "root_lft", "root_rght", "upvotes", "downvotes", "score",
)  # fmt: skip


@dataclass
class CommentTree:
    rows: list[CommentRow]
    sort: str
    trailing_closes: int = 0
    total: int = 0


def comment_rows(queryset, viewer=None, *, source: str = "") -> list[CommentRow]:
    """Rows in tree order; for a logged-in viewer, with their vote joined in, so the votes
    cost no query of their own. ``source`` is the thread's import key, named beside
    imported authors."""
    queryset = queryset.order_by("tree_id", "lft")
    site = source_label(source)
    if viewer is None or not viewer.is_authenticated:
        return [CommentRow(values, site) for values in _fetch(queryset.values_list(*ROW_FIELDS))]
    queryset = queryset.annotate(
        viewer_vote=FilteredRelation("votes", condition=Q(votes__user=viewer)),
        **viewer_marks(viewer),
    )
    rows = []
    for values in _fetch(
        queryset.values_list(*ROW_FIELDS, "viewer_vote__value", "viewer_blocks", "viewer_saved")
    ):
        row = CommentRow(values[:-3], site)
        row.vote = values[-3] or 0
        row.blocked, row.saved = bool(values[-2]), bool(values[-1])
        rows.append(row)
    return rows


def _fetch(queryset) -> list[tuple]:
    """The query's rows as the database driver returns them.

    Django's per-value converters take a third of the read time of a page's rows on
    SQLite, and for the columns read here all they do is mark times as UTC (which
    ``CommentRow`` does itself) and pass numbers through.
    """
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sort_rows(
    rows: list[CommentRow], sort: str, *, root_parent_id=None, tails=None
) -> list[CommentRow]:
    """Depth-first order with each set of siblings sorted; the tree's shape is kept.

    ``tails`` maps a parent id to the "load more" links that go after its replies.
    """
    order = comment_sort(sort)
    key, descending = order.row_key(), order.descending
    ids = {row.id for row in rows}
    kids: dict[int | None, list[CommentRow]] = {}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else root_parent_id
        kids.setdefault(parent, []).append(row)
    for siblings in kids.values():
        siblings.sort(key=key, reverse=descending)
    for parent, links in (tails or {}).items():
        kids.setdefault(parent, []).extend(links)
    ordered: list[CommentRow] = []
    for row, depth in depth_first(kids.get(root_parent_id, []), lambda r: kids.get(r.id)):
        row.depth = depth
        ordered.append(row)
    return ordered


def layout(rows: list[CommentRow], *, max_depth: int | None = None) -> CommentTree:
    """Mark how many open comments end before each row; cut the tree at ``max_depth``.

    The template is a flat loop, so it must know before each comment how many enclosing
    comments end there. Replies at ``max_depth`` become one "continue this thread" row per
    parent, linking to the parent's own page.
    """
    max_depth = limits.MAX_DISPLAY_DEPTH if max_depth is None else max_depth
    shown: list[CommentRow] = []
    previous = None
    for row in rows:
        if row.depth > max_depth:
            continue
        if row.depth == max_depth:
            if previous is not None and previous.continues and previous.parent_id == row.parent_id:
                continue
            if not row.more:  # a "load more" link stays one; a comment becomes a link
                row.continues = True
        row.closes = 0 if previous is None else _open_after(previous) - row.depth
        shown.append(row)
        previous = row
    trailing = 0 if previous is None else _open_after(previous)
    return CommentTree(rows=shown, sort="", trailing_closes=trailing, total=len(rows))


def _open_after(row: CommentRow) -> int:
    """Comments still open after ``row``: its ancestors, and itself unless it is a link."""
    return row.depth + (0 if row.continues else 1)


def comment_batch(
    thread: Thread,
    *,
    parent: Comment | None = None,
    after: int = 0,
    offset: int = 0,
    depth: int = 0,
    viewer=None,
    sort: str = DEFAULT_COMMENT_SORT,
    budget: int | None = None,
) -> CommentTree:
    """Replies of ``parent`` (top-level comments when None) past ``after``, from ``offset``.

    ``depth`` is where the batch sits on the page it continues, so "continue this
    thread" links still appear at the same depth.
    """
    if parent is None:
        candidates = Comment.objects.filter(thread=thread, level=0).annotate(**ROOT_NUMBERS)
    else:
        candidates = Comment.objects.filter(
            thread=thread,
            tree_id=parent.tree_id,
            level=parent.level + 1,
            lft__gt=max(after, parent.lft),
            lft__lt=parent.rght,
        )
    budget = budget or limits.PAGE_BUDGET
    level = 0 if parent is None else parent.level + 1
    sorted_candidates = _sorted_candidates(candidates, sort, roots=parent is None)
    more = _MoreLinks(thread, sort, depth)
    tree = _forest(
        thread.pk, sorted_candidates, level, sort=sort, budget=budget, depth=depth, more=more,
        parent_id=parent.pk if parent else None, after=after, offset=offset, viewer=viewer,
    )  # fmt: skip
    tree.total = _total_size(sorted_candidates)
    return tree


def _sorted_candidates(queryset, sort: str, *, roots: bool) -> list[tuple]:
    """Candidate roots (``CANDIDATE_FIELDS`` tuples) in page order; the database sorts by
    date, Python by votes. Plain tuples: a big thread has tens of thousands of them.
    Ties keep tree order, as ``sort_rows`` does (top-level comments are each alone in
    their tree)."""
    fields = ROOT_CANDIDATE_FIELDS if roots else CANDIDATE_FIELDS
    tree_order = ("tree_id",) if roots else ("tree_id", "lft")
    order = comment_sort(sort)
    sql_order = order.sql_order()
    if sql_order is not None:
        return _fetch(queryset.order_by(*sql_order, *tree_order).values_list(*fields))
    rows = _fetch(queryset.order_by(*tree_order).values_list(*fields))
    by_votes = order.by_votes
    rows.sort(key=lambda c: by_votes(c[4], c[5], c[6]), reverse=order.descending)
    return rows


def _total_size(rows: list[tuple]) -> int:
    """Comments in the candidates' subtrees: the sum of ``(rght - lft + 1) / 2``, summed
    column by column because a big thread has tens of thousands of candidates."""
    return (sum(map(itemgetter(3), rows)) - sum(map(itemgetter(2), rows)) + len(rows)) // 2


class _MoreLinks:
    """Builds "load more" links: one ``reverse()`` per page, not per link."""

    def __init__(self, thread: Thread, sort: str, depth: int):
        self.thread, self.sort, self.depth = thread, sort, depth

    def link(self, *, parent_id, count: int, after: int = 0, offset: int = 0, depth: int = 0):
        query = {"sort": self.sort}
        if parent_id is None:
            url = reverse("threads:thread-more", kwargs={"pk": self.thread.pk})
        else:
            url = reverse("threads:comment-more", kwargs={"pk": parent_id})
            query.update(after=after, depth=self.depth + depth)
        if offset:
            query["offset"] = offset
        return MoreLink(parent_id=parent_id, count=count, url=f"{url}?{urlencode(query)}")


def _forest(
    thread_id: int, candidates: list[tuple], level: int, *, sort, budget, depth, more,
    parent_id, after, offset, viewer,
) -> CommentTree:  # fmt: skip
    """Lay out the candidates' subtrees from ``offset`` that fit the budget, and links for
    the rest."""
    picked: list[Candidate] = []
    total = 0
    for row in candidates[offset : offset + limits.MAX_BATCH_SIBLINGS]:
        if total >= budget:
            break
        picked.append(Candidate(*row, level))
        total += picked[-1].size
    if not picked:
        return CommentTree(rows=[], sort=sort)
    rows = _subtree_rows(thread_id, picked, budget, viewer, more.thread.source)
    tails = _cut_links(rows, picked[-1], more)
    rest = candidates[offset + len(picked) :]
    if rest:
        tails.setdefault(parent_id, []).append(
            more.link(
                parent_id=parent_id, count=_total_size(rest), after=after,
                offset=offset + len(picked),
            )
        )  # fmt: skip
    ordered = sort_rows(rows, sort, root_parent_id=parent_id, tails=tails)
    tree = layout(ordered, max_depth=max(1, limits.MAX_DISPLAY_DEPTH - depth))
    tree.sort = sort
    return tree


def _subtree_rows(thread_id: int, picked: list[Candidate], budget: int, viewer, source: str):
    """All rows of the picked subtrees but the last, and the last one's first rows in tree
    order up to the budget: one query, whatever the subtrees' sizes.

    The last subtree ends at the ``lft`` of its ``room``-th row, found by a scalar subquery
    that the database runs once; every condition is an index range on (tree_id, lft).
    """
    *whole, last = picked
    room = max(1, budget - sum(c.size for c in whole))
    head = Comment.objects.filter(tree_id=last.tree_id, lft__gte=last.lft, lft__lte=last.rght)
    end = Coalesce(Subquery(head.order_by("lft").values("lft")[room - 1 : room]), last.rght)
    if last.level == 0:  # top-level comments: whole trees
        rows = Comment.objects.filter(tree_id__in=[c.tree_id for c in picked]).filter(
            ~Q(tree_id=last.tree_id) | Q(lft__lte=end)
        )
    else:  # replies of one parent: ranges of one tree
        ranges = [Q(tree_id=c.tree_id, lft__gte=c.lft, lft__lte=c.rght) for c in whole]
        ranges.append(Q(tree_id=last.tree_id, lft__gte=last.lft, lft__lte=end))
        rows = Comment.objects.filter(reduce(or_, ranges))
    return comment_rows(rows, viewer, source=source)


def _cut_links(rows: list[CommentRow], last: Candidate, more) -> dict:
    """Links for what the budget cut from the last subtree, along the path to its last row.

    Rows come in tree order, so the cut falls after the last row of the last subtree;
    each comment on the path from that subtree's root to that row still has the replies
    that start after the path's next step, ``(rght - boundary - 1) / 2`` of them.
    """
    mine = [
        row
        for row in rows
        if row.tree_id == last.tree_id and row.lft >= last.lft and row.rght <= last.rght
    ]
    if len(mine) >= last.size:
        return {}
    end = mine[-1]
    path = [row for row in mine if row.lft <= end.lft and row.rght >= end.rght]
    tails: dict = {}
    for step, row in enumerate(path):
        boundary = path[step + 1].rght if step + 1 < len(path) else row.lft
        count = (row.rght - boundary - 1) // 2
        if count:
            link = more.link(
                parent_id=row.id, count=count, after=boundary, depth=row.level - last.level + 1
            )
            tails[row.id] = [link]
    return tails


def single_comment_tree(comment: Comment) -> CommentTree:
    rows = comment_rows(Comment.objects.filter(pk=comment.pk), source=comment.thread.source)
    return layout(sort_rows(rows, DEFAULT_COMMENT_SORT, root_parent_id=comment.parent_id))


@dataclass
class CommentPage:
    ancestors: list[Comment]
    tree: CommentTree


def comment_page(comment: Comment, *, viewer=None, sort: str = DEFAULT_COMMENT_SORT):
    """A comment with its replies up to the budget, and its chain of parents for context."""
    root = Candidate(
        comment.pk, comment.tree_id, comment.lft, comment.rght, comment.upvotes,
        comment.downvotes, comment.score, comment.level,
    )  # fmt: skip
    tree = _forest(
        comment.thread_id, [root[:7]], comment.level, sort=sort, budget=limits.PAGE_BUDGET, depth=0,
        more=_MoreLinks(comment.thread, sort, 0), parent_id=comment.parent_id, after=0, offset=0,
        viewer=viewer,
    )  # fmt: skip
    tree.total = root.size
    ancestors = list(ancestors_of(comment).select_related("author", "thread"))
    return CommentPage(ancestors=ancestors, tree=tree)
