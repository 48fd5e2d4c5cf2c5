"""The benchmark's quick mode runs in the suite, so the command cannot rot; and it never
harms data it did not make: it refuses a database holding any, unless forced, and then
removes exactly what it made."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import make_user
from threads import benchmark, services
from threads.models import Comment, Thread, Vote

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row a benchmark run writes to, with the numbers it could disturb."""
    return {
        "threads": sorted(Thread.objects.values_list("pk", "source", "comment_count", "score")),
        "comments": sorted(
            Comment.objects.values_list("pk", "tree_id", "lft", "rght", "descendant_count")
        ),
        "users": sorted(get_user_model().objects.values_list("pk", "username")),
        "votes": sorted(Vote.objects.values_list("pk", "user_id", "comment_id", "thread_id")),
        "sessions": sorted(Session.objects.values_list("session_key", flat=True)),
    }


EMPTY = {"threads": [], "comments": [], "users": [], "votes": [], "sessions": []}


def test_quick_benchmark_prints_one_row_per_size_and_leaves_an_empty_database_empty():
    out = StringIO()
    call_command("benchmark", "--quick", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["comments", "import"]
    for column in ("peak MB", "page/floor", "reply ms", "vote ms"):
        assert column in lines[0]
    rows = [line.split() for line in lines[2:4]]
    assert [row[0] for row in rows] == ["20", "300"]
    assert lines[4].startswith("Benchmarked 2 thread sizes in ")
    queries = 4  # comments, import s, peak MB, page ms, queries
    assert rows[0][queries] == rows[1][queries]  # constant per page
    assert snapshot() == EMPTY


def test_refuses_a_database_with_threads_and_users_it_did_not_make(a_thread, a_reply):
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("benchmark", "--quick", stdout=StringIO())
    assert str(refused.value) == (
        f"The database {connection.settings_dict['NAME']} holds 1 thread and 2 users that "
        "the benchmark did not make, and it writes into the database it measures: point "
        "DATABASE_URL at an empty database, or pass --force (make bench ARGS=--force) to run "
        "beside them (it removes only what it made)."
    )
    assert snapshot() == before


def test_refuses_a_database_with_only_an_account_in_it():
    make_user("benchmark-viewer")  # the name earlier versions deleted by
    with pytest.raises(CommandError, match=r"holds 1 user that the benchmark did not make"):
        call_command("benchmark", "--quick", stdout=StringIO())
    assert get_user_model().objects.filter(username="benchmark-viewer").exists()


def test_forced_run_keeps_every_foreign_row_and_removes_all_of_its_own(
    client, a_thread, a_reply, another_user
):
    make_user("benchmark-viewer")
    services.vote_cast(user=another_user, item=a_thread, value=1)
    client.force_login(another_user)  # someone's session
    before = snapshot()
    out = StringIO()
    call_command("benchmark", "--quick", "--force", "--repeat", "5", stdout=out)
    assert out.getvalue().splitlines()[4].startswith("Benchmarked 2 thread sizes in ")
    assert snapshot() == before


def test_a_failing_run_still_removes_what_it_made(monkeypatch):
    def broken(*args):
        raise RuntimeError("the reply timing broke")

    monkeypatch.setattr(benchmark, "_reply_ms", broken)
    with pytest.raises(RuntimeError, match="the reply timing broke"):
        call_command("benchmark", "--quick", "--repeat", "5", stdout=StringIO())
    assert snapshot() == EMPTY


def test_sizes_and_repeats_are_checked():
    with pytest.raises(CommandError, match="--repeat must be at least 5"):
        call_command("benchmark", "--repeat", "3", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 2 comments"):
        call_command("benchmark", "--sizes", "1", stdout=StringIO())


@pytest.fixture
def small_load_test(monkeypatch):
    """``make loadtest``'s seed with one small thread and two members."""
    from tests.load import run

    monkeypatch.setattr(run, "SIZES", {10: 1})
    monkeypatch.setattr(run, "MEMBERS", 2)
    return run


def test_load_test_refuses_a_database_it_did_not_make(small_load_test, a_reply, tmp_path, capsys):
    before = snapshot()
    assert small_load_test.seed(str(tmp_path / "plan.json"), force=False) == 2
    assert capsys.readouterr().err.endswith(
        "that the load test did not make, and it writes into the database it measures: point "
        "DATABASE_URL at an empty database, or pass --force (make loadtest ARGS=--force) to "
        "run beside them (it removes only what it made).\n"
    )
    assert snapshot() == before
    assert not (tmp_path / "plan.json").exists()


def test_forced_load_test_seeds_members_without_passwords_and_removes_all_it_made(
    small_load_test, client, a_thread, a_reply, another_user, tmp_path
):
    client.force_login(another_user)
    before = snapshot()
    plan = tmp_path / "plan.json"
    assert small_load_test.seed(str(plan), force=True) == 0
    members = get_user_model().objects.exclude(pk__in=[pk for pk, _ in before["users"]])
    assert members.count() == 2
    assert not any(member.has_usable_password() for member in members)
    member = members.first()
    services.comment_create(author=member, thread=Thread.objects.latest("pk"), body="load")
    assert snapshot() != before
    assert small_load_test.cleanup(str(plan)) == 0
    assert snapshot() == before
