"""The load test's baseline: one instance with production settings and no cache at all.

``make loadtest ARGS=--cluster`` compares the cluster with this (tests/load/cluster.py):
every page is rendered afresh, and sessions stay in the database.
"""

from forum.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PAGE_CACHE_SECONDS = 0  # the whole-page cache off (with a dummy cache it could keep nothing)
if globals().get("SESSION_ENGINE") in {
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
    "threads.sessions",
}:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
