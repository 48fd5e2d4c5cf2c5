import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_comment, make_thread, make_user
from threads.integrity import tree_problems
from threads.models import Comment, Vote

pytestmark = pytest.mark.django_db


def test_top_level_comment_is_its_own_tree(a_thread):
    first = make_comment(a_thread)
    second = make_comment(a_thread)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.tree_id, first.lft, first.rght, first.level) == (first.pk, 1, 2, 0)
    assert second.tree_id == second.pk != first.tree_id


def test_reply_nests_inside_its_parent(a_thread, a_comment):
    reply = make_comment(a_thread, parent=a_comment)
    deeper = make_comment(a_thread, parent=reply)
    a_comment.refresh_from_db()
    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert (a_comment.lft, reply.lft, deeper.lft, deeper.rght, reply.rght, a_comment.rght) == (
        1, 2, 3, 4, 5, 6,
    )  # fmt: skip
    assert deeper.level == 2
    assert deeper.tree_id == reply.tree_id == a_comment.tree_id
    assert tree_problems() == []


def test_reply_renumbers_only_its_own_subtree(a_thread):
    left = make_comment(a_thread)
    right = make_comment(a_thread)
    right_child = make_comment(a_thread, parent=right)
    before = Comment.objects.filter(tree_id=right.tree_id).values_list("pk", "lft", "rght")
    snapshot = sorted(before)
    make_comment(a_thread, parent=left)
    assert sorted(
        Comment.objects.filter(tree_id=right.tree_id).values_list("pk", "lft", "rght")
    ) == (snapshot)
    assert right_child.tree_id == right.tree_id
    assert tree_problems() == []


def test_one_vote_per_user_per_comment(a_comment, a_user):
    Vote.objects.create(user=a_user, comment=a_comment, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=a_user, comment=a_comment, value=-1)


def test_one_vote_per_user_per_thread(a_thread, another_user):
    Vote.objects.create(user=another_user, thread=a_thread, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=another_user, thread=a_thread, value=1)


def test_vote_is_on_exactly_one_item(a_thread, a_comment, a_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=a_user, comment=a_comment, thread=a_thread, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=a_user, value=1)


def test_vote_value_is_plus_or_minus_one(a_comment, a_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=a_user, comment=a_comment, value=5)


def test_deleting_a_user_keeps_their_comments_as_deleted_author(a_thread):
    carol = make_user("carol")
    comment = make_comment(a_thread, author=carol, body="still here")
    carol.delete()
    comment.refresh_from_db()
    assert comment.author is None
    assert comment.body == "still here"
    assert comment.shown_author == "[deleted]"


def test_imported_author_name_is_shown(a_thread):
    comment = make_comment(a_thread)
    comment.author = None
    comment.author_name = "someone_elsewhere"
    assert comment.shown_author == "someone_elsewhere (imported)"  # a_thread has no source


def test_thread_slug_and_url():
    thread = make_thread(title="Ünïcode & Friends: a Title!")
    assert thread.slug == "ünïcode-friends-a-title"
    assert thread.get_absolute_url() == f"/t/{thread.pk}/%C3%BCn%C3%AFcode-friends-a-title/"


def test_source_is_unique_when_set():
    make_thread(source="reddit:abc")
    make_thread(source="")
    make_thread(source="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_thread(source="reddit:abc")


def test_descendant_counts_follow_replies(a_thread):
    root = make_comment(a_thread)
    child = make_comment(a_thread, parent=root)
    make_comment(a_thread, parent=child)
    make_comment(a_thread, parent=root)
    counts = dict(Comment.objects.values_list("pk", "descendant_count"))
    assert counts[root.pk] == 3 and counts[child.pk] == 1
    assert tree_problems() == []


def test_no_index_holds_the_numbers_a_reply_shifts():
    """Replies renumber lft/rght; with no index on them PostgreSQL updates rows in place."""
    from django.db import connection

    for index in Comment._meta.indexes:
        assert not {"lft", "rght"} & set(index.fields), index.name
    assert not any(f.db_index for f in Comment._meta.fields if f.name in {"lft", "rght"})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reloptions FROM pg_class WHERE relname = %s", [Comment._meta.db_table]
            )
            assert cursor.fetchone()[0] == ["fillfactor=50"]


def test_vote_tallies_per_item(a_thread):
    first, second = make_comment(a_thread), make_comment(a_thread)
    for value in (1, 1, -1):
        Vote.objects.create(user=make_user(), comment=first, value=value)
    Vote.objects.create(user=make_user(), comment=second, value=-1)
    assert Vote.objects.tallies("comment_id") == {first.pk: (1, 2, 1), second.pk: (-1, 0, 1)}
