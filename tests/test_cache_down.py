"""With Redis configured but not answering, no page is a 500: readers and members go on
from the database, and what needs Redis (logging in and out) answers 503 saying to try
again, keeping what was sent (``threads.sessions``, ``threads.cache_down``)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import make_comment, make_thread, make_user
from threads.cache_down import CACHE_DOWN
from threads.models import Comment, Vote

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}
NOBODY_LISTENS = "redis://127.0.0.1:6390/0"  # a port where no Redis runs


@pytest.fixture
def shared_sessions(settings):
    settings.SESSION_ENGINE = "threads.sessions"
    settings.RATE_LIMITS_ENABLED = True
    return settings


def redis_stops(settings):
    settings.CACHES = {
        "default": {"BACKEND": "threads.cache_backend.RedisCache", "LOCATION": NOBODY_LISTENS}
    }


@pytest.fixture
def scene(shared_sessions, real_redis_cache):
    """A thread with carl's comment; alice logged in while Redis answered."""
    thread = make_thread(author=make_user("bob"))
    comment = make_comment(thread, author=make_user("carl"))
    alice = Client(raise_request_exception=False)
    alice.force_login(make_user("alice"))
    return {"thread": thread, "comment": comment, "alice": alice}


def test_readers_read(scene, settings):
    redis_stops(settings)
    reader = Client(raise_request_exception=False)
    for url in ("/", scene["thread"].get_absolute_url(), "/search/?q=thread", "/feed/"):
        assert reader.get(url).status_code == 200, url


def test_members_read_vote_and_reply(scene, settings):
    redis_stops(settings)
    alice, thread, comment = scene["alice"], scene["thread"], scene["comment"]
    assert "alice" in alice.get("/").content.decode()  # still logged in
    vote = alice.post(
        reverse("threads:comment-vote", args=[comment.pk]), {"value": "1"}, headers=FETCH
    )
    assert vote.status_code == 200 and vote.json()["vote"] == 1
    reply = alice.post(reverse("threads:thread-reply", args=[thread.pk]), {"body": "still here"})
    assert reply.status_code == 302
    assert "still here" in alice.get(thread.get_absolute_url()).content.decode()
    assert Vote.objects.count() == 1 and Comment.objects.filter(body="still here").exists()


def test_logging_in_waits_with_a_503_that_says_so(scene, settings):
    redis_stops(settings)
    visitor = Client(raise_request_exception=False)
    response = visitor.post("/accounts/login/", {"username": "alice", "password": "pw-for-tests-1"})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert CACHE_DOWN in response.content.decode()
    assert "_auth_user_id" not in visitor.session


def test_logging_out_waits_and_the_session_stays_whole(scene, settings):
    redis_stops(settings)
    alice = scene["alice"]
    response = alice.post("/accounts/logout/")
    assert response.status_code == 503 and CACHE_DOWN in response.content.decode()
    assert Session.objects.count() == 1  # not ended in the database while the cache holds it
    assert "alice" in alice.get("/").content.decode()


def test_the_script_hears_it_as_json(scene, settings):
    redis_stops(settings)
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": "alice", "password": "x"}, headers=FETCH
    )
    assert response.status_code == 503 and response.json() == {"error": CACHE_DOWN}
