"""Refused actions: the script hears why as JSON, plain requests keep their pages, banned
members see why instead of forms, and deleting asks first without the script."""

from html import escape

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_user
from threads import services
from threads.models import Comment, Thread, Vote

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}
BANNED_FOR_SPAM = services.BANNED.format(term="permanently", reason="spam links")


@pytest.fixture
def alice_client(client, a_user):
    """The test client, logged in as alice."""
    client.force_login(a_user)
    return client


@pytest.fixture
def carl_client(client, a_banned_user):
    """The test client, logged in as carl, who is banned."""
    client.force_login(a_banned_user)
    return client


@pytest.fixture
def locked(a_thread, a_moderator):
    """alice's thread, locked by a moderator (ask for a_comment first to have one)."""
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    return a_thread


def reply_url(comment):
    return reverse("threads:comment-reply", args=[comment.pk])


def vote_url(comment):
    return reverse("threads:comment-vote", args=[comment.pk])


def thread_vote_url(thread):
    return reverse("threads:thread-vote", args=[thread.pk])


def top_reply_url(thread):
    return reverse("threads:thread-reply", args=[thread.pk])


def delete_url(comment):
    return reverse("threads:comment-delete", args=[comment.pk])


def assert_refused(response, status, message):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": message}


# The script's requests: one request, one JSON answer with the service's words.


def test_vote_on_own_comment_and_thread(alice_client, a_thread, a_reply):
    assert_refused(
        alice_client.post(vote_url(a_reply), {"value": "1"}, headers=FETCH),
        403,
        services.CANNOT_VOTE_OWN,
    )
    assert_refused(
        alice_client.post(thread_vote_url(a_thread), {"value": "1"}, headers=FETCH),
        403,
        services.CANNOT_VOTE_OWN,
    )
    assert Vote.objects.count() == 0


def test_banned_member_votes(carl_client, a_thread, a_comment):
    for url in (vote_url(a_comment), thread_vote_url(a_thread)):
        assert_refused(carl_client.post(url, {"value": "1"}, headers=FETCH), 403, BANNED_FOR_SPAM)
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("where", ["comment", "thread"])
def test_banned_member_replies(carl_client, a_thread, a_comment, where):
    url = reply_url(a_comment) if where == "comment" else top_reply_url(a_thread)
    assert_refused(
        carl_client.post(url, {"body": "let me in"}, headers=FETCH), 403, BANNED_FOR_SPAM
    )
    assert not Comment.objects.filter(body="let me in").exists()
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 1


def test_locked_thread_refuses_votes_and_replies(client, a_comment, locked):
    reader = make_user("reader")
    client.force_login(reader)
    for url, data in (
        (vote_url(a_comment), {"value": "1"}),
        (thread_vote_url(locked), {"value": "-1"}),
        (reply_url(a_comment), {"body": "too late"}),
        (top_reply_url(locked), {"body": "too late"}),
    ):
        assert_refused(client.post(url, data, headers=FETCH), 403, services.THREAD_LOCKED)
    assert Vote.objects.count() == 0
    assert not Comment.objects.filter(body="too late").exists()


@pytest.mark.parametrize("value", ["9", "up", ""])
def test_bad_vote_value(alice_client, a_comment, value):
    response = alice_client.post(vote_url(a_comment), {"value": value}, headers=FETCH)
    assert_refused(response, 400, services.BAD_VOTE_VALUE)


def test_bad_replies_say_what_is_wrong(alice_client, a_thread, a_comment):
    assert_refused(
        alice_client.post(reply_url(a_comment), {"body": ""}, headers=FETCH),
        400,
        "This field is required.",
    )
    response = alice_client.post(
        top_reply_url(a_thread), {"body": "x", "parent": "99"}, headers=FETCH
    )
    assert_refused(response, 400, "The comment you replied to does not exist.")
    services.comment_delete(user=a_comment.author, comment=a_comment)
    assert_refused(
        alice_client.post(reply_url(a_comment), {"body": "hello?"}, headers=FETCH),
        400,
        services.PARENT_GONE,
    )
    assert Comment.objects.count() == 1


def test_delete_refusals(alice_client, a_comment, a_reply, a_user, a_moderator):
    assert_refused(
        alice_client.post(delete_url(a_comment), headers=FETCH), 403, services.NOT_YOUR_COMMENT
    )
    services.user_ban(moderator=a_moderator, user=a_user, reason="spam links")
    assert_refused(alice_client.post(delete_url(a_reply), headers=FETCH), 403, BANNED_FOR_SPAM)
    assert not Comment.objects.filter(is_deleted=True).exists()


def test_delete_in_place(alice_client, a_reply):
    response = alice_client.post(delete_url(a_reply), headers=FETCH)
    assert response.json() == {"deleted": a_reply.pk}
    assert Comment.objects.get(pk=a_reply.pk).is_deleted


# Plain requests (no script) keep their pages.


def test_plain_refusals_keep_their_pages(carl_client, a_thread, a_comment):
    response = carl_client.post(reply_url(a_comment), {"body": "let me in"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert BANNED_FOR_SPAM in response.content.decode()


def test_plain_bad_vote_is_a_400_that_says_why(alice_client, a_comment):
    response = alice_client.post(vote_url(a_comment), {"value": "sideways"})
    assert response.status_code == 400
    assert response.content.decode() == services.BAD_VOTE_VALUE


# Banned members see why instead of forms.


def test_banned_member_sees_notice_instead_of_forms(client, a_thread, a_moderator):
    dan = make_user("dan")
    own = make_comment(a_thread, author=dan, body="written before the ban")
    services.user_ban(moderator=a_moderator, user=dan, reason="spam links")
    client.force_login(dan)

    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert "You can't comment while you are banned permanently." in page
    assert top_reply_url(a_thread) not in page

    page = client.get(reverse("threads:thread-create")).content.decode()
    assert "You can't start a thread while you are banned permanently." in page
    assert 'name="title"' not in page

    page = client.get(reverse("threads:comment-edit", args=[own.pk])).content.decode()
    assert "You can't edit while you are banned permanently." in page
    assert "<textarea" not in page

    page = client.get(delete_url(own)).content.decode()
    assert "You can't delete while you are banned permanently." in page
    assert '<form method="post"><input' not in page and ">Delete</button>" not in page

    services.user_unban(moderator=a_moderator, user=dan)
    assert ">Delete</button>" in client.get(delete_url(own)).content.decode()
    assert (
        "<textarea" in client.get(reverse("threads:comment-edit", args=[own.pk])).content.decode()
    )


def test_members_see_the_forms(alice_client, a_thread):
    page = alice_client.get(a_thread.get_absolute_url()).content.decode()
    assert "You can't comment while" not in page
    assert f'action="{top_reply_url(a_thread)}"' in page
    assert 'name="title"' in alice_client.get(reverse("threads:thread-create")).content.decode()


# Delete without the script: a link to a page that asks first.


def test_delete_asks_on_a_page_first(alice_client, a_thread, a_comment, a_reply):
    page = alice_client.get(a_thread.get_absolute_url()).content.decode()
    assert f'<a class="delete-link" href="{delete_url(a_reply)}">delete</a>' in page
    assert f'action="{delete_url(a_reply)}"' not in page  # no one-click form

    confirm = alice_client.get(delete_url(a_reply))
    assert confirm.status_code == 200
    assert "Delete this comment?" in confirm.content.decode()
    assert "a reply" in confirm.content.decode()  # you see what you are deleting
    assert not Comment.objects.get(pk=a_reply.pk).is_deleted

    response = alice_client.post(delete_url(a_reply))
    assert response.status_code == 302
    assert response["Location"] == f"{a_thread.get_absolute_url()}#c{a_reply.pk}"
    stored = Comment.objects.get(pk=a_reply.pk)
    assert (stored.is_deleted, stored.body) == (True, "")


def test_delete_page_never_shows_removed_text(client, a_thread, a_comment, a_moderator):
    mine = make_comment(a_thread, author=a_comment.author, body="secret insult")
    services.comment_remove(moderator=a_moderator, comment=mine, reason="insult")
    client.force_login(a_comment.author)
    response = client.get(delete_url(mine))
    assert response.status_code == 403
    assert "secret insult" not in response.content.decode()
    assert escape(services.COMMENT_REMOVED) in response.content.decode()


# "(N replies hidden)" is the server's count of every reply, shown or not.


def test_hidden_count_counts_replies_not_on_the_page(client, a_thread):
    chain = [make_comment(a_thread)]
    for _ in range(11):
        chain.append(make_comment(a_thread, parent=chain[-1]))
    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert f'id="c{chain[8].pk}"' not in page  # past the display depth: "continue this thread"
    top = page[page.index(f'id="c{chain[0].pk}"') :]
    assert '<span class="hidden-count">(11 replies hidden)</span>' in top
