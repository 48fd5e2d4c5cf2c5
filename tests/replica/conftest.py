"""The replica tests run against a real streaming replica (forum/deploy/replica.sh).

They need DATABASE_URL on PostgreSQL and DATABASE_REPLICA_URL naming the replica of that
server; Django then treats the replica as a mirror of the test database, and the
``replica`` fixture points its connection at the replica server's copy of the test
database (the primary's test database streams there like any other). Without a replica
they are skipped, saying why; in CI (CI=true) that is a failure, never a skip.
"""

import os
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connections


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "replica: runs against a real streaming replica (DATABASE_REPLICA_URL)"
    )


# The databases a replica test may use (only "default" when there is no replica, so that
# the test reaches the fixture that says why it cannot run).
DATABASES = ["default", "replica"] if "replica" in settings.DATABASES else ["default"]


def _missing() -> str:
    if "replica" not in settings.DATABASES:
        return "DATABASE_REPLICA_URL is not set"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not name PostgreSQL"
    return ""


def wal_position(alias: str, query: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT ({query}) - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0] or 0)


def replayed_position() -> int:
    """How far the replica has replayed, asked of its maintenance database: the test
    database itself only exists there once its creation has been replayed."""
    replica = settings.DATABASES["replica"]
    with psycopg.connect(
        host=replica["HOST"], port=replica["PORT"], user=replica["USER"], dbname="postgres"
    ) as connection:
        row = connection.execute("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn").fetchone()
    return int(row[0] or 0)


def caught_up(seconds: float = 10) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    target = wal_position("default", "pg_current_wal_lsn()")
    deadline = time.monotonic() + seconds
    while replayed_position() < target:
        assert time.monotonic() < deadline, (
            "the replica did not catch up in time: is it streaming? (forum/deploy/replica.sh)"
        )
        time.sleep(0.02)


class Replay:
    """Pauses the replica's replay of the primary's WAL: the replica lags for as long as
    the test says, so which database a page read can be seen."""

    def _call(self, function: str) -> None:
        with connections["replica"].cursor() as cursor:
            cursor.execute(f"SELECT {function}()")

    def pause(self) -> None:
        caught_up()
        self._call("pg_wal_replay_pause")

    def resume(self) -> None:
        self._call("pg_wal_replay_resume")
        caught_up()


@pytest.fixture
def replica(transactional_db):
    """The ``replica`` connection on the replica server's copy of the test database."""
    reason = _missing()
    if reason:
        reason = f"{reason}: the replica tests need a streaming replica (forum/deploy/replica.sh)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI never skips them")
        pytest.skip(reason)
    connection = connections["replica"]
    connection.close()
    connection.settings_dict = {
        **connections["default"].settings_dict,  # the test database's name
        "HOST": settings.DATABASES["replica"]["HOST"],
        "PORT": settings.DATABASES["replica"]["PORT"],
        "OPTIONS": settings.DATABASES["replica"]["OPTIONS"],
        "TEST": settings.DATABASES["replica"]["TEST"],  # still a mirror: never flushed
    }
    replay = Replay()
    try:
        caught_up()
        yield replay
    finally:
        replay.resume()  # never leave the replica paused
