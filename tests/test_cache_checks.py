"""The counters must be shared: check --deploy says so in production, a dev server at start."""

import logging

from threads.cache_checks import LOCAL_MEMORY, check_shared_cache, say_if_local_memory

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/0"}}  # fmt: skip


def test_production_on_local_memory_is_warned(settings):
    settings.DEBUG, settings.CACHES = False, LOCMEM
    [warning] = check_shared_cache()
    assert warning.id == "threads.W002"
    assert warning.msg.startswith(
        "The default cache (django.core.cache.backends.locmem.LocMemCache) is not shared"
    )
    assert "Set REDIS_URL" in warning.msg


def test_production_on_redis_and_development_are_not(settings):
    settings.DEBUG, settings.CACHES = False, REDIS
    assert check_shared_cache() == []
    settings.DEBUG, settings.CACHES = True, LOCMEM
    assert check_shared_cache() == []


def test_a_development_server_without_redis_says_so_at_start(settings, caplog):
    settings.CACHES = LOCMEM
    with caplog.at_level(logging.WARNING, logger="threads"):
        assert say_if_local_memory(["manage.py", "runserver"])
        assert not say_if_local_memory(["manage.py", "migrate"])
    assert caplog.messages == [LOCAL_MEMORY]
    settings.CACHES = REDIS
    assert not say_if_local_memory(["gunicorn", "forum.wsgi"])
