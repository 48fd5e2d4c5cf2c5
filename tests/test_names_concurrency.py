"""Sign-ups racing for one name (in different case) or one address: exactly one wins.

Real threads, each with its own connection, on PostgreSQL, where two transactions could
both find a name free before either writes it; ``services.account_create`` takes an
advisory lock on the name and the address first. SQLite runs one writer at a time.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from tests.test_concurrency import run_together
from threads import services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
        reason="SQLite serializes all writers itself; the race needs PostgreSQL",
    ),
]
User = get_user_model()
RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_one_name_in_many_cases_makes_one_account():
    names = ["alice", "Alice", "ALICE", "aLice", "alIce", "aliCe", "alicE", "ALice"]
    jobs = [
        lambda name=name: services.account_create(username=name, password="correct-horse-1")
        for name in names[:RACERS]
    ]
    errors = run_together(jobs)
    assert len(errors) == RACERS - 1
    assert all(isinstance(error, ValidationError) for error in errors)
    assert User.objects.filter(username__iexact="alice").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_address_makes_one_account():
    jobs = [
        lambda i=i: services.account_create(
            username=f"racer{i}", password="correct-horse-1", email="Same@Example.com"
        )
        for i in range(RACERS)
    ]
    errors = run_together(jobs)
    assert [e.messages for e in errors] == [[services.EMAIL_TAKEN]] * (RACERS - 1)
    assert User.objects.filter(email__iexact="same@example.com").count() == 1
