import pytest

from tests.factories import make_comment, make_moderator, make_superuser, make_thread, make_user
from threads import services


@pytest.fixture
def a_user(db):
    """An ordinary member."""
    return make_user("alice")


@pytest.fixture
def another_user(db):
    """A second member, to vote on alice's words."""
    return make_user("bob")


@pytest.fixture
def a_thread(db, a_user):
    """A thread alice started."""
    return make_thread(author=a_user, title="Hello forum")


@pytest.fixture
def a_comment(a_thread, another_user):
    """A top-level comment by bob."""
    return make_comment(a_thread, author=another_user, body="first!")


@pytest.fixture
def a_reply(a_thread, a_comment, a_user):
    """alice's reply to bob's comment."""
    return make_comment(a_thread, parent=a_comment, author=a_user, body="a reply")


@pytest.fixture
def a_moderator(db):
    """mia: staff in the Moderators group."""
    return make_moderator("mia")


@pytest.fixture
def a_superuser(db):
    """root: can do everything."""
    return make_superuser("root")


@pytest.fixture
def a_banned_user(db, a_moderator):
    """carl, banned for good by mia."""
    carl = make_user("carl")
    services.user_ban(moderator=a_moderator, user=carl, reason="spam links")
    return carl


@pytest.fixture
def real_redis_cache(settings):
    """The default cache on the real Redis (REDIS_URL, or 127.0.0.1:6379/0), under a key
    prefix of this test's own, so parallel runs never meet; the keys go afterwards."""
    import os
    import uuid

    import redis
    from django.core.cache import caches

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty local-memory cache: login failures, rate counters and
    cached pages of one test never reach another (a real Redis is never cleared here)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
    yield
