"""The stored hot rank: set when a thread is made, refreshed by votes, comments and
imports, and by ``rerank`` as time decays it; the front page reads it in one query."""

import dataclasses
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.factories import make_comment, make_thread, make_user
from threads import page_cache, selectors, services
from threads.importers.synthetic import synthetic_parsed_thread
from threads.models import Thread
from threads.sorting import hot_rank

pytestmark = pytest.mark.django_db


def stored_rank(thread) -> float:
    return Thread.objects.get(pk=thread.pk).hot_rank


def test_a_new_thread_is_ranked_as_it_is_made(db):
    thread = services.thread_create(author=make_user(), title="Fresh")
    assert stored_rank(thread) == pytest.approx(
        hot_rank(0, thread.created_at, timezone.now()), rel=1e-3
    )


def test_a_vote_on_the_thread_refreshes_its_rank(db):
    thread = make_thread(title="Voted", created_at=timezone.now() - timedelta(hours=5))
    before = stored_rank(thread)
    services.vote_cast(user=make_user(), item=thread, value=1)
    after = stored_rank(thread)
    assert after == pytest.approx(hot_rank(1, thread.created_at, timezone.now()), rel=1e-3)
    assert after > before * 0.99  # one more vote outweighs the moment since it was made
    services.vote_cast(user=make_user(), item=thread, value=-1)
    services.vote_cast(user=make_user(), item=thread, value=-1)
    assert stored_rank(thread) < after


def test_a_comment_refreshes_its_threads_rank_to_now(db):
    thread = make_thread(title="Aging", created_at=timezone.now() - timedelta(hours=30))
    Thread.objects.filter(pk=thread.pk).update(hot_rank=9999.0)  # as of long ago
    make_comment(thread)
    assert stored_rank(thread) == pytest.approx(
        hot_rank(0, thread.created_at, timezone.now()), rel=1e-3
    )


def test_an_import_ranks_by_the_sources_score(db):
    parsed = synthetic_parsed_thread(comments=3, source="rank:import")
    thread = services.thread_import(parsed=dataclasses.replace(parsed, score=50)).thread
    assert stored_rank(thread) == pytest.approx(
        hot_rank(50, thread.created_at, timezone.now()), rel=1e-3
    )
    services.thread_import(parsed=dataclasses.replace(parsed, score=5000))
    assert stored_rank(thread) > hot_rank(1000, thread.created_at, timezone.now())


def test_rerank_decays_recent_threads_and_leaves_old_ones(db):
    now = timezone.now()
    recent = make_thread(title="recent", created_at=now - timedelta(hours=2), score=10)
    old = make_thread(title="old", created_at=now - timedelta(days=30), score=10)
    later = now + timedelta(hours=3)
    old_rank = stored_rank(old)
    assert services.threads_rerank(now=later) == (1, 1)
    assert stored_rank(recent) == pytest.approx(hot_rank(10, recent.created_at, later))
    assert stored_rank(old) == old_rank
    assert services.threads_rerank(now=later) == (1, 0)  # nothing moved: nothing written


def test_rerank_changes_the_hot_order_as_threads_age(db):
    now = timezone.now()
    busy = make_thread(title="busy", created_at=now - timedelta(hours=10), score=1000)
    fresh = make_thread(title="fresh", created_at=now, score=0)
    services.threads_rerank(now=now)  # a newcomer's 1,370 beats a busy morning's 342
    assert list(selectors.thread_ids_by("hot")) == [fresh.pk, busy.pk]
    services.threads_rerank(now=now + timedelta(hours=24))  # a day on: 14 against 53
    assert list(selectors.thread_ids_by("hot")) == [busy.pk, fresh.pk]


def test_rerank_retires_the_cached_front_page(db):
    thread = make_thread(title="cached", created_at=timezone.now() - timedelta(hours=1))
    Client().get("/")
    assert Client().get("/")[page_cache.HEADER] == "hit"
    services.threads_rerank(now=timezone.now() + timedelta(minutes=10))
    assert Client().get("/")[page_cache.HEADER] == "miss"
    assert thread.title in Client().get("/").content.decode()


def run(*args) -> str:
    out = StringIO()
    call_command("rerank", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rerank_command_says_what_it_did(db):
    now = timezone.now()
    thread = make_thread(title="one", created_at=now - timedelta(hours=1))
    make_thread(title="ancient", created_at=now - timedelta(days=40))
    Thread.objects.filter(pk=thread.pk).update(hot_rank=1.0)
    assert run("--dry-run") == "Would re-rank 1 of 1 thread from the last 7 days.\n"
    assert stored_rank(thread) == 1.0
    assert run() == "Re-ranked 1 of 1 thread from the last 7 days.\n"
    assert stored_rank(thread) > 1.0
    assert run("--days", "60") == "Re-ranked 2 of 2 threads from the last 60 days.\n"


def test_rerank_command_refuses_a_window_under_a_day(db):
    with pytest.raises(CommandError, match="--days must be at least 1, not 0."):
        run("--days", "0")


def test_front_page_beyond_the_last_page_is_empty_and_bad_numbers_read_as_one(db):
    make_thread(title="only")
    for number in ("abc", "-3", None, "1"):
        front = selectors.front_page("hot", page_number=number)
        assert [t.title for t in front.threads] == ["only"] and front.page.number == 1
    beyond = selectors.front_page("new", page_number=7)
    assert beyond.threads == [] and beyond.page.has_previous() and not beyond.page.has_next()
    assert selectors.front_page("new", page_number="9" * 30).page.number == 1_000_000


def test_rerank_every_keeps_re_ranking_until_stopped(db, monkeypatch):
    make_thread(title="one", created_at=timezone.now() - timedelta(hours=1))
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            raise KeyboardInterrupt  # what stopping the server does

    monkeypatch.setattr("threads.management.commands.rerank.time.sleep", sleep)
    monkeypatch.setattr("threads.management.commands.rerank.close_old_connections", lambda: None)
    out = StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("rerank", "--every", "600", stdout=out)
    assert slept == [600, 600, 600]
    assert out.getvalue().count("Re-ranked ") == 3


def test_rerank_every_refuses_less_than_a_second(db):
    with pytest.raises(CommandError, match="--every must be at least 1 second, not 0."):
        run("--every", "0")
