"""The heated-exchange speed limit, in the comment service and as the site answers it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_moderator, make_user
from threads import services
from threads.models import Comment

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def heated(settings):
    """Limits on, replies to the same person in one chain at most every 120 s."""
    settings.RATE_LIMITS_ENABLED = True
    settings.HEATED_REPLY_SECONDS = 120
    return settings


def test_answering_the_same_person_twice_in_a_chain_must_wait(heated, a_thread, a_user):
    bob = make_user("bob")
    first = make_comment(a_thread, author=bob, body="I think so")
    make_comment(a_thread, parent=first, author=a_user, body="no")
    second = make_comment(a_thread, parent=first, author=bob, body="yes")
    with pytest.raises(services.TooFast) as refused:
        services.comment_create(author=a_user, thread=a_thread, parent=second, body="NO")
    assert str(refused.value) == (
        "You answered bob in this conversation a moment ago. Take a breath: "
        "you can reply to them here again in 2 minutes."
    )
    assert 100 < refused.value.retry_after <= 120
    assert not Comment.objects.filter(body="NO").exists()


def test_others_other_chains_and_after_the_interval_are_fine(heated, a_thread, a_user):
    bob, carol = make_user("bob"), make_user("carol")
    first = make_comment(a_thread, author=bob)
    mine = make_comment(a_thread, parent=first, author=a_user)
    make_comment(a_thread, parent=make_comment(a_thread, author=carol), author=a_user)
    make_comment(a_thread, parent=make_comment(a_thread, author=bob), author=a_user)  # new chain
    make_comment(a_thread, parent=mine, author=a_user)  # answering oneself
    Comment.objects.filter(pk=mine.pk).update(created_at=mine.created_at - timedelta(seconds=121))
    Comment.objects.filter(author=a_user).exclude(pk=mine.pk).update(
        created_at=mine.created_at - timedelta(seconds=121)
    )
    make_comment(a_thread, parent=make_comment(a_thread, parent=first, author=bob), author=a_user)


def test_moderators_are_exempt(heated, a_thread):
    mia, bob = make_moderator("mia"), make_user("bob")
    first = make_comment(a_thread, author=bob)
    make_comment(a_thread, parent=first, author=mia)
    make_comment(a_thread, parent=first, author=mia)
    assert Comment.objects.filter(author=mia).count() == 2


def test_the_site_answers_429_with_retry_after_and_the_script_gets_json(
    heated, client, a_thread, a_user
):
    bob = make_user("bob")
    first = make_comment(a_thread, author=bob)
    make_comment(a_thread, parent=first, author=a_user)
    client.force_login(a_user)
    url = reverse("threads:comment-reply", args=[first.pk])
    answer = client.post(url, {"body": "again!"}, **FETCH)
    assert answer.status_code == 429
    assert answer.json()["error"].startswith("You answered bob in this conversation")
    assert 100 < int(answer["Retry-After"]) <= 120
    page = client.post(url, {"body": "again, typed"})
    assert page.status_code == 429
    assert "again, typed</textarea>" in page.content.decode()
    assert Comment.objects.filter(author=a_user).count() == 1


def test_off_when_the_limits_are_off(settings, a_thread, a_user):
    settings.RATE_LIMITS_ENABLED = False
    settings.HEATED_REPLY_SECONDS = 120
    first = make_comment(a_thread, author=make_user("bob"))
    make_comment(a_thread, parent=first, author=a_user)
    make_comment(a_thread, parent=first, author=a_user)
