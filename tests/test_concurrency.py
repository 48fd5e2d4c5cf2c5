"""Concurrent writers on PostgreSQL: real threads, each with its own connection.

SQLite has one writer at a time (``transaction_mode=IMMEDIATE`` and a busy timeout), so
there is nothing to race there; on PostgreSQL the row locks in ``threads.services`` are
what keeps the nested sets and the scores right, and these tests prove it.
"""

import random
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import make_comment, make_thread, make_user
from threads import services
from threads.integrity import score_problems, tree_problems
from threads.models import Comment, Thread, Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
        reason="SQLite serializes all writers itself; row-lock races need PostgreSQL",
    ),
]

WRITERS = 16
REPLIES_EACH = 25
VOTERS = 4
VOTES_EACH = 40


def run_together(jobs) -> list[BaseException]:
    """Start every job at once on its own thread and connection; the errors they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_and_votes_keep_trees_and_scores_valid():
    thread = make_thread(title="Busy thread")
    root = make_comment(thread, body="the subtree everyone replies into")
    for _ in range(3):
        make_comment(thread, parent=root)
    subtree = list(Comment.objects.filter(tree_id=root.tree_id).values_list("pk", flat=True))
    writers = [make_user(f"writer{i}") for i in range(WRITERS)]
    voters = [make_user(f"voter{i}") for i in range(VOTERS)]

    def post(i):
        rng = random.Random(i)
        author = writers[i]
        for j in range(REPLIES_EACH):
            # every fifth a new top-level comment, else a reply into the shared subtree
            parent = None if j % 5 == 4 else Comment.objects.get(pk=rng.choice(subtree))
            comment = services.comment_create(
                author=author, thread=thread, parent=parent, body=f"w{i} r{j}"
            )
            if parent is not None:
                subtree.append(comment.pk)  # list.append is atomic in CPython

    def vote(i):
        rng = random.Random(100 + i)
        for _ in range(VOTES_EACH):
            item = Comment.objects.get(pk=rng.choice(subtree))
            services.vote_cast(user=voters[i], item=item, value=rng.choice((1, -1)))

    jobs = [lambda i=i: post(i) for i in range(WRITERS)]
    jobs += [lambda i=i: vote(i) for i in range(VOTERS)]
    assert run_together(jobs) == []

    bodies = Counter(
        Comment.objects.filter(thread=thread, body__startswith="w").values_list("body", flat=True)
    )
    expected = {f"w{i} r{j}" for i in range(WRITERS) for j in range(REPLIES_EACH)}
    assert set(bodies) == expected
    assert set(bodies.values()) == {1}  # every reply stored exactly once
    comments = Comment.objects.filter(thread=thread)
    assert tree_problems(comments) == []
    voted = comments.filter(votes__isnull=False).distinct()
    assert voted.exists()
    assert score_problems(voted) == []
    assert Thread.objects.get(pk=thread.pk).comment_count == comments.count() == 4 + len(expected)
    top_level = comments.filter(level=0)
    assert top_level.count() == 1 + WRITERS * REPLIES_EACH // 5
    assert all(c.tree_id == c.pk for c in top_level)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_by_one_user_never_double_count():
    thread = make_thread(title="Votes")
    comment = make_comment(thread, body="vote on me")
    voter = make_user("clicker")
    for value in (1, 1, -1, 1, -1, -1):
        errors = run_together(
            [lambda value=value: services.vote_cast(user=voter, item=comment, value=value)] * 2
        )
        assert errors == []
        votes = list(Vote.objects.filter(comment=comment).values_list("value", flat=True))
        assert len(votes) <= 1
        comment.refresh_from_db()
        assert comment.score == sum(votes)
        assert score_problems(Comment.objects.filter(pk=comment.pk)) == []
