"""Reads from a read-only replica, writes (and a writer's next reads) on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database, this router and
``ReadYourWritesMiddleware``. The rule, in one place:

- every write goes to the primary (``default``);
- only the reads of a page request (GET, HEAD) may go to the replica, and not:
  inside a transaction on the primary (services read, lock and write in one), inside
  ``primary()``, nor in any request of a browser that wrote something in the last
  ``limits.READ_YOUR_WRITES_SECONDS`` (a cookie says until when), so a member always sees
  their own reply, vote or login even while the replica is behind;
- everything else (a POST, management commands, migrations, the shell) reads the primary.

Without a replica every read goes to the primary and the middleware does nothing.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

from threads import limits

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "forum_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "forum_replica_allowed", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def _allow_replica(allowed: bool):
    token = _replica_allowed.set(allowed)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def primary():
    """Every read inside goes to the primary (say, a page that must be fresh)."""
    return _allow_replica(False)


def replica_reads():
    """Reads inside may go to the replica (the middleware wraps page requests in it)."""
    return _allow_replica(True)


def reads_from_replica() -> bool:
    return (
        replica_configured() and _replica_allowed.get() and not connections[PRIMARY].in_atomic_block
    )


class PrimaryReplicaRouter:
    """Django's database router for one primary and one streaming replica."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reads_from_replica() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies: any two rows may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA  # the replica takes its schema from the primary's WAL


def pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return 0.0


class ReadYourWritesMiddleware:
    """Lets a page request read the replica, unless its browser wrote lately; a write
    request pins its browser to the primary for the next few seconds.

    The cookie only ever moves reads to the primary, so a client that forges it gains
    nothing but fresher (slower) pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        if request.method in SAFE_METHODS:
            if pinned_until(request) > time.time():
                return self.get_response(request)
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        seconds = limits.READ_YOUR_WRITES_SECONDS
        response.set_cookie(
            PIN_COOKIE,
            f"{time.time() + seconds:.3f}",
            max_age=seconds,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
