"""A comment whose source hides its score reads "score hidden" on every page that shows a
comment's score, and a vote on it does not reveal it: one walk over all of them."""

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_user
from threads.models import Comment

pytestmark = pytest.mark.django_db

SECRET = "37 points"


@pytest.fixture
def hidden(a_thread, a_user, another_user):
    """bob's comment with a hidden score of 37, under a parent with a hidden score too,
    and a reply to it (so it shows as context on the reply's permalink)."""
    parent = make_comment(a_thread, author=another_user, body="zanzibar parent words")
    comment = make_comment(a_thread, author=another_user, parent=parent, body="zanzibar words")
    reply = make_comment(a_thread, author=a_user, parent=comment, body="an answer")
    Comment.objects.filter(pk__in=[parent.pk, comment.pk]).update(
        is_score_hidden=True, score=37, upvotes=37
    )
    return comment, reply


def test_no_page_shows_the_hidden_score(client, a_thread, hidden):
    comment, reply = hidden
    client.force_login(make_user("reader"))
    pages = [
        a_thread.get_absolute_url(),
        a_thread.get_absolute_url() + "?sort=top",
        reverse("threads:comment-detail", args=[comment.pk]),
        reverse("threads:comment-detail", args=[reply.pk]),  # the two as context above it
        reverse("threads:user-detail", args=[comment.author.username]),
        reverse("threads:search") + "?q=zanzibar",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "zanzibar" in html or "/u/" in url, url
        assert SECRET not in html, url
        assert "score hidden" in html, url


def test_a_vote_does_not_reveal_it(client, hidden):
    comment, _ = hidden
    client.force_login(make_user("reader"))
    response = client.post(
        reverse("threads:comment-vote", args=[comment.pk]),
        {"value": "1"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert response.json()["shown"] == "score hidden"


def test_a_shown_score_is_points_in_the_vote_answer(client, a_comment, a_thread):
    client.force_login(make_user("reader"))
    fetch = {"X-Requested-With": "fetch"}
    comment_vote = client.post(
        reverse("threads:comment-vote", args=[a_comment.pk]), {"value": "1"}, headers=fetch
    )
    assert comment_vote.json() == {"vote": 1, "score": 1, "shown": "1 point"}
    thread_vote = client.post(
        reverse("threads:thread-vote", args=[a_thread.pk]), {"value": "1"}, headers=fetch
    )
    assert thread_vote.json() == {"vote": 1, "score": 1, "shown": "1"}
