"""Settings come from the environment; production refuses an unsafe start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, "DATABASE_URL": "sqlite:///:memory:", **env},
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_with_secret_key_starts():
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


PROBE = """
import django
django.setup()
from django.db import connection
print(connection.vendor)
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout")
        print(cursor.fetchone()[0])
    print(connection.transaction_mode)
else:
    print(connection.settings_dict["OPTIONS"]["options"].replace(" ", "_"))
"""


def probe(database_url: str) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**base, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "forum.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_sqlite_file_uses_wal_busy_timeout_and_immediate_transactions(tmp_path):
    assert probe(f"sqlite:///{tmp_path / 'forum.sqlite3'}") == [
        "sqlite",
        "wal",
        "20000",
        "IMMEDIATE",
    ]


def test_database_url_switches_to_postgres():
    """No server needed: the backend is chosen from the URL, before any connection."""
    assert probe("postgres://postgres@127.0.0.1:5432/postgres") == [
        "postgresql",
        "-c_random_page_cost=1.1",
    ]


def test_postgres_sessions_price_random_reads_as_memory_does(db):
    """Checked on the live connection when the suite runs on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


SETTINGS_PROBE = """
from django.conf import settings
print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
      settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER[0])
print(settings.STATIC_ROOT)
print(settings.CSRF_TRUSTED_ORIGINS)
"""


def production_settings(**env) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**base, "DJANGO_SETTINGS_MODULE": "forum.settings", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": "x" * 50, **env}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_production_redirects_to_https_with_secure_cookies_behind_the_proxy():
    lines = production_settings()
    assert lines == [
        "True True True 31536000 HTTP_X_FORWARDED_PROTO",
        str(ROOT / "staticfiles"),
        "[]",
    ]


def test_production_without_a_tls_proxy_turns_redirect_hsts_and_secure_cookies_off():
    """README's way to try production mode on plain http://127.0.0.1."""
    lines = production_settings(
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0", DJANGO_HSTS_SECONDS="0"
    )
    assert lines[0] == "False False False 0 HTTP_X_FORWARDED_PROTO"


def test_static_root_and_trusted_origins_come_from_the_environment(tmp_path):
    lines = production_settings(
        DJANGO_STATIC_ROOT=str(tmp_path),
        DJANGO_CSRF_TRUSTED_ORIGINS="https://forum.example, https://www.forum.example",
    )
    assert lines[1:] == [str(tmp_path), "['https://forum.example', 'https://www.forum.example']"]
