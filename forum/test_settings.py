"""Test settings: the real settings with a fast password hasher."""

from forum.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None  # tests serve static files from the finders; no collectstatic needed

# Content limits and the heated-exchange rule are off unless a test turns them on with
# its own figures (tests/test_ratelimits.py), so no test depends on another's counters.
RATE_LIMITS_ENABLED = False
