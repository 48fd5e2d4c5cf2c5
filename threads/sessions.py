"""Sessions in the database, read through the shared cache, that outlast the cache.

Django's ``cached_db`` store goes to the database when a cache read fails, but not when
the copy it then writes back fails, nor when it asks the cache whether a new session key
is taken: with Redis down, every member's page would fail. This store treats a cache
that does not answer as a cache that does not have the session, and carries on from the
database. Deleting is the exception: a session that was ended must not come back from
the cache once Redis answers again, so a delete the cache refuses fails the request
(``threads.cache_down`` answers 503).
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class _CacheOrNothing:
    """The session cache, where a read or write that fails is a miss (and logged)."""

    def __init__(self, cache):
        self.cache = cache

    def get(self, key, default=None):
        try:
            return self.cache.get(key, default)
        except RedisError as error:
            log.warning("Session read from the database: the cache did not answer (%s)", error)
            return default

    def set(self, key, value, timeout):
        try:
            self.cache.set(key, value, timeout)
        except RedisError as error:
            log.warning("Session not copied to the cache: it did not answer (%s)", error)

    def __contains__(self, key) -> bool:
        try:
            return key in self.cache
        except RedisError:
            return False  # the database says whether the key is taken

    def delete(self, key):
        return self.cache.delete(key)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CacheOrNothing(self._cache)

    def delete(self, session_key=None):
        """The cache's copy goes first: if the cache refuses, the session stays whole and
        the request fails, instead of ending in the database and living on in the cache."""
        key = session_key or self.session_key
        if key is not None:
            self._cache.delete(self.cache_key_prefix + key)
        super().delete(session_key)
