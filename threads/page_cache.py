"""Whole pages for readers who are not logged in, from Django's cache (Redis when
``REDIS_URL`` is set), and the versions that keep them right.

THE RULE: every write that changes what a page shows calls one of these, in or after
its transaction (the bump waits for the commit, ``transaction.on_commit``):

- ``thread_changed(thread_id)``: the thread's pages (every sort, "load more" batches,
  permalinks, its feed) and the site's (front page, new-threads feed, user pages):
  a reply, an edit, a delete, a removal or restore, a lock, a pin, an import, a
  thread's edit, delete, purge or removal (a thread's new title or state, any change
  to one thread's comments);
- ``votes_changed(thread_id)``: a vote moved counts on the thread; pages may show the
  old counts for up to ``settings.PAGE_CACHE_VOTE_LAG`` seconds (default 10);
- ``site_changed()``: the site's pages only (a ban, a re-rank);
- ``everything_changed()``: every page (account removal, re-rendered bodies, a change of
  a member's shown name: anything that touches many threads at once).

Writes that no anonymous page shows (reports, email, settings, the inbox) call nothing.
Tests: ``tests/test_page_cache.py`` reads an anonymous page before and after each write.

How it stays right: a page's copy carries the version tokens of what it shows (the
everything-epoch, and the thread's or the site's token), read before the page was
rendered, and is served only while they are the current ones (one round trip reads the
tokens and the copy); a write replaces the token after its commit, so no reader gets a
copy made before it. A missing token (evicted, or a fresh cache) is replaced by a new one, never
assumed, so an evicted token cannot bring back an old copy. Votes have their own token,
kept in the copy instead: a copy made before the last vote is served only while it is
younger than the lag.

A copy is rendered from the primary database (``db_router.primary()``), never from a
read replica that may be behind the write whose version it would carry.

What is never cached: requests that carry a session or messages cookie (members, and
anonymous readers holding a draft or a message), anything but a 200 to GET, and
responses whose view touched the session, queued a message or set a cookie. A stored
copy holds no CSRF token: each ``csrfmiddlewaretoken`` value is replaced by a marker,
and each reader served from the cache gets their own token put back in its place.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections import Counter
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

from threads import db_router

log = logging.getLogger(__name__)

EVERYTHING = "pc:v:all"
SITE = "site"
# The token's field, also inside the JSON of a "load more" batch (quotes escaped).
CSRF_FIELD = re.compile(r'(name=\\?"csrfmiddlewaretoken\\?" value=\\?")[^"\\]*(\\?")')
# Stands for the token in a stored copy: markup no escaped or sanitized text can hold.
CSRF_MARK = "<csrf:token>"
HEADER = "X-Page-Cache"
# Version tokens outlive any copy; one that expires is replaced by a new one (a miss,
# never a stale page), so idle threads' tokens do not pile up in Redis forever.
TOKEN_SECONDS = 7 * 86400

# Per process: what make bench reports as the hit ratio.
stats: Counter = Counter()


def clock() -> float:
    """Seconds since the epoch, shared by every app server (their clocks kept by NTP)."""
    return time.time()


def _version_key(scope: str) -> str:
    return f"pc:v:{scope}"


def _votes_key(scope: str) -> str:
    return f"pc:votes:{scope}"


def thread_scope(thread_id: int) -> str:
    return f"t:{int(thread_id)}"


# Writes: each replaces tokens after its transaction commits.


def thread_changed(thread_id: int) -> None:
    """The thread's pages and the site's pages show something new."""
    _after_commit(_version_key(thread_scope(thread_id)), _version_key(SITE))


def votes_changed(thread_id: int) -> None:
    """Votes moved counts on the thread (and the hot order): seen within the lag."""
    _after_commit(_votes_key(thread_scope(thread_id)), _votes_key(SITE))


def site_changed() -> None:
    """The front page, feeds or user pages show something new."""
    _after_commit(_version_key(SITE))


def everything_changed() -> None:
    """Every cached page is stale (a change across many threads)."""
    _after_commit(EVERYTHING)


def _after_commit(*keys: str) -> None:
    """New tokens now, and again once the transaction commits. The second is the one
    correctness rests on: a reader who rendered in between saw the rows as they were
    before the commit and stored them under the first new token, which it retires. The
    first lets the writing connection itself (a test runs inside one transaction) read
    its own write at once."""
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys), robust=True)


def _bump(keys) -> None:
    try:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=TOKEN_SECONDS)
    except Exception:  # the write stands; copies expire within PAGE_CACHE_SECONDS
        log.exception("page cache: could not replace versions %s", keys)


def _read(keys: list[str]) -> dict:
    """The keys' values in one round trip; a missing version token gets a new one (won
    by the first reader to add it), never a default an old copy could match."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found and not key.startswith("pc:p:")]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=TOKEN_SECONDS)
        found.update(cache.get_many(missing))
    return found


# Reads.


def cacheable_request(request) -> bool:
    """A GET from a reader with no session and no messages: nothing on the page is theirs."""
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def storable_response(request, response) -> bool:
    """A plain 200 page whose view left no trace of this reader in it."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and (messages._queued_messages or messages.added_new))


def by_site(request, **kwargs) -> str:
    """Front page, new-threads feed, user pages: they change with any thread."""
    return SITE


def by_thread(request, pk, **kwargs) -> str:
    """A thread's pages: every sort, its "load more" batches, its feed."""
    return thread_scope(pk)


def by_comment(request, pk, **kwargs) -> str | None:
    """A comment's page or batch belongs to its thread (comments never move, so the
    comment's thread is remembered); None for a comment that is not there."""
    key = f"pc:c:{int(pk)}"
    thread_id = cache.get(key)
    if thread_id is None:
        from threads.models import Comment

        thread_id = Comment.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
        if thread_id is None:
            return None
        cache.set(key, thread_id, timeout=86400)
    return thread_scope(thread_id)


def anonymous_page(scope_of):
    """Serve the view's page to anonymous readers from the cache.

    ``scope_of(request, **kwargs)`` names what the page shows: ``SITE``, a
    ``thread_scope(id)``, or None for "do not cache this one" (a missing comment).
    """

    def decorate(view):
        @wraps(view)
        def cached(request, *args, **kwargs):
            if not cacheable_request(request):
                return view(request, *args, **kwargs)
            try:
                scope = scope_of(request, **kwargs)
                looked_up = _look_up(request, scope) if scope else None
            except Exception:  # a cache that is down costs speed, never the page
                log.exception("page cache: read failed")
                looked_up = None
            if looked_up is None:
                return view(request, *args, **kwargs)
            key, versions, votes_token, entry = looked_up
            if entry is not None and entry["versions"] == versions and _fresh(entry, votes_token):
                stats["hit"] += 1
                return _served(request, entry)
            stats["miss"] += 1
            began = clock()
            # A copy every reader shares is rendered from the primary: one rendered from a
            # replica a moment behind would be stored under the newest versions.
            with db_router.primary():
                response = view(request, *args, **kwargs)
            if storable_response(request, response):
                _store(key, versions, votes_token, began, response)
            response[HEADER] = "miss"
            return response

        return cached

    return decorate


def _look_up(request, scope: str) -> tuple[str, tuple, str, dict | None]:
    """The page's key, the versions it must have been made at, the votes token, and the
    stored copy if any: one round trip. The key is the address alone; the copy carries
    the versions it was made at, read before it was rendered."""
    version, votes = _version_key(scope), _votes_key(scope)
    # The script's batches ask for JSON at the same address as the page.
    variant = f"{request.build_absolute_uri()} {request.headers.get('X-Requested-With', '')}"
    key = f"pc:p:{hashlib.sha256(variant.encode()).hexdigest()[:32]}"
    found = _read([EVERYTHING, version, votes, key])
    return key, (found[EVERYTHING], found[version]), found[votes], found.get(key)


def _fresh(entry: dict, votes_token: str) -> bool:
    """Made after the last vote, or before it by less than the lag."""
    if entry["votes"] == votes_token:
        return True
    return clock() - entry["made"] < settings.PAGE_CACHE_VOTE_LAG


def _store(key: str, versions: tuple, votes_token: str, began: float, response) -> None:
    # Bytes, as served: a hit neither decodes nor encodes the page.
    content = CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode()).encode()
    entry = {
        "versions": versions,  # read before the view read anything
        "made": began,  # so was this: the lag counts from here
        "votes": votes_token,
        "content": content,
        "content_type": response["Content-Type"],
        "csrf": CSRF_MARK.encode() in content,
    }
    try:
        cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        log.exception("page cache: write failed")


def _served(request, entry: dict) -> HttpResponse:
    content = entry["content"]
    if entry["csrf"]:
        token = get_token(request)  # this reader's own, as a fresh render would give
        content = content.replace(CSRF_MARK.encode(), token.encode())
    response = HttpResponse(content, content_type=entry["content_type"])
    response[HEADER] = "hit"
    return response
