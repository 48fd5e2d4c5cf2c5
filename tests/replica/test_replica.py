"""Pages and writes against a real primary and streaming replica, read-your-writes included.

The replica's replay is paused while a test writes, so the replica lags for as long as the
test needs: what a reader sees then shows which database the page was read from.
"""

import time

import pytest
from django.db import connections
from django.db.utils import InternalError

from tests.factories import make_comment, make_thread, make_user
from tests.replica.conftest import DATABASES, caught_up
from threads import db_router
from threads.models import Comment

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases=DATABASES)]


def one(alias: str, sql: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_the_replica_is_a_read_only_standby_holding_the_test_database(replica):
    assert one("replica", "SELECT pg_is_in_recovery()") is True
    assert one("default", "SELECT pg_is_in_recovery()") is False
    for question, same in (("current_database()", True), ("inet_server_port()", False)):
        answers = {one(alias, f"SELECT {question}") for alias in ("default", "replica")}
        assert (len(answers) == 1) is same, answers
    with pytest.raises(InternalError, match="read-only transaction"):
        one("replica", "INSERT INTO threads_thread (title) VALUES ('x') RETURNING 1")


@pytest.fixture
def a_discussion(replica):
    """A thread with one comment, replicated; bob is logged in (his session replicated)."""
    thread = make_thread(author=make_user("alice"), title="Primary and replica")
    comment = make_comment(thread, author=make_user("carol"), body="the first word")
    return thread, comment


def logged_in(client, username: str):
    client.force_login(make_user(username))
    caught_up()  # his session row is on the replica too
    return client


def test_a_members_page_is_read_from_the_replica(a_discussion, replica, client):
    thread, comment = a_discussion
    reader = logged_in(client, "carl")  # has written nothing: not pinned to the primary
    replica.pause()
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>changed on the primary</p>")
    page = reader.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert "the first word" in page.text  # the replica has not seen the change yet
    assert "changed on the primary" not in page.text
    replica.resume()
    page = reader.get(f"{thread.get_absolute_url()}?sort=new")
    assert "changed on the primary" in page.text


def test_an_anonymous_page_is_rendered_from_the_primary_for_the_page_cache(
    a_discussion, replica, client
):
    """A cached copy is stored under the thread's newest version: rendered from a lagging
    replica it would hold an older state under that version for its whole life."""
    thread, comment = a_discussion
    replica.pause()
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>changed on the primary</p>")
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert "changed on the primary" in page.text


def test_a_member_sees_their_own_reply_while_the_replica_lags(
    a_discussion, replica, client, django_user_model
):
    from django.test import Client

    thread, comment = a_discussion
    member = logged_in(client, "bob")
    other = logged_in(Client(), "carl")
    replica.pause()
    answer = member.post(f"/c/{comment.pk}/reply/", {"body": "my own reply"})
    assert answer.status_code == 302
    assert float(answer.cookies[db_router.PIN_COOKIE].value) > time.time()

    assert "my own reply" in member.get(thread.get_absolute_url()).text
    assert "my own reply" not in other.get(thread.get_absolute_url()).text  # the replica

    # Once the pin runs out the member reads the replica again: a lag longer than
    # limits.READ_YOUR_WRITES_SECONDS would hide their reply from them.
    member.cookies[db_router.PIN_COOKIE] = str(time.time() - 1)
    assert "my own reply" not in member.get(thread.get_absolute_url()).text

    replica.resume()
    assert "my own reply" in Client().get(thread.get_absolute_url()).text
    assert Comment.objects.filter(body="my own reply", parent=comment).count() == 1


def test_a_vote_counts_for_its_voter_at_once(a_discussion, replica, client):
    thread, comment = a_discussion
    member = logged_in(client, "bob")
    replica.pause()
    answer = member.post(
        f"/c/{comment.pk}/vote/", {"value": "1"}, headers={"x-requested-with": "fetch"}
    )
    assert answer.json() == {"vote": 1, "score": 1, "shown": "1 point"}
    assert Comment.objects.using("default").get(pk=comment.pk).score == 1
    assert Comment.objects.using("replica").get(pk=comment.pk).score == 0  # still behind
    replica.resume()
    assert Comment.objects.using("replica").get(pk=comment.pk).score == 1


def test_logging_in_holds_while_the_replica_lags(a_discussion, replica, client):
    """The new session row is only on the primary: the pin makes the next page find it."""
    thread, _ = a_discussion
    make_user("dora")
    replica.pause()
    answer = client.post("/accounts/login/", {"username": "dora", "password": "pw-for-tests-1"})
    assert answer.status_code == 302
    page = client.get(thread.get_absolute_url())
    assert page.context["user"].username == "dora"
