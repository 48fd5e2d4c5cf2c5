"""Whole pages for anonymous readers: served from the cache, never older than the last
write that changed them (vote counts: never older than the lag), never a member's.

Every test runs on the local-memory cache and on the real Redis (``real_redis_cache``,
a key prefix of its own), and on whichever database the suite runs on (SQLite, and
PostgreSQL in CI).
"""

import dataclasses
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import make_comment, make_moderator, make_superuser, make_thread, make_user
from threads import page_cache, services
from threads.importers.synthetic import synthetic_parsed_thread
from threads.models import Comment

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture(params=["local memory", "redis"])
def backend(request):
    """The cache every page goes through: local memory, then the real Redis."""
    if request.param == "redis":
        return request.getfixturevalue("real_redis_cache")
    return cache


@pytest.fixture
def reader(backend):
    """A reader who is not logged in (no cookies kept between requests)."""
    return Reader()


class Reader:
    """Each request as a new anonymous visitor, so a session never builds up."""

    def get(self, url, **headers):
        response = Client().get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def page(self, url, **headers) -> str:
        return self.get(url, **headers).content.decode()

    def cached(self, url, **headers) -> str:
        """The page, asserting that it came from the cache."""
        self.get(url, **headers)
        response = self.get(url, **headers)
        assert response[page_cache.HEADER] == "hit", url
        return response.content.decode()


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def thread(alice):
    return make_thread(author=alice, title="Cached thread")


@pytest.fixture
def comment(thread, bob):
    return make_comment(thread, author=bob, body="original words")


def thread_pages(thread, comment) -> list[str]:
    """Every page that shows ``comment``: each sort, a batch, the permalink, the feed."""
    url = thread.get_absolute_url()
    return [
        *(f"{url}?sort={sort}" for sort in ("best", "top", "new", "old", "controversial")),
        url,
        reverse("threads:thread-more", args=[thread.pk]),
        reverse("threads:comment-detail", args=[comment.pk]),
        reverse("threads:feed-thread-comments", args=[thread.pk]),
    ]


def test_a_second_anonymous_visit_is_served_from_the_cache(reader, thread, comment):
    url = thread.get_absolute_url()
    assert reader.get(url)[page_cache.HEADER] == "miss"
    hit = reader.get(url)
    assert hit[page_cache.HEADER] == "hit"
    assert "original words" in hit.content.decode()


@pytest.mark.parametrize(
    "write, shows, hides",
    [
        ("reply", "a new reply", None),
        ("edit", "rewritten words", "original words"),
        ("delete", "[deleted]", "original words"),
        ("remove", "[removed by moderator]", "original words"),
        ("restore", "original words", "[removed by moderator]"),
        ("purge", None, "original words"),
        ("lock", None, 'class="reply-link"'),
        ("rerender", "<strong>bold</strong>", "original words"),
        ("account removal", "[deleted]", "original words"),
    ],
)
def test_every_write_shows_on_every_page_of_its_thread(
    reader, thread, comment, bob, write, shows, hides
):
    moderator = make_moderator("mia")
    if write == "restore":
        services.comment_remove(moderator=moderator, comment=comment, reason="spam")
    pages = thread_pages(thread, comment)
    if write == "purge":
        pages = pages[:-2] + pages[-1:]  # the permalink of a purged comment is gone
    before = {url: reader.cached(url) for url in pages}
    assert all("original words" in html or write == "restore" for html in before.values())
    if write == "lock":
        assert any('class="reply-link"' in html for html in before.values())
    {
        "reply": lambda: make_comment(thread, parent=comment, body="a new reply"),
        "edit": lambda: services.comment_edit(user=bob, comment=comment, body="rewritten words"),
        "delete": lambda: services.comment_delete(user=bob, comment=comment),
        "remove": lambda: services.comment_remove(moderator=moderator, comment=comment, reason="x"),
        "restore": lambda: services.comment_restore(moderator=moderator, comment=comment),
        "purge": lambda: services.comment_purge(
            moderator=make_superuser(), comment=comment, reason="illegal"
        ),
        "lock": lambda: services.thread_lock(moderator=moderator, thread=thread),
        "rerender": lambda: (
            Comment.objects.filter(pk=comment.pk).update(body="**bold**"),
            services.bodies_rerender(),
        ),
        "account removal": lambda: services.account_remove(user=bob, by=bob),
    }[write]()
    for url in pages:
        after = reader.page(url)
        if shows and "feed" not in url:  # a feed lists words, not placeholders or badges
            assert shows in after, (write, url)
        if hides:
            assert hides not in after, (write, url)


def test_the_script_batch_is_cached_apart_from_the_page(reader, thread, comment, bob):
    url = reverse("threads:thread-more", args=[thread.pk])
    page = reader.cached(url)
    batch = reader.cached(url, X_Requested_With="fetch")
    assert page.startswith("<!doctype html>") and batch.startswith('{"html"')
    services.comment_edit(user=bob, comment=comment, body="rewritten words")
    assert "rewritten words" in reader.page(url, X_Requested_With="fetch")


def test_new_threads_and_replies_show_on_the_front_page_feed_and_user_pages(
    reader, thread, comment, alice, bob
):
    pages = ["/", "/?sort=new", reverse("threads:feed-threads"), f"/u/{bob.username}/"]
    for url in pages:
        reader.cached(url)
    make_thread(title="placeholder")  # written around the services: no page may know
    services.thread_create(author=bob, title="Brand new thread")
    make_comment(thread, author=bob, body="bob again")
    html = {url: reader.page(url) for url in pages}
    assert "Brand new thread" in html["/"] and "Brand new thread" in html["/?sort=new"]
    assert "Brand new thread" in html[reverse("threads:feed-threads")]
    assert "bob again" in html[f"/u/{bob.username}/"]
    assert "2 comments" in html["/"]


def test_an_import_shows_at_once(reader):
    parsed = synthetic_parsed_thread(comments=5, source="cache:import")
    thread = services.thread_import(parsed=parsed).thread
    url = thread.get_absolute_url()
    assert "locked" not in reader.cached(url)
    services.thread_import(parsed=dataclasses.replace(parsed, is_locked=True))
    assert "This thread is locked" in reader.page(url)


def test_a_ban_and_an_unban_change_the_site_pages(reader, bob):
    moderator = make_moderator("mia")
    reader.cached("/")
    services.user_ban(moderator=moderator, user=bob, reason="spam")
    assert reader.get("/")[page_cache.HEADER] == "miss"
    reader.cached("/")
    services.user_unban(moderator=moderator, user=bob)
    assert reader.get("/")[page_cache.HEADER] == "miss"


def test_other_threads_stay_cached_when_one_changes(reader, thread, comment, bob):
    other = make_thread(title="Untouched")
    reader.cached(other.get_absolute_url())
    services.comment_edit(user=bob, comment=comment, body="rewritten words")
    assert reader.get(other.get_absolute_url())[page_cache.HEADER] == "hit"


def test_vote_counts_lag_by_at_most_the_configured_seconds(
    reader, thread, comment, alice, monkeypatch, settings
):
    settings.PAGE_CACHE_VOTE_LAG = 10
    now = [1_000_000.0]
    monkeypatch.setattr(page_cache, "clock", lambda: now[0])
    url = thread.get_absolute_url()
    score = re.compile(rf'id="c{comment.pk}".*?<span class="score">(-?\d+) point', re.S)
    assert score.search(reader.cached(url)).group(1) == "0"
    services.vote_cast(user=alice, item=comment, value=1)
    now[0] += 9.9  # within the lag: the old count may still show
    response = reader.get(url)
    assert response[page_cache.HEADER] == "hit"
    assert score.search(response.content.decode()).group(1) == "0"
    now[0] += 0.2  # past it: the vote shows
    assert score.search(reader.page(url)).group(1) == "1"


def test_a_thread_vote_shows_on_the_front_page_within_the_lag(
    reader, thread, bob, monkeypatch, settings
):
    settings.PAGE_CACHE_VOTE_LAG = 10
    now = [1_000_000.0]
    monkeypatch.setattr(page_cache, "clock", lambda: now[0])
    reader.cached("/")
    services.vote_cast(user=bob, item=thread, value=1)
    now[0] += 10.1
    assert "1 point by" in reader.page("/")


def test_with_no_lag_a_vote_shows_at_once(reader, thread, comment, alice, settings):
    settings.PAGE_CACHE_VOTE_LAG = 0
    url = reverse("threads:comment-detail", args=[comment.pk])
    reader.cached(url)
    services.vote_cast(user=alice, item=comment, value=1)
    assert reader.get(url)[page_cache.HEADER] == "miss"


def test_the_bump_after_commit_retires_pages_rendered_before_it(
    reader, thread, comment, bob, django_capture_on_commit_callbacks
):
    url = thread.get_absolute_url()
    reader.cached(url)
    with django_capture_on_commit_callbacks() as callbacks:
        services.comment_edit(user=bob, comment=comment, body="rewritten words")
        reader.get(url)  # stored under the token the write set before it committed
    assert reader.get(url)[page_cache.HEADER] == "hit"
    assert callbacks, "the versions must change again once the write commits"
    for callback in callbacks:
        callback()
    assert reader.get(url)[page_cache.HEADER] == "miss"


def test_a_lost_version_token_never_brings_an_old_page_back(reader, thread, comment, bob):
    url = thread.get_absolute_url()
    reader.cached(url)
    cache.delete(f"pc:v:{page_cache.thread_scope(thread.pk)}")  # evicted, say
    assert reader.get(url)[page_cache.HEADER] == "miss"


def test_pages_of_members_are_never_cached(thread, comment, alice, backend):
    member = Client()
    member.force_login(alice)
    url = thread.get_absolute_url()
    Client().get(url)  # an anonymous copy exists
    for _ in range(2):
        response = member.get(url)
        assert page_cache.HEADER not in response
        assert "Log out" in response.content.decode()
    services.vote_cast(user=alice, item=comment, value=1)
    assert 'aria-pressed="true"' in member.get(url).content.decode()


def test_a_reader_with_a_session_is_not_served_or_stored(reader, thread, comment):
    url = thread.get_absolute_url()
    reader.cached(url)
    with_draft = Client()
    with_draft.post(reverse("threads:thread-reply", args=[thread.pk]), {"body": "kept"})
    assert "sessionid" in with_draft.cookies
    assert page_cache.HEADER not in with_draft.get(url)


def test_a_stored_page_holds_no_csrf_token_and_each_reader_gets_a_working_one(
    reader, thread, comment, backend
):
    url = thread.get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    first.get(url)
    stored = _page_keys(backend)
    assert stored
    for key in stored:
        content = backend.get(key.split(":", 2)[2])["content"].decode()
        assert page_cache.CSRF_MARK in content and not TOKEN.search(
            content.replace(f'value="{page_cache.CSRF_MARK}"', "")
        )
    second = Client(enforce_csrf_checks=True)
    response = second.get(url)
    assert response[page_cache.HEADER] == "hit"
    assert "csrftoken" in response.cookies
    token = TOKEN.search(response.content.decode()).group(1)
    assert page_cache.CSRF_MARK not in response.content.decode()
    answer = second.post(
        reverse("threads:comment-reply", args=[comment.pk]),
        {"body": "kept for later", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_a_stored_batch_for_the_script_holds_no_csrf_token_either(reader, thread, comment):
    url = f"{reverse('threads:thread-more', args=[thread.pk])}?reply={comment.pk}"
    first = reader.page(url, X_Requested_With="fetch")
    assert re.search(r'csrfmiddlewaretoken\\" value=\\"\w+', first)  # the form is there
    served = reader.cached(url, X_Requested_With="fetch")
    token = re.search(r'csrfmiddlewaretoken\\" value=\\"(\w+)', served).group(1)
    assert page_cache.CSRF_MARK not in served
    stored = [cache.get(key.split(":", 2)[2]) for key in _page_keys(cache)]
    assert stored and all(token.encode() not in entry["content"] for entry in stored)
    assert any(page_cache.CSRF_MARK.encode() in entry["content"] for entry in stored)


def _page_keys(backend):
    """The stored pages' keys (as the backend spells them, with prefix and version)."""
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):
        return [key for key in backend._cache if ":pc:p:" in key]
    client = backend._cache.get_client(write=False)
    return [key.decode() for key in client.scan_iter(backend.make_key("pc:p:*"))]


def test_responses_that_set_cookies_or_carry_messages_are_not_stored(db):
    request = RequestFactory().get("/")
    request.session = type("Session", (), {"modified": False, "session_key": None})()
    assert page_cache.storable_response(request, HttpResponse("page"))
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("seen", "1")
    assert not page_cache.storable_response(request, with_cookie)
    assert not page_cache.storable_response(request, HttpResponse("gone", status=404))
    request.session.modified = True
    assert not page_cache.storable_response(request, HttpResponse("page"))


def test_requests_with_a_message_cookie_are_not_served_from_the_cache(reader, thread):
    url = thread.get_absolute_url()
    reader.cached(url)
    browser = Client()
    browser.cookies["messages"] = "anything"
    assert page_cache.HEADER not in browser.get(url)


def test_an_unknown_comment_is_a_404_not_a_cached_page(reader):
    assert Client().get(reverse("threads:comment-detail", args=[987654])).status_code == 404
    assert Client().get(reverse("threads:comment-more", args=[987654])).status_code == 404


def test_account_removal_of_a_voter_clears_their_name_everywhere(reader, thread, comment, bob):
    url = f"/u/{bob.username}/"
    reader.cached(url)
    services.account_remove(user=bob, by=bob)
    assert not get_user_model().objects.filter(username="bob").exists()
    assert Client().get(url).status_code == 404


def test_sessions_are_shared_by_every_app_server_never_kept_in_one():
    """In the database, read through Redis when it is there; never local memory or files."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = "import django; django.setup(); from django.conf import settings; "
    probe += "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    root = Path(__file__).resolve().parent.parent
    seen = {}
    for redis_url in ("", "redis://127.0.0.1:6379/0"):
        out = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True, text=True, cwd=root, check=True,
            env={**base, "DJANGO_SETTINGS_MODULE": "forum.settings", "REDIS_URL": redis_url},
        )  # fmt: skip
        seen[redis_url] = out.stdout.split()
    assert seen[""] == [
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    assert seen["redis://127.0.0.1:6379/0"] == [
        "threads.sessions",
        "threads.cache_backend.RedisCache",
    ]


@pytest.mark.parametrize("write", ["edit", "delete", "remove", "restore", "pin", "unpin", "purge"])
def test_thread_writes_show_on_its_page_and_the_front_page(reader, thread, comment, alice, write):
    moderator = make_moderator("mia")
    if write == "restore":
        services.thread_remove(moderator=moderator, thread=thread, reason="spam")
    if write == "unpin":
        services.thread_pin(moderator=moderator, thread=thread)
    url = thread.get_absolute_url()
    before_page, before_front = reader.cached(url), reader.cached("/")
    assert ("Cached thread" in before_front) == (write != "restore")
    assert ('class="badge pinned"' in before_front) == (write == "unpin")
    {
        "edit": lambda: services.thread_edit(user=alice, thread=thread, body="an edited body"),
        "delete": lambda: services.thread_delete(user=alice, thread=thread),
        "remove": lambda: services.thread_remove(moderator=moderator, thread=thread, reason="x"),
        "restore": lambda: services.thread_restore(moderator=moderator, thread=thread),
        "pin": lambda: services.thread_pin(moderator=moderator, thread=thread),
        "unpin": lambda: services.thread_unpin(moderator=moderator, thread=thread),
        "purge": lambda: services.thread_purge(
            moderator=make_superuser(), thread=thread, reason="illegal"
        ),
    }[write]()
    front = reader.page("/")
    if write in ("delete", "remove", "purge"):
        assert "Cached thread" not in front
    if write == "restore":
        assert "Cached thread" in front
    if write == "pin":
        assert 'class="badge pinned"' in front
    if write == "unpin":
        assert 'class="badge pinned"' not in front
    if write == "purge":
        assert Client().get(url).status_code == 404
        return
    after = Client().get(url, follow=True).content.decode()

    def without_tokens(html):  # each response carries its reader's own token
        return TOKEN.sub("", html)

    assert without_tokens(after) != without_tokens(before_page)
    if write == "edit":
        assert "an edited body" in after


def test_the_redis_backend_keeps_one_client_and_is_djangos_otherwise(settings, real_redis_cache):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {**settings.CACHES["default"], "BACKEND": "threads.cache_backend.RedisCache"}
    }
    backend = caches["default"]
    backend.set("reused", 1)
    assert backend.get("reused") == 1 and backend.get_many(["reused"]) == {"reused": 1}
    assert backend._cache.get_client() is backend._cache.get_client()
    assert backend._cache.get_client(write=True) is backend._cache.get_client(write=True)
    backend.delete("reused")


def test_a_copy_is_rendered_from_the_primary(reader, thread, monkeypatch):
    """With a read replica, a copy made from rows a moment behind would be stored under
    the newest versions; misses render inside db_router.primary()."""
    from contextlib import contextmanager

    from threads import db_router

    pinned = []
    real = db_router.primary

    @contextmanager
    def primary():
        pinned.append(True)
        with real():
            yield

    monkeypatch.setattr(db_router, "primary", primary)
    url = thread.get_absolute_url()
    assert reader.get(url)[page_cache.HEADER] == "miss" and pinned == [True]
    assert reader.get(url)[page_cache.HEADER] == "hit" and pinned == [True]
