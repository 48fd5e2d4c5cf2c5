"""Production mode (DEBUG off) as README.md's "Production" section runs it.

Static files must be collected before serving: without the manifest every page would be
a 500, so loading the WSGI application refuses to start instead, naming the fix, and
``check --deploy`` reports it. Collected, the site serves behind a TLS proxy under
gunicorn: plain http is redirected, pages and hashed static files are served, cookies
are secure.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def production_env(static_root: Path, database: Path | None = None, **extra) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "production-test-key-" + "x7" * 20,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{database}" if database else "sqlite:///:memory:",
        **extra,
    }


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)


def load_wsgi(env: dict) -> subprocess.CompletedProcess:
    """What gunicorn does first: import the WSGI application."""
    return run([sys.executable, "-c", "import forum.wsgi"], env)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """Static files collected with the production storage (hashed names, manifest)."""
    static_root = tmp_path_factory.mktemp("static")
    result = run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                 production_env(static_root))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return static_root


def test_serving_without_collected_static_files_refuses_to_start(tmp_path):
    result = load_wsgi(production_env(tmp_path / "static"))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: No static files manifest at "
        f"{tmp_path / 'static' / 'staticfiles.json'}: run `manage.py collectstatic` "
        "(make serve does) before serving with DJANGO_DEBUG=0, or every page is a 500."
    )


def test_check_deploy_reports_it_and_other_commands_still_run(tmp_path):
    env = production_env(tmp_path / "static")
    deploy = run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert deploy.returncode != 0
    assert "(threads.E001) No static files manifest at" in deploy.stderr
    assert run([sys.executable, "manage.py", "check"], env).returncode == 0
    migrations = run([sys.executable, "manage.py", "showmigrations", "threads"], env)
    assert migrations.returncode == 0, migrations.stderr
    assert "[ ] 0001_initial" in migrations.stdout


def test_a_static_file_added_since_collectstatic_stops_the_start(collected, tmp_path):
    manifest = json.loads((collected / "staticfiles.json").read_text(encoding="utf-8"))
    del manifest["paths"]["threads/forum.js"]
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = load_wsgi(production_env(tmp_path))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: Static files changed since collectstatic "
        f"(threads/forum.js not in {tmp_path / 'staticfiles.json'}): "
        "run `manage.py collectstatic` again."
    )


def test_collected_static_files_let_the_application_load(collected):
    result = load_wsgi(production_env(collected))
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture(scope="module")
def gunicorn(collected, tmp_path_factory):
    """The site under gunicorn with production settings, as make serve starts it."""
    database = tmp_path_factory.mktemp("db") / "forum.sqlite3"
    env = production_env(collected, database)
    migrated = run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "forum.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode()) from None
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_plain_http_is_sent_to_https(gunicorn):
    response = get(gunicorn, "/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{gunicorn}/"


def test_pages_and_hashed_static_files_are_served_behind_the_tls_proxy(gunicorn):
    proxied = {"X-Forwarded-Proto": "https"}
    page = get(gunicorn, "/", **proxied)
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "default-src 'self'" in page.getheader("Content-Security-Policy")
    assert "camera=()" in page.getheader("Permissions-Policy")
    assert page.getheader("Referrer-Policy") == "same-origin"
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    stylesheet = re.search(r'href="(/static/threads/forum\.[0-9a-f]{12}\.css)"', page.body.decode())
    assert stylesheet, "the page links the hashed stylesheet"
    css = get(gunicorn, stylesheet.group(1), **proxied)
    assert css.status == 200
    assert "immutable" in css.getheader("Cache-Control")


def test_cookies_are_secure(gunicorn):
    login = get(gunicorn, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert login.status == 200
    cookie = login.getheader("Set-Cookie")
    assert cookie.startswith("csrftoken=")
    assert "; Secure" in cookie
