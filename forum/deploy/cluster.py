"""``make cluster`` / ``make cluster-stop``: the site as two stateless app servers behind nginx.

Production settings (DEBUG off) on PostgreSQL (DATABASE_URL when it names PostgreSQL,
else a local ``forum_cluster`` database) and Redis (REDIS_URL, default database 5 of the
local Redis): two gunicorn instances of two workers each on the loopback, nginx in front
serving the collected static files and balancing pages over both, passing the client's
address in X-Forwarded-For (the app trusts one proxy: DJANGO_TRUSTED_PROXIES=1).

Everything it starts writes its PID file into the run directory (``.cluster/`` in the
checkout, ignored by git), and ``stop`` ends exactly those processes: each PID is checked
against the command line it was started with before it is signalled.

The load test (tests/load/run.py) starts a second cluster of its own through ``Cluster``.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/forum_cluster"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
WORKERS = 2
# The re-ranker's command line after "manage.py": also how stop knows the process is ours.
RANKER_MARKER = "rerank --every 600"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def postgres_url(default: str) -> str:
    """DATABASE_URL when it names PostgreSQL, else ``default``, created when missing."""
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith(("postgres://", "postgresql://")):
        return database
    name = default.rsplit("/", 1)[1]
    subprocess.run(
        ["createdb", "-h", HOST, "-U", "postgres", name], capture_output=True, check=False
    )  # fmt: skip  (exists: fine)
    return default


def production_env(*, static_root: Path, secret_key: str, database: str, redis: str) -> dict:
    """Production settings on plain http on the loopback, behind one trusted proxy."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS on the loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_TRUSTED_PROXIES": "1",
        "DJANGO_STATIC_ROOT": str(static_root),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers at all (any HTTP status); fails when ``process`` exits."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if (process and process.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"nothing answers at {url}") from None
        time.sleep(0.2)


def wait_until_free(port: int, seconds: float = 20) -> None:
    """Until nothing listens on ``port`` (a killed master's workers finish and exit)."""
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) != 0:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"something still listens on {HOST}:{port}")
        time.sleep(0.1)


def _alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and is the process we started (its command line holds ``marker``)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return marker in command


def _wait_gone(pid: int, marker: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid, marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@dataclass
class Cluster:
    """nginx on ``port`` in front of one gunicorn instance per entry of ``app_ports``."""

    run_dir: Path
    port: int
    app_ports: tuple[int, ...]
    max_fails: int = 2
    fail_timeout: int = 5

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def static_root(self) -> Path:
        return self.run_dir / "static"

    @property
    def nginx_conf(self) -> Path:
        return self.run_dir / "nginx.conf"

    def pid_file(self, instance: int) -> Path:
        return self.run_dir / f"gunicorn-{instance}.pid"

    def _marker(self, instance: int) -> str:
        return f"{HOST}:{self.app_ports[instance]}"

    def secret_key(self) -> str:
        """Kept in the run directory, so a restart keeps everyone's sessions."""
        path = self.run_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def _pid(self, path: Path) -> int | None:
        try:
            return int(path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    def instance_pid(self, instance: int) -> int | None:
        pid = self._pid(self.pid_file(instance))
        return pid if pid and _alive(pid, self._marker(instance)) else None

    def nginx_pid(self) -> int | None:
        pid = self._pid(self.run_dir / "nginx.pid")
        return pid if pid and _alive(pid, str(self.nginx_conf)) else None

    def running(self) -> bool:
        return bool(self.nginx_pid() or self.ranker_pid()) or any(
            self.instance_pid(i) for i in range(len(self.app_ports))
        )

    def start_instance(self, instance: int, env: dict, *, wait: bool = True) -> int:
        """One gunicorn (its own master and workers) on its port; returns the master's PID."""
        port = self.app_ports[instance]
        wait_until_free(port)
        log = (self.run_dir / f"gunicorn-{instance}.log").open("ab")
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "forum.wsgi", "--bind", f"{HOST}:{port}",
             "--config", str(Path(__file__).parent / "gunicorn.conf.py"),
             "--workers", str(WORKERS), "--pid", str(self.pid_file(instance)),
             "--log-level", "warning", "--graceful-timeout", "10"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.pid_file(instance).write_text(str(process.pid), encoding="utf-8")
        if wait:
            wait_until_up(f"http://{HOST}:{port}/", process=process)
        return process.pid

    def kill_instance(self, instance: int, sig: int = signal.SIGKILL) -> int:
        """Signal one instance's master (SIGKILL: a crash; its workers notice and exit)."""
        pid = self.instance_pid(instance)
        if pid is None:
            raise RuntimeError(f"gunicorn instance {instance} is not running")
        os.kill(pid, sig)
        return pid

    def write_nginx_conf(self) -> None:
        upstreams = "\n".join(
            f"        server {HOST}:{port} max_fails={self.max_fails} "
            f"fail_timeout={self.fail_timeout}s;"
            for port in self.app_ports
        )
        template = (Path(__file__).parent / "nginx.conf").read_text(encoding="utf-8")
        owner = pwd.getpwuid(self.run_dir.stat().st_uid).pw_name
        for name, value in {
            "USER": f"user {owner};" if os.geteuid() == 0 else "",
            "RUN_DIR": str(self.run_dir), "STATIC_ROOT": str(self.static_root),
            "HOST": HOST, "PORT": str(self.port), "UPSTREAMS": upstreams,
        }.items():  # fmt: skip
            template = template.replace(f"@{name}@", value)
        self.nginx_conf.write_text(template, encoding="utf-8")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)

    def _nginx(self, *args: str) -> subprocess.CompletedProcess:
        command = [NGINX, "-c", str(self.nginx_conf), "-p", str(self.run_dir),
                   "-e", str(self.run_dir / "nginx-error.log"), *args]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start_nginx(self) -> None:
        self.write_nginx_conf()
        for args in (("-t", "-q"), ()):
            result = self._nginx(*args)
            if result.returncode:
                raise RuntimeError(f"nginx {' '.join(args)}: {result.stderr.strip()}")
        wait_until_up(self.url)

    @property
    def ranker_pid_file(self) -> Path:
        return self.run_dir / "rerank.pid"

    def ranker_pid(self) -> int | None:
        pid = self._pid(self.ranker_pid_file)
        return pid if pid and _alive(pid, RANKER_MARKER) else None

    def start_ranker(self, env: dict) -> int:
        """``rerank --every 600``: the front page's hot order ages as the README's schedule
        says (one process for the whole cluster, not one per instance)."""
        log = (self.run_dir / "rerank.log").open("ab")
        process = subprocess.Popen(
            [str(BIN / "python"), "manage.py", *RANKER_MARKER.split(), "-v0"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.ranker_pid_file.write_text(str(process.pid), encoding="utf-8")
        return process.pid

    def start(self, env: dict, *, ranker: bool = False) -> None:
        """Every instance, then nginx, then (``ranker``) the re-ranker; on any failure,
        stops what it started."""
        try:
            for instance in range(len(self.app_ports)):
                self.start_instance(instance, env)
            self.start_nginx()
            if ranker:
                self.start_ranker(env)
        except BaseException:
            self.stop(quiet=True)
            raise

    def stop(self, *, quiet: bool = False) -> list[str]:
        """nginx first (no new requests), then each instance: exactly the recorded PIDs."""
        stopped = []
        pid = self.nginx_pid()
        if pid:
            os.kill(pid, signal.SIGQUIT)  # finish the requests in flight
            if not _wait_gone(pid, str(self.nginx_conf), 10):
                os.kill(pid, signal.SIGTERM)
                _wait_gone(pid, str(self.nginx_conf), 10)
            stopped.append(f"nginx (pid {pid})")
        (self.run_dir / "nginx.pid").unlink(missing_ok=True)
        for instance in range(len(self.app_ports)):
            pid = self.instance_pid(instance)
            if pid:
                os.kill(pid, signal.SIGTERM)  # gunicorn: graceful, workers finish first
                if not _wait_gone(pid, self._marker(instance), 30):
                    os.kill(pid, signal.SIGKILL)
                    _wait_gone(pid, self._marker(instance), 10)
                stopped.append(f"gunicorn on {self._marker(instance)} (pid {pid})")
            self.pid_file(instance).unlink(missing_ok=True)
        pid = self.ranker_pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
            _wait_gone(pid, RANKER_MARKER, 10)
            stopped.append(f"rerank (pid {pid})")
        self.ranker_pid_file.unlink(missing_ok=True)
        if not quiet:
            say(("Stopped " + ", ".join(stopped)) if stopped else "Nothing was running.")
        return stopped


CLUSTER = Cluster(run_dir=ROOT / ".cluster", port=8160, app_ports=(8161, 8162))


def start(cluster: Cluster = CLUSTER) -> int:
    cluster.run_dir.mkdir(exist_ok=True)
    if cluster.running():
        say(f"Already running at {cluster.url} (make cluster-stop stops it).")
        return 0
    env = production_env(
        static_root=cluster.static_root,
        secret_key=cluster.secret_key(),
        database=postgres_url(DEFAULT_DATABASE),
        redis=os.environ.get("REDIS_URL") or DEFAULT_REDIS,
    )
    env.setdefault("DJANGO_CACHE_PREFIX", "forum-cluster")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "import_thread", "fixtures/seed_thread.txt", "-v0")
    cluster.start(env, ranker=True)
    ports = ", ".join(str(port) for port in cluster.app_ports)
    say(f"nginx on {HOST}:{cluster.port}, gunicorn ({WORKERS} workers each) on {ports}")
    say(f"The forum runs at {cluster.url}  (make cluster-stop stops it)")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        return start()
    if argv[:1] == ["stop"]:
        CLUSTER.stop()
        return 0
    sys.stderr.write("usage: python -m forum.deploy.cluster start|stop\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
