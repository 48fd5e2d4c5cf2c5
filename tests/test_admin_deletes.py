"""A superuser's deletes in the admin go through the services: purge for comments,
account removal for users, so trees, counts and scores stay exact."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_comment, make_user
from threads import services
from threads.integrity import score_problems, tree_problems
from threads.models import Comment, ModerationLog, Thread


@pytest.fixture
def root_client(client, a_superuser):
    client.force_login(a_superuser)
    return client


def delete_selected(client, model, pks):
    """Django's bulk delete: the action, then its confirmation page's "Yes, I'm sure"."""
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]}
    url = reverse(f"admin:{model}_changelist")
    return client.post(url, {**data, "post": "yes"}, follow=True)


def test_bulk_delete_of_comments_in_the_middle_of_a_tree_is_a_purge(root_client, a_thread):
    root = make_comment(a_thread)
    middle = make_comment(a_thread, parent=root)
    under = make_comment(a_thread, parent=middle)
    later = make_comment(a_thread, parent=root)
    response = delete_selected(root_client, "threads_comment", [middle.pk, under.pk])
    assert response.status_code == 200
    assert set(Comment.objects.values_list("pk", flat=True)) == {root.pk, later.pk}
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 2
    assert Comment.objects.get(pk=root.pk).descendant_count == 1
    assert tree_problems() == []
    assert ModerationLog.objects.filter(action=ModerationLog.Action.COMMENT_PURGE).count() == 1


def test_deleting_one_comment_from_its_page_is_a_purge(root_client, a_thread):
    root = make_comment(a_thread)
    reply = make_comment(a_thread, parent=root)
    url = reverse("admin:threads_comment_delete", args=[reply.pk])
    assert root_client.post(url, {"post": "yes"}).status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [root.pk]
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 1
    assert tree_problems() == []


def test_moderators_see_no_delete(client, a_moderator, a_comment):
    client.force_login(a_moderator)
    url = reverse("admin:threads_comment_delete", args=[a_comment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=a_comment.pk).exists()


def test_bulk_delete_of_users_is_account_removal(root_client, a_thread, a_comment):
    voter = make_user("voter")
    services.vote_cast(user=voter, item=a_comment, value=1)
    services.vote_cast(user=voter, item=a_thread, value=-1)
    mine = make_comment(a_thread, author=voter, body="mine")
    response = delete_selected(root_client, "auth_user", [voter.pk])
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="voter").exists()
    a_comment.refresh_from_db()
    a_thread.refresh_from_db()
    assert (a_comment.score, a_thread.score) == (0, 0)
    assert score_problems() == []
    mine.refresh_from_db()
    assert mine.is_deleted and mine.body == "" and mine.author_id is None
