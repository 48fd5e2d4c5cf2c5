"""The integrity checks find what they are meant to find.

Every test that asserts ``tree_problems() == []`` or ``score_problems() == []`` after
concurrent writes, imports or the benchmark trusts these two functions; here each kind
of corruption is written straight into the rows (``.update()``, behind the services'
back) and must come out as one exact message naming the comment.
"""

import pytest

from tests.factories import make_comment, make_thread, make_user
from threads import services
from threads.integrity import score_problems, tree_problems
from threads.models import Comment, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Two trees in one thread, numbered as the services number them:

    first (1..8) ─ middle (2..5) ─ leaf (3..4)
                 └ last (6..7)
    second (1..4) ─ only (2..3)
    """
    thread = make_thread(title="Integrity")
    first = make_comment(thread, body="first")
    middle = make_comment(thread, parent=first, body="middle")
    leaf = make_comment(thread, parent=middle, body="leaf")
    last = make_comment(thread, parent=first, body="last")
    second = make_comment(thread, body="second")
    only = make_comment(thread, parent=second, body="only")
    return {c.body: Comment.objects.get(pk=c.pk) for c in (first, middle, leaf, last, second, only)}


def corrupt(comment: Comment, **fields) -> None:
    """Write fields into one row directly, as a bug or a bad migration would."""
    assert Comment.objects.filter(pk=comment.pk).update(**fields) == 1


def test_the_fixture_is_numbered_as_drawn(tree):
    numbers = {
        body: (c.tree_id, c.lft, c.rght, c.level, c.descendant_count) for body, c in tree.items()
    }
    first, second = tree["first"].pk, tree["second"].pk
    assert numbers == {
        "first": (first, 1, 8, 0, 3),
        "middle": (first, 2, 5, 1, 1),
        "leaf": (first, 3, 4, 2, 0),
        "last": (first, 6, 7, 1, 0),
        "second": (second, 1, 4, 0, 1),
        "only": (second, 2, 3, 1, 0),
    }


def test_a_clean_tree_has_no_problems(tree):
    assert tree_problems() == []
    assert tree_problems(Comment.objects.filter(thread=tree["first"].thread)) == []


def test_wrong_lft(tree):
    leaf = tree["leaf"]
    corrupt(leaf, lft=2)  # (4 - 2 - 1) // 2 is still 0 descendants: only lft is wrong
    assert tree_problems() == [
        f"comment {leaf.pk}: (tree_id, lft, level) = ({leaf.tree_id}, 2, 2), "
        f"expected ({leaf.tree_id}, 3, 2)"
    ]


def test_wrong_lft_that_also_breaks_the_descendant_count(tree):
    leaf = tree["leaf"]
    corrupt(leaf, lft=1)
    assert tree_problems() == [
        f"comment {leaf.pk}: (tree_id, lft, level) = ({leaf.tree_id}, 1, 2), "
        f"expected ({leaf.tree_id}, 3, 2)",
        f"comment {leaf.pk}: descendant_count 0, its numbers say 1",
    ]


def test_wrong_rght(tree):
    last = tree["last"]
    corrupt(last, rght=8)  # (8 - 6 - 1) // 2 is still 0 descendants: only rght is wrong
    assert tree_problems() == [f"comment {last.pk}: rght 8, expected 7"]


def test_wrong_level(tree):
    leaf = tree["leaf"]
    corrupt(leaf, level=1)
    assert tree_problems() == [
        f"comment {leaf.pk}: (tree_id, lft, level) = ({leaf.tree_id}, 3, 1), "
        f"expected ({leaf.tree_id}, 3, 2)"
    ]


def test_root_with_a_tree_id_not_its_own(tree):
    second, only = tree["second"], tree["only"]
    wrong = second.pk + 1000
    corrupt(second, tree_id=wrong)
    assert tree_problems() == [
        f"root {second.pk} has tree_id {wrong}, expected its own id",
        # Its reply still carries the old tree_id, so it no longer matches its root.
        f"comment {only.pk}: (tree_id, lft, level) = ({second.pk}, 2, 1), expected ({wrong}, 2, 1)",
    ]


def test_whole_tree_moved_to_another_tree_id(tree):
    second = tree["second"]
    wrong = second.pk + 1000
    assert Comment.objects.filter(tree_id=second.pk).update(tree_id=wrong) == 2
    assert tree_problems() == [f"root {second.pk} has tree_id {wrong}, expected its own id"]


def test_two_roots_sharing_a_tree_id(tree):
    first, second = tree["first"], tree["second"]
    assert Comment.objects.filter(tree_id=second.pk).update(tree_id=first.pk) == 2
    assert tree_problems() == [
        f"root {second.pk} has tree_id {first.pk}, expected its own id",
        "two top-level comments share a tree_id",
    ]


def test_wrong_descendant_count(tree):
    first = tree["first"]
    corrupt(first, descendant_count=2)
    assert tree_problems() == [f"comment {first.pk}: descendant_count 2, its numbers say 3"]


def test_a_queryset_checks_only_its_rows(tree):
    """The tests after concurrent writes check one thread's comments; that must still see
    corruption there, and not report rows outside the queryset."""
    other = make_comment(make_thread(title="Elsewhere"), body="elsewhere")
    corrupt(other, descendant_count=5)
    leaf = tree["leaf"]
    corrupt(leaf, level=7)
    this_thread = Comment.objects.filter(thread=leaf.thread)
    assert tree_problems(this_thread) == [
        f"comment {leaf.pk}: (tree_id, lft, level) = ({leaf.tree_id}, 3, 7), "
        f"expected ({leaf.tree_id}, 3, 2)"
    ]
    assert tree_problems(Comment.objects.filter(pk=other.pk)) == [
        f"comment {other.pk}: descendant_count 5, its numbers say 0"
    ]


# Scores


@pytest.fixture
def voted(tree):
    """'middle' with two up votes and one down (score 1); 'leaf' with one up vote."""
    middle, leaf = tree["middle"], tree["leaf"]
    for name, value in (("up1", Vote.UP), ("up2", Vote.UP), ("down1", Vote.DOWN)):
        services.vote_cast(user=make_user(name), item=middle, value=value)
    services.vote_cast(user=make_user("up3"), item=leaf, value=Vote.UP)
    return Comment.objects.get(pk=middle.pk), Comment.objects.get(pk=leaf.pk)


def test_votes_kept_by_the_services_have_no_problems(voted):
    middle, leaf = voted
    assert (middle.score, middle.upvotes, middle.downvotes) == (1, 2, 1)
    assert (leaf.score, leaf.upvotes, leaf.downvotes) == (1, 1, 0)
    assert score_problems() == []


def test_score_that_differs_from_the_votes(voted):
    middle, _ = voted
    corrupt(middle, score=5)
    assert score_problems() == [
        f"comment {middle.pk}: score/up/down (5, 2, 1), votes say (1, 2, 1)"
    ]


def test_wrong_upvotes(voted):
    middle, _ = voted
    corrupt(middle, upvotes=3)
    assert score_problems() == [
        f"comment {middle.pk}: score/up/down (1, 3, 1), votes say (1, 2, 1)"
    ]


def test_wrong_downvotes(voted):
    middle, _ = voted
    corrupt(middle, downvotes=0)
    assert score_problems() == [
        f"comment {middle.pk}: score/up/down (1, 2, 0), votes say (1, 2, 1)"
    ]


def test_vote_row_deleted_behind_the_counters_back(voted):
    middle, _ = voted
    assert Vote.objects.filter(comment=middle, value=Vote.DOWN).delete()[0] == 1
    assert score_problems() == [
        f"comment {middle.pk}: score/up/down (1, 2, 1), votes say (2, 2, 0)"
    ]


def test_last_vote_row_deleted_leaves_counters_with_no_votes(voted):
    _, leaf = voted
    assert Vote.objects.filter(comment=leaf).delete()[0] == 1
    assert score_problems() == [f"comment {leaf.pk}: score/up/down (1, 1, 0), votes say (0, 0, 0)"]


def test_counters_on_a_comment_nobody_voted_on(tree):
    last = tree["last"]
    corrupt(last, score=-1, downvotes=1)
    assert score_problems() == [f"comment {last.pk}: score/up/down (-1, 0, 1), votes say (0, 0, 0)"]


def test_score_check_on_a_queryset_checks_only_its_rows(voted):
    middle, leaf = voted
    corrupt(middle, score=9)
    corrupt(leaf, upvotes=4)
    assert score_problems(Comment.objects.filter(pk=leaf.pk)) == [
        f"comment {leaf.pk}: score/up/down (1, 4, 0), votes say (1, 1, 0)"
    ]
