from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_comment, make_thread, make_user
from threads import selectors, services
from threads.models import Comment
from threads.sorting import controversy, hot_rank, wilson_lower_bound

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ups", "downs", "expected"),
    [(10, 2, 0.657813), (1, 0, 0.378448), (0, 1, 0.0), (100, 100, 0.454875), (0, 0, 0.0)],
)
def test_wilson_lower_bound(ups, downs, expected):
    assert wilson_lower_bound(ups, downs) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("ups", "downs", "expected"),
    [(7, 3, 10 ** (3 / 7)), (3, 7, 10 ** (3 / 7)), (5, 5, 10.0), (9, 0, 0.0), (0, 4, 0.0)],
)
def test_controversy(ups, downs, expected):
    assert controversy(ups, downs) == pytest.approx(expected)
    assert controversy(7, 3) == pytest.approx(2.682696, abs=1e-6)


def test_hot_rank_follows_lemmy():
    assert hot_rank(10, NOW - timedelta(hours=5), NOW) == pytest.approx(335.495450, abs=1e-6)
    assert hot_rank(0, NOW, NOW) == pytest.approx(1370.171001, abs=1e-6)
    assert hot_rank(-5, NOW, NOW) == 0.0
    assert hot_rank(0, NOW + timedelta(hours=1), NOW) == hot_rank(0, NOW, NOW)


def make_scored(thread, parent=None, *, ups=0, downs=0, created=None, body=""):
    comment = make_comment(thread, parent=parent, body=body or None)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=ups, downvotes=downs, score=ups - downs, created_at=created or NOW
    )
    return comment


@pytest.fixture
def sortable(db):
    """Three top-level comments with replies, each ranking first under a different sort."""
    thread = make_thread(title="Sorts")
    old_loved = make_scored(thread, ups=50, downs=10, created=NOW - timedelta(days=2), body="A")
    new_plain = make_scored(thread, ups=1, downs=0, created=NOW, body="B")
    fought = make_scored(thread, ups=40, downs=38, created=NOW - timedelta(days=1), body="C")
    make_scored(thread, parent=old_loved, ups=1, downs=5, created=NOW, body="A-low")
    make_scored(thread, parent=old_loved, ups=9, downs=0, created=NOW, body="A-high")
    make_scored(thread, parent=fought, ups=0, downs=0, body="C-only")
    return thread, (old_loved, new_plain, fought)


def order(thread, sort):
    tree = selectors.comment_batch(thread, sort=sort)
    return [(row.depth, Comment.objects.get(pk=row.id).body) for row in tree.rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("best", ["A", "A-high", "A-low", "C", "C-only", "B"]),
        ("top", ["A", "A-high", "A-low", "C", "C-only", "B"]),
        ("new", ["B", "C", "C-only", "A", "A-low", "A-high"]),
        ("old", ["A", "A-low", "A-high", "C", "C-only", "B"]),
        ("controversial", ["C", "C-only", "A", "A-low", "A-high", "B"]),
    ],
)
def test_sorts_order_siblings_and_keep_the_shape(sortable, sort, expected):
    thread, _ = sortable
    rows = order(thread, sort)
    assert [body for _, body in rows] == expected
    depth_of = {body: depth for depth, body in rows}
    assert depth_of == {"A": 0, "B": 0, "C": 0, "A-high": 1, "A-low": 1, "C-only": 1}


def test_deep_threads_continue_on_their_own_page(db):
    thread = make_thread()
    parent = None
    chain = []
    for _ in range(11):
        parent = make_comment(thread, parent=parent)
        chain.append(parent)
    tree = selectors.comment_batch(thread)
    shown = [row for row in tree.rows if not row.continues]
    links = [row for row in tree.rows if row.continues]
    assert [row.id for row in shown] == [c.pk for c in chain[:8]]
    assert [row.parent_id for row in links] == [chain[7].pk]
    page = selectors.comment_page(Comment.objects.get(pk=chain[7].pk))
    assert [row.id for row in page.tree.rows] == [c.pk for c in chain[7:]]
    assert [a.pk for a in page.ancestors] == [c.pk for c in chain[:7]]


def test_layout_closes_every_opened_comment(db):
    thread = make_thread()
    a = make_comment(thread)
    a1 = make_comment(thread, parent=a)
    make_comment(thread, parent=a1)
    make_comment(thread)
    tree = selectors.comment_batch(thread, sort="old")
    assert [row.closes for row in tree.rows] == [0, 0, 0, 3]
    assert tree.trailing_closes == 1


def test_viewer_votes_are_attached(db):
    thread = make_thread()
    first, second = make_comment(thread), make_comment(thread)
    viewer = make_user()
    services.vote_cast(user=viewer, item=second, value=-1)
    tree = selectors.comment_batch(thread, viewer=viewer, sort="old")
    assert {row.id: row.vote for row in tree.rows} == {first.pk: 0, second.pk: -1}


def test_front_page_orders(db):
    old_popular = make_thread(title="old", created_at=NOW - timedelta(days=3), score=100)
    fresh = make_thread(title="fresh", created_at=NOW - timedelta(minutes=5), score=1)
    mid = make_thread(title="mid", created_at=NOW - timedelta(hours=1), score=20)
    assert list(selectors.thread_ids_by("new")) == [fresh.pk, mid.pk, old_popular.pk]
    assert list(selectors.thread_ids_by("top")) == [old_popular.pk, mid.pk, fresh.pk]
    services.threads_rerank(days=10_000, now=NOW)  # the stored ranks, as of NOW
    assert list(selectors.thread_ids_by("hot")) == [mid.pk, fresh.pk, old_popular.pk]


def test_karma_sums_threads_and_comments(db):
    writer = make_user()
    make_thread(author=writer, score=5)
    thread = make_thread()
    comment = make_comment(thread, author=writer)
    Comment.objects.filter(pk=comment.pk).update(score=-2)
    assert selectors.user_karma(writer) == 3


def test_rows_read_past_the_orm_keep_aware_times_and_plain_values(db):
    thread = make_thread()
    comment = make_comment(thread, body="hello")
    edited = datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=UTC)
    Comment.objects.filter(pk=comment.pk).update(edited_at=edited)
    stored = Comment.objects.get(pk=comment.pk)
    (row,) = selectors.comment_rows(Comment.objects.filter(pk=comment.pk))
    assert (row.created_at, row.edited_at) == (stored.created_at, edited)
    assert row.created_at.tzinfo is not None and row.edited_at.tzinfo is not None
    assert (row.is_deleted, row.is_removed, row.score) == (False, False, 0)
    assert row.body_html == stored.body_html and row.author == stored.author.username


def test_an_empty_selection_has_no_rows(db):
    assert selectors.comment_rows(Comment.objects.filter(pk__in=[])) == []
    assert selectors.comment_rows(Comment.objects.filter(pk__in=[]), make_user()) == []
