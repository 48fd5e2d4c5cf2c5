"""The counters behind rate limits and login lockouts must be shared by every process.

Local memory counts per process: with gunicorn's workers each would allow the full limit,
and a lockout in one would not hold in another. So ``check --deploy`` warns when the site
runs with DEBUG off on a cache that is not shared (set ``REDIS_URL``), and a development
server says at start that it counts in local memory.
"""

import logging
import sys

from django.conf import settings
from django.core import checks

log = logging.getLogger("threads")

SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "threads.cache_backend.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}
NOT_SHARED = (
    "The default cache ({backend}) is not shared between processes: rate limits and login "
    "lockouts count per process. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
)
LOCAL_MEMORY = (
    "No REDIS_URL: rate limits and login lockouts count in this process's memory "
    "(fine for one development server; set REDIS_URL to share them)."
)


def default_cache_backend() -> str:
    return settings.CACHES.get("default", {}).get("BACKEND", "")


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = default_cache_backend()
    if settings.DEBUG or backend in SHARED_CACHES:
        return []
    return [checks.Warning(NOT_SHARED.format(backend=backend), id="threads.W002")]


def say_if_local_memory(argv=None) -> bool:
    """At the start of a server (runserver, gunicorn) without a shared cache, say so."""
    argv = sys.argv if argv is None else argv
    program = " ".join(argv[:2])
    serving = "runserver" in program or "gunicorn" in program
    if serving and default_cache_backend() not in SHARED_CACHES:
        log.warning(LOCAL_MEMORY)
        return True
    return False
