"""make cluster's machinery (forum/deploy/cluster.py): nginx in front of two gunicorn
instances sharing the database and Redis, serving static files itself, routing around a
dead instance, and stopping exactly the processes it started.

Needs Debian's nginx: without it these tests are skipped, saying why; in CI (CI=true),
which installs it, that is a failure instead.
"""

import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from forum.deploy.cluster import NGINX, Cluster, wait_until_free
from tests.live_servers import Browser, assert_free, shared_environment, signed_in_as

PASSWORD = "a-long-pass-phrase-9"


@pytest.fixture
def cluster(transactional_db, tmp_path):
    if not (Path(NGINX).exists() or shutil.which(NGINX)):
        reason = "nginx not found: the cluster tests need it (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI never skips them")
        pytest.skip(reason)
    with shared_environment(tmp_path) as env:
        run_dir = tmp_path / "run"
        run_dir.mkdir()
        cluster = Cluster(run_dir=run_dir, port=8179, app_ports=(8174, 8175))
        for port in (cluster.port, *cluster.app_ports):
            assert_free(port)
        env["DJANGO_STATIC_ROOT"] = str(cluster.static_root)
        shutil.copytree(tmp_path / "static", cluster.static_root)
        cluster.start(env, ranker=True)
        cluster.env = env
        try:
            yield cluster
        finally:
            cluster.stop(quiet=True)


def fetch(url: str, **headers) -> urllib.request.Request:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        r.body = r.read()
        return r


def test_nginx_serves_static_files_and_routes_around_a_dead_instance(cluster):
    page = fetch(cluster.url)
    assert page.status == 200
    stylesheet = re.search(r'href="(/static/threads/forum\.[0-9a-f]{12}\.css)"', page.body.decode())
    static = fetch(cluster.url.rstrip("/") + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert static.headers["Content-Encoding"] == "gzip"  # the .gz collectstatic wrote
    # nginx's own header (whitenoise, behind it, would say max-age=315360000).
    assert static.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]

    cluster.kill_instance(0)  # SIGKILL to the master: its workers finish and exit
    wait_until_free(cluster.app_ports[0], seconds=10)
    for _ in range(6):
        assert fetch(cluster.url).status == 200
    # A POST that could not even connect is safe to send to the other instance.
    browser = Browser()
    browser.get(cluster.url + "accounts/signup/")
    fields = {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    status, page = browser.post(cluster.url + "accounts/signup/", fields)
    assert (status, signed_in_as(page)) == (200, "ada")

    assert cluster.instance_pid(0) is None
    cluster.start_instance(0, cluster.env)  # the same port again, as the failover does
    assert cluster.instance_pid(0) is not None
    assert fetch(cluster.url).status == 200


def test_stop_ends_only_the_processes_it_started(cluster):
    stranger = subprocess.Popen(["sleep", "60"])
    real = cluster.pid_file(1).read_text(encoding="utf-8")
    try:
        cluster.pid_file(1).write_text(str(stranger.pid), encoding="utf-8")  # a stale PID
        stopped = cluster.stop(quiet=True)
        assert [name.split(" (")[0] for name in stopped] == [
            "nginx", "gunicorn on 127.0.0.1:8174", "rerank"
        ]  # fmt: skip
        assert cluster.ranker_pid() is None and not cluster.ranker_pid_file.exists()
        assert stranger.poll() is None  # not ours: left alone
    finally:
        stranger.kill()
        stranger.wait()
        cluster.pid_file(1).write_text(real, encoding="utf-8")  # the fixture stops it
