"""Moderators pinning at once on PostgreSQL: the cap holds and the places stay 1, 2, 3."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tests.factories import make_moderator, make_thread
from tests.test_concurrency import run_together
from threads import limits, services
from threads.models import Thread

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
        reason="SQLite serializes all writers itself; the race needs PostgreSQL",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_pins_never_pass_the_cap_or_share_a_place():
    moderator = make_moderator("mia")
    threads = [make_thread(title=f"T{n}") for n in range(8)]
    errors = run_together(
        [lambda t=t: services.thread_pin(moderator=moderator, thread=t) for t in threads]
    )
    places = sorted(
        Thread.objects.exclude(pinned_position=None).values_list("pinned_position", flat=True)
    )
    assert places == list(range(1, limits.MAX_PINNED_THREADS + 1))
    assert len(errors) == len(threads) - limits.MAX_PINNED_THREADS
    assert all(isinstance(e, ValidationError) and "At most" in str(e) for e in errors)
