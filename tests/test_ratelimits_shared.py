"""Two app processes count against the same limits: their counters live in Redis.

Two gunicorn servers (ports 8180 and 8181) on one database and one Redis key prefix of
this test's own; sign-ups and failed logins from one address alternate between them.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = (8180, 8181)
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


class Browser:
    """Cookies and the CSRF token, over plain http.client (no redirects followed)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def post_form(self, path: str, data: dict):
        page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **data})


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    prefix = f"test-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'shared.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_RATE_LIMITS": "signup=3/h",
        "DJANGO_LOGIN_FAILURE_LIMIT": "3",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "forum.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for port in PORTS
    ]
    try:
        for port, server in zip(PORTS, servers, strict=True):
            deadline = time.monotonic() + 30
            while True:
                try:
                    Browser(port).request("GET", "/accounts/login/")
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, "no server"
                    time.sleep(0.2)
        yield PORTS
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def test_signups_from_one_address_count_once_across_both_processes(two_servers):
    statuses = []
    for i in range(6):
        port = two_servers[i % 2]
        password = {"password1": "a-Long-pass-481", "password2": "a-Long-pass-481"}
        form = {"username": f"shared{i}", **password}
        answer = Browser(port).post_form("/accounts/signup/", form)
        statuses.append((port, answer.status))
    assert statuses == [(8180, 302), (8181, 302), (8180, 302), (8181, 429), (8180, 429),
                        (8181, 429)]  # fmt: skip


def test_a_login_lockout_in_one_process_holds_in_the_other(two_servers):
    first, second = (Browser(port) for port in two_servers)
    wrong = {"username": "shared0", "password": "wrong"}
    assert first.post_form("/accounts/login/", wrong).status == 200
    assert second.post_form("/accounts/login/", wrong).status == 200
    assert first.post_form("/accounts/login/", wrong).status == 429
    right = {"username": "shared0", "password": "a-Long-pass-481"}
    refused = second.post_form("/accounts/login/", right)
    assert refused.status == 429
    assert refused.getheader("Retry-After") == "900"
