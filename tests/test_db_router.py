"""The database router's choices, without a replica running (tests/replica/ uses a real one).

``replica_configured`` is switched on and off here instead of editing DATABASES, which
Django reads once; the router and the middleware ask it on every call.
"""

import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from threads import db_router, limits
from threads.db_router import PrimaryReplicaRouter, ReadYourWritesMiddleware
from threads.models import Comment, Thread

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


@pytest.fixture
def without_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)


def test_without_a_replica_everything_goes_to_the_primary(without_replica):
    assert router.db_for_read(Comment) == "default"
    assert router.db_for_write(Comment) == "default"


def test_only_reads_inside_a_page_request_go_to_the_replica(with_replica):
    """Management commands, migrations and the shell read the primary."""
    assert router.db_for_read(Thread) == "default"
    with db_router.replica_reads():
        assert router.db_for_read(Thread) == "replica"
        assert router.db_for_write(Thread) == "default"
    assert router.db_for_read(Thread) == "default"


def test_reads_inside_primary_go_to_the_primary_and_only_there(with_replica):
    with db_router.replica_reads():
        with db_router.primary():
            assert router.db_for_read(Comment) == "default"
        assert router.db_for_read(Comment) == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(with_replica):
    """A service reads, locks and writes in one transaction: a read from a replica that
    lags would act on old rows."""
    with db_router.replica_reads():
        assert router.db_for_read(Comment) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Comment) == "default"
        assert router.db_for_read(Comment) == "replica"


def test_the_replica_gets_no_migrations():
    assert router.allow_migrate("replica", "threads") is False
    assert router.allow_migrate("default", "threads") is True


def recording_view(seen):
    def view(request):
        seen.append(router.db_for_read(Comment))
        return HttpResponse("ok")

    return view


def run(request):
    seen = []
    response = ReadYourWritesMiddleware(recording_view(seen))(request)
    return seen[0], response


def test_a_post_reads_from_the_primary_and_pins_the_browser_for_a_few_seconds(with_replica):
    before = time.time()
    db, response = run(RequestFactory().post("/c/1/reply/", {"body": "hi"}))
    assert db == "default"
    cookie = response.cookies[db_router.PIN_COOKIE]
    assert cookie["max-age"] == limits.READ_YOUR_WRITES_SECONDS
    assert cookie["httponly"] is True
    assert before + limits.READ_YOUR_WRITES_SECONDS - 0.01 < float(cookie.value)
    assert float(cookie.value) < time.time() + limits.READ_YOUR_WRITES_SECONDS + 0.01


def test_a_browser_that_wrote_lately_reads_from_the_primary(with_replica):
    request = RequestFactory().get("/")
    request.COOKIES[db_router.PIN_COOKIE] = str(time.time() + 3)
    db, response = run(request)
    assert db == "default"
    assert db_router.PIN_COOKIE not in response.cookies  # a read does not extend the pin


@pytest.mark.parametrize("cookie", [None, "", "not-a-time", str(time.time() - 1)])
def test_other_readers_read_from_the_replica(with_replica, cookie):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[db_router.PIN_COOKIE] = cookie
    db, response = run(request)
    assert db == "replica"
    assert db_router.PIN_COOKIE not in response.cookies


def test_without_a_replica_the_middleware_sets_no_cookie(without_replica):
    db, response = run(RequestFactory().post("/c/1/reply/", {"body": "hi"}))
    assert db == "default"
    assert db_router.PIN_COOKIE not in response.cookies
