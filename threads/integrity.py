"""Checks that stored nested-set fields (and descendant counts) agree with the parent
links they were built from.

Used by the tests after concurrent writes, and by the benchmark after its own writes.
"""

from __future__ import annotations

from threads.models import Comment, Vote
from threads.tree import number_tree


def tree_problems(queryset=None) -> list[str]:
    """Every way the stored trees differ from a rebuild from ``parent_id``; empty if valid."""
    comments = queryset if queryset is not None else Comment.objects.all()
    rows = list(
        comments.order_by("tree_id", "lft").values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level", "descendant_count"
        )
    )
    stored = {pk: (tree_id, lft, rght, level) for pk, _, tree_id, lft, rght, level, _ in rows}
    kids: dict[int | None, list[int]] = {}
    for pk, parent_id, *_ in rows:  # in stored order, so siblings keep their order
        kids.setdefault(parent_id, []).append(pk)
    problems: list[str] = []
    for root in kids.get(None, []):
        tree_id = stored[root][0]
        if tree_id != root:
            problems.append(f"root {root} has tree_id {tree_id}, expected its own id")
        for pk, (lft, rght, level) in number_tree(root, kids.get).items():
            got_tree, got_lft, got_rght, got_level = stored[pk]
            if (got_tree, got_lft, got_level) != (tree_id, lft, level):
                problems.append(
                    f"comment {pk}: (tree_id, lft, level) = {(got_tree, got_lft, got_level)}, "
                    f"expected {(tree_id, lft, level)}"
                )
            if got_rght != rght:
                problems.append(f"comment {pk}: rght {got_rght}, expected {rght}")
    for pk, _, _, lft, rght, _, count in rows:
        if count != (rght - lft - 1) // 2:
            problems.append(f"comment {pk}: descendant_count {count}, its numbers say "
                            f"{(rght - lft - 1) // 2}")  # fmt: skip
    tree_ids = [tree_id for tree_id, _, _, level in stored.values() if level == 0]
    if len(tree_ids) != len(set(tree_ids)):
        problems.append("two top-level comments share a tree_id")
    return problems


def score_problems(queryset=None) -> list[str]:
    """Comments whose score or up/down counts differ from their vote rows."""
    comments = queryset if queryset is not None else Comment.objects.all()
    tallies = Vote.objects.filter(comment__in=comments.values("pk")).tallies("comment_id")
    problems = []
    for pk, *stored in comments.values_list("pk", "score", "upvotes", "downvotes"):
        expected = tallies.get(pk, (0, 0, 0))
        if tuple(stored) != expected:
            problems.append(f"comment {pk}: score/up/down {tuple(stored)}, votes say {expected}")
    return problems
