"""A thread takes new comments, votes and comment edits only while it is open: a lock, a
moderator's removal and its author's delete each close it. One walk over every write
path and every page that offers those writes, for each way of closing, so no path can
forget one of them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import make_user
from threads import presentation, services
from threads.models import Comment, Thread, Vote

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}

CLOSED = {
    "locked": presentation.THREAD_LOCKED,
    "removed": presentation.THREAD_REMOVED,
    "deleted": presentation.THREAD_DELETED,
}


@pytest.fixture(params=sorted(CLOSED))
def closed(request, a_thread, a_comment, a_moderator):
    """alice's thread with bob's comment, closed one way; the words that say so."""
    how = request.param
    if how == "locked":
        services.thread_lock(moderator=a_moderator, thread=a_thread)
    elif how == "removed":
        services.thread_remove(moderator=a_moderator, thread=a_thread, reason="off topic")
    else:
        services.thread_delete(user=a_thread.author, thread=a_thread)
    return Thread.objects.get(pk=a_thread.pk), CLOSED[how]


def write_attempts(thread, comment):
    return [
        (reverse("threads:thread-reply", args=[thread.pk]), {"body": "too late"}),
        (reverse("threads:comment-reply", args=[comment.pk]), {"body": "too late"}),
        (reverse("threads:comment-vote", args=[comment.pk]), {"value": "1"}),
        (reverse("threads:thread-vote", args=[thread.pk]), {"value": "-1"}),
    ]


def assert_nothing_written(thread, comment_count):
    assert not Comment.objects.filter(body="too late").exists()
    assert not Vote.objects.exists()
    fresh = Thread.objects.get(pk=thread.pk)
    assert (fresh.comment_count, fresh.score) == (comment_count, 0)
    assert Comment.objects.get(pk=Comment.objects.first().pk).score == 0


def test_the_script_hears_why(client, closed, a_comment):
    thread, words = closed
    client.force_login(make_user("reader"))
    for url, data in write_attempts(thread, a_comment):
        response = client.post(url, data, headers=FETCH)
        assert response.status_code == 403, url
        assert response.json() == {"error": words}, url
    assert_nothing_written(thread, 1)


def test_plain_forms_say_why(client, closed, a_comment):
    thread, words = closed
    client.force_login(make_user("reader"))
    for url, data in write_attempts(thread, a_comment):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert words in response.content.decode(), url
    assert_nothing_written(thread, 1)


def test_services_refuse(closed, a_comment):
    thread, words = closed
    reader = make_user("reader")
    attempts = [
        lambda: services.comment_create(author=reader, thread=thread, body="too late"),
        lambda: services.comment_create(
            author=reader, thread=thread, body="too late", parent=a_comment
        ),
        lambda: services.vote_cast(user=reader, item=a_comment, value=1),
        lambda: services.vote_cast(user=reader, item=thread, value=-1),
        lambda: services.comment_edit(user=a_comment.author, comment=a_comment, body="too late"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match=words):
            attempt()
    assert_nothing_written(thread, 1)
    assert Comment.objects.get(pk=a_comment.pk).body == a_comment.body


def test_the_author_may_still_delete_their_comment(closed, a_comment):
    services.comment_delete(user=a_comment.author, comment=a_comment)
    assert Comment.objects.get(pk=a_comment.pk).is_deleted


def test_pages_offer_no_writes_and_say_why(client, closed, a_comment):
    thread, words = closed
    client.force_login(make_user("reader"))
    pages = [
        reverse("threads:thread-detail", args=[thread.pk, thread.url_slug]),
        reverse("threads:thread-detail", args=[thread.pk, thread.url_slug])
        + f"?reply={a_comment.pk}",
        reverse("threads:comment-detail", args=[a_comment.pk]),
        reverse("threads:comment-reply", args=[a_comment.pk]),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert words in html, url
        assert "<textarea" not in html or "readonly" in html, url
        assert 'name="value"' not in html, url  # no vote arrows
        assert "reply-link" not in html, url


def test_an_open_thread_offers_them(client, a_thread, a_comment):
    client.force_login(make_user("reader"))
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert 'name="body"' in html and "reply-link" in html and 'name="value"' in html
    for words in CLOSED.values():
        assert words not in html


def test_a_locked_thread_on_the_front_page_has_no_arrows(client, a_thread, a_moderator):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    client.force_login(make_user("reader"))
    html = client.get("/").content.decode()
    assert 'badge locked">locked' in html
    assert f'data-thread-vote="{a_thread.pk}"' not in html
