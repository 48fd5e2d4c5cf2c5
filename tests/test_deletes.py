"""Deletes keep trees, counts and scores right: purge, account removal, and the guards
that stop anything else from deleting comment rows or renumbering trees."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.factories import make_comment, make_tree, make_user
from threads import services
from threads.integrity import score_problems, tree_problems
from threads.models import Comment, ModerationLog, Thread, Vote
from threads.tree import TreeGuardError


def test_purge_in_the_middle_keeps_tree_and_counts_exact(a_thread, a_superuser):
    make_tree(a_thread, size=30)
    top = Comment.objects.filter(level=0).first()
    victim = make_comment(a_thread, parent=top)
    for parent in (victim, victim, make_comment(a_thread, parent=victim)):
        make_comment(a_thread, parent=parent)
    make_comment(a_thread, parent=top)  # a later sibling, whose numbers shift back
    victim.refresh_from_db()
    assert victim.descendant_count == 4
    gone = 5
    before = Thread.objects.get(pk=a_thread.pk).comment_count

    assert services.comment_purge(moderator=a_superuser, comment=victim, reason="illegal") == gone

    assert not Comment.objects.filter(pk=victim.pk).exists()
    assert Thread.objects.get(pk=a_thread.pk).comment_count == before - gone == 36 - gone
    assert Comment.objects.filter(thread=a_thread).count() == 36 - gone
    top.refresh_from_db()
    assert top.descendant_count == Comment.objects.filter(tree_id=top.tree_id).count() - 1
    assert tree_problems() == []
    entry = ModerationLog.objects.get(action=ModerationLog.Action.COMMENT_PURGE)
    assert entry.detail.startswith(f"comment #{victim.pk} and {gone - 1} repl")
    assert entry.reason == "illegal"
    # Purging again changes nothing and logs nothing.
    assert services.comment_purge(moderator=a_superuser, comment=victim, reason="again") == 0
    assert ModerationLog.objects.filter(action=ModerationLog.Action.COMMENT_PURGE).count() == 1


def test_a_reply_after_a_purge_lands_in_a_sound_tree(a_thread, a_superuser, a_user):
    root = make_comment(a_thread)
    first = make_comment(a_thread, parent=root)
    make_comment(a_thread, parent=first)
    second = make_comment(a_thread, parent=root)
    services.comment_purge(moderator=a_superuser, comment=first, reason="spam")
    second.refresh_from_db()
    services.comment_create(author=a_user, thread=a_thread, parent=second, body="still fine")
    assert tree_problems() == []
    root.refresh_from_db()
    assert root.descendant_count == 2


def test_moderators_cannot_purge(a_moderator, a_comment):
    with pytest.raises(PermissionDenied):
        services.comment_purge(moderator=a_moderator, comment=a_comment, reason="x")
    assert Comment.objects.filter(pk=a_comment.pk).exists()


def test_purge_needs_a_reason(a_superuser, a_comment):
    with pytest.raises(ValidationError):
        services.comment_purge(moderator=a_superuser, comment=a_comment, reason=" ")
    assert Comment.objects.filter(pk=a_comment.pk).exists()


@pytest.mark.parametrize(
    "bypass",
    [
        lambda c: c.delete(),
        lambda c: Comment.objects.filter(pk=c.pk).delete(),
        lambda c: Comment.objects.all().delete(),
        lambda c: Comment.objects.rebuild(),
        lambda c: Comment.objects.partial_rebuild(c.tree_id),
        lambda c: Comment.objects.move_node(c, None),
        lambda c: Comment(thread=c.thread, body="unnumbered").save(),
    ],
    ids=["delete", "queryset delete", "delete all", "rebuild", "partial_rebuild", "move", "save"],
)
def test_nothing_bypasses_the_tree_engine(a_thread, a_reply, bypass):
    before = list(Comment.objects.values_list("pk", "lft", "rght", "descendant_count"))
    with pytest.raises(TreeGuardError):
        bypass(a_reply)
    assert list(Comment.objects.values_list("pk", "lft", "rght", "descendant_count")) == before
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 2


def test_changing_a_parent_is_refused(a_thread, a_comment, a_reply):
    other = make_comment(a_thread)
    a_reply.parent = other
    with pytest.raises(TreeGuardError):
        a_reply.save()
    assert Comment.objects.get(pk=a_reply.pk).parent_id == a_comment.pk


def test_deleting_a_thread_takes_its_comments_along(a_thread, a_reply, a_superuser):
    """A whole thread may go: nothing is left whose numbers could be wrong."""
    Thread.objects.filter(pk=a_thread.pk).delete()
    assert Comment.objects.count() == 0


def test_account_removal_withdraws_votes_and_keeps_the_conversation(
    a_thread, a_comment, a_reply, a_user, another_user
):
    """alice wrote the thread and a reply; she voted on bob's comment and a thread."""
    carol = make_user("carol")
    carols = make_comment(a_thread, author=carol, body="carol speaks")
    services.vote_cast(user=a_user, item=a_comment, value=1)
    services.vote_cast(user=a_user, item=carols, value=-1)
    services.vote_cast(user=another_user, item=carols, value=1)
    other_thread = Thread.objects.create(author=carol, title="Carol's")
    services.vote_cast(user=a_user, item=other_thread, value=1)
    reply_to_alice = make_comment(a_thread, parent=a_reply, author=carol, body="answer")

    withdrawn = services.account_remove(user=a_user, by=a_user)

    assert withdrawn == 3
    assert not get_user_model().objects.filter(username="alice").exists()
    assert Vote.objects.filter(user_id=a_user.pk).count() == 0
    assert score_problems() == []
    a_comment.refresh_from_db()
    carols.refresh_from_db()
    other_thread.refresh_from_db()
    assert (a_comment.score, a_comment.upvotes) == (0, 0)
    assert (carols.score, carols.upvotes, carols.downvotes) == (1, 1, 0)
    assert (other_thread.score, other_thread.upvotes) == (0, 0)
    reply = Comment.objects.get(pk=a_reply.pk)
    assert reply.is_deleted and reply.body == "" and reply.author_id is None
    assert Comment.objects.get(pk=reply_to_alice.pk).body == "answer"  # replies stay
    assert Thread.objects.get(pk=a_thread.pk).title == "Hello forum"
    assert tree_problems() == []


def test_only_the_member_or_a_superuser_removes_an_account(a_user, another_user, a_moderator):
    for by in (another_user, a_moderator, None):
        with pytest.raises(PermissionDenied):
            services.account_remove(user=a_user, by=by)
    assert get_user_model().objects.filter(pk=a_user.pk).exists()


def test_a_superuser_removing_an_account_is_logged(a_user, a_superuser):
    services.account_remove(user=a_user, by=a_superuser)
    entry = ModerationLog.objects.get(action=ModerationLog.Action.ACCOUNT_REMOVE)
    assert entry.detail == "account alice"


def test_deleting_a_voter_directly_is_refused(a_comment, a_user):
    services.vote_cast(user=a_user, item=a_comment, value=1)
    with pytest.raises(TreeGuardError, match="account_remove"), transaction.atomic():
        a_user.delete()
    assert Vote.objects.filter(user=a_user).count() == 1


def test_an_edit_racing_a_removal_does_not_overwrite_it(a_moderator, a_comment, another_user):
    """bob's page read the comment before mia removed it; his edit arrives after."""
    stale = Comment.objects.get(pk=a_comment.pk)
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="rude")
    with pytest.raises(PermissionDenied, match="removed"):
        services.comment_edit(user=another_user, comment=stale, body="sneaky new text")
    stored = Comment.objects.get(pk=a_comment.pk)
    assert stored.is_removed and stored.body == "first!" and stored.edited_at is None


def test_a_delete_racing_a_removal_keeps_the_removed_text(a_moderator, a_comment, another_user):
    stale = Comment.objects.get(pk=a_comment.pk)
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="rude")
    with pytest.raises(PermissionDenied, match="removed"):
        services.comment_delete(user=another_user, comment=stale)
    stored = Comment.objects.get(pk=a_comment.pk)
    assert stored.is_removed and not stored.is_deleted and stored.body == "first!"
