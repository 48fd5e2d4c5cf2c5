"""Two app processes sharing one database and one Redis, as the cluster runs them.

``app_servers`` starts two gunicorn instances (production settings, one worker each) on
ports 8176 and 8177 of 127.0.0.1: on PostgreSQL they share the test database (the test
must use ``transactional_db`` so its rows are committed where they can see them), on
SQLite a migrated file of their own. They share the local Redis (REDIS_URL, else
database 0) under a key prefix of their own, whose keys go afterwards. ``Browser`` keeps
its cookies across both ports, as a browser does behind a load balancer.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = (8176, 8177)


class Browser:
    """Cookies for 127.0.0.1 on any port; fills in the CSRF token of the forms it posts."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, url: str) -> tuple[int, str]:
        return self._open(url)

    def post(self, url: str, fields: dict) -> tuple[int, str]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(url, data=data))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def signed_in_as(page: str) -> str | None:
    """The username the page's header shows beside a "Log out" button, or None."""
    header = page.partition("</header>")[0]
    match = re.search(r'<a href="/u/([^/"]+)/">\1</a>', header)
    return match.group(1) if match and 'action="/accounts/logout/"' in header else None


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _database_url(tmp_path: Path, env: dict) -> str:
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"] == "django.db.backends.postgresql":
        return (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}")  # fmt: skip
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    _run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"],
         {**env, "DATABASE_URL": url})  # fmt: skip
    return url


def assert_free(port: int) -> None:
    """A server already there would answer in place of ours."""
    with socket.socket() as probe:
        in_use = probe.connect_ex(("127.0.0.1", port)) == 0
    assert not in_use, f"port {port} is in use: another test run, or a leftover server?"


def _wait(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nothing answers at {url}") from None
            time.sleep(0.2)


@contextmanager
def shared_environment(tmp_path: Path):
    """Production settings for app processes sharing the database and Redis, with the
    static files collected; the Redis keys they made go afterwards."""
    import redis

    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"test-{uuid.uuid4().hex}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-servers-test-key-" + "k9" * 20,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_PREFIX": prefix,
    }
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    _run([str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"], env)
    try:
        yield env
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def app_servers(transactional_db, tmp_path):
    """The base URLs of two app processes sharing the database and Redis."""
    with shared_environment(tmp_path) as env:
        servers = []
        try:
            for port in PORTS:
                assert_free(port)
                servers.append(subprocess.Popen(
                    [str(BIN / "gunicorn"), "forum.wsgi", "--bind", f"127.0.0.1:{port}",
                     "--workers", "1", "--log-level", "warning"],
                    cwd=ROOT, env=env, start_new_session=True,
                ))  # fmt: skip
            urls = [f"http://127.0.0.1:{port}" for port in PORTS]
            for url, server in zip(urls, servers, strict=True):
                _wait(url + "/", server)
            yield urls
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
