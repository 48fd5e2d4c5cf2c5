"""``make loadtest``: the site under gunicorn with production settings, driven by locust.

Seeds PostgreSQL (DATABASE_URL when it names PostgreSQL, else a local ``forum_loadtest``
database) with threads of 10 to 10,000 comments and 20 members, starts gunicorn (2
workers, DEBUG off, whitenoise serving the collected static files) on 127.0.0.1, runs
locust headless for 30 s with 20 users, prints requests/s, p50/p95/p99 and the error
count, and stops gunicorn. Exits non-zero when any request failed.

It refuses a database that holds threads or users it did not make unless ``--force`` is
given, and at the end, also after a failure, deletes exactly what it made, by primary
key: its threads (whole, with the replies and votes of the run) and its members, whose
accounts have no password (they are logged in through sessions the seed makes).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/forum_loadtest"
HOST, PORT = "127.0.0.1", int(os.environ.get("LOADTEST_PORT", "8765"))
SIZES = {10: 3, 100: 3, 1_000: 2, 10_000: 1}  # thread size -> how often it is read
MEMBERS = 20
USERS, DURATION = 20, "30s"


def environment() -> dict[str, str]:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        database = DEFAULT_DATABASE
        subprocess.run(
            ["createdb", "-h", HOST, "-U", "postgres", "forum_loadtest"],
            capture_output=True,
            check=False,
        )  # fmt: skip  (exists: fine)
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain http on the loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_RATE_LIMITS_ENABLED": "0",  # 20 new members posting: measure, not limit
    }


def seed(plan_path: str, force: bool) -> int:
    """Runs inside Django (``python -m tests.load.run seed PLAN``); writes the plan, with
    the primary keys of everything it made, for locust and for ``cleanup``."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from threads import benchmark, services
    from threads.importers.synthetic import synthetic_parsed_thread
    from threads.models import Comment

    refusal = benchmark.refusal(tool="the load test", force="--force (make loadtest ARGS=--force)")
    if refusal and not force:
        sys.stderr.write(refusal + "\n")
        return 2
    run_key = secrets.token_hex(4)  # names no earlier run or other data can share
    plan = {"members": {}, "threads": [], "made": {"threads": [], "users": [], "sessions": []}}
    try:
        for i in range(MEMBERS):
            user = get_user_model().objects.create_user(username=f"loadtest-{run_key}-{i}")
            plan["made"]["users"].append(user.pk)
            plan["members"][user.username] = _session_for(user)
            plan["made"]["sessions"].append(plan["members"][user.username])
        for size, weight in SIZES.items():
            parsed = synthetic_parsed_thread(comments=size, source=f"loadtest:{run_key}:{size}")
            parsed.title = f"Load test thread of {size:,} comments"
            thread = services.thread_import(parsed=parsed).thread
            plan["made"]["threads"].append(thread.pk)
            ids = Comment.objects.filter(  # ones that take replies
                thread=thread, author__isnull=True, level__lt=6, is_deleted=False, is_removed=False
            )
            plan["threads"].append({
                "url": thread.get_absolute_url(), "size": size, "weight": weight,
                "comments": list(ids.order_by("?").values_list("pk", flat=True)[:200]),
            })  # fmt: skip
    except BaseException:
        _remove(plan["made"])
        raise
    plan["last_seeded_comment"] = Comment.objects.order_by("-pk").values_list("pk", flat=True)[0]
    Path(plan_path).write_text(json.dumps(plan), encoding="utf-8")
    return 0


def cleanup(plan_path: str) -> int:
    """Runs inside Django (``python -m tests.load.run cleanup PLAN``)."""
    import django

    django.setup()
    _remove(json.loads(Path(plan_path).read_text(encoding="utf-8"))["made"])
    return 0


def _remove(made: dict) -> None:
    """Delete the threads, sessions and members a run made, by primary key (the members
    only log in through the seed's sessions, so the run makes no others)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from threads import benchmark

    benchmark.delete_threads(made["threads"])
    Session.objects.filter(session_key__in=made["sessions"]).delete()
    get_user_model().objects.filter(pk__in=made["users"]).delete()


def _session_for(user) -> str:
    """A logged-in session made here, so the run measures pages, not password hashing
    (20 members logging in at once would hold both workers for seconds). It is stored by
    the configured session engine, and in the database too when that engine keeps it
    elsewhere (the cluster mode's baseline instance runs without a cache)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    if not isinstance(session, SessionStore):  # cached_db's store is a database store
        copy = SessionStore(session_key=session.session_key)
        copy.update(dict(session.items()))
        copy.save(must_create=True)
    return session.session_key


def manage(env, *args) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def report(stats_csv: Path) -> int:
    with stats_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    say(f"\n{'request':<22}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for row in rows:
        say(
            f"{row['Name'] or '(all)':<22}{row['Request Count']:>8}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    say(
        f"\n{float(total['Requests/s']):.1f} requests/s, p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms, p99 {total['99%']} ms, {errors} errors "
        f"({USERS} users, {DURATION}, 2 gunicorn workers)"
    )
    return 1 if errors else 0


def in_django(env, step: str, plan: Path, *args) -> int:
    """Run ``seed`` or ``cleanup`` in a process with the load test's settings."""
    command = [str(BIN / "python"), "-m", "tests.load.run", step, str(plan), *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make loadtest: gunicorn under locust.")
    parser.add_argument(
        "--force",
        action="store_true",
        help="Run in a database that holds other threads or users (they are left alone).",
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="nginx and two instances against one instance without the cache, with a "
        "failover (tests/load/cluster.py).",
    )
    parser.add_argument(
        "--quick", action="store_true", help="With --cluster: 20 users, 20 s (a smoke run)."
    )
    parser.add_argument(
        "--think",
        default="0.5,1.5",
        help="With --cluster: seconds each user waits between requests, as MIN,MAX "
        "(default 0.5,1.5; 0,0.1 measures how much the servers can serve).",
    )
    parser.add_argument(
        "--writers",
        type=int,
        choices=range(101),
        default=10,
        metavar="PERCENT",
        help="With --cluster: the percent of users who write (default 10; 0 measures what "
        "the page cache serves to readers alone).",
    )
    options = parser.parse_args(argv)
    force = options.force
    if options.cluster:
        from tests.load import cluster

        return cluster.main(
            force, quick=options.quick, think=options.think, writers=options.writers
        )
    env = environment()
    manage(env, "migrate", "--no-input", "-v0")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.json"
        seeded = in_django(env, "seed", plan, *(["--force"] if force else []))
        if seeded:
            return seeded
        env["DJANGO_STATIC_ROOT"] = str(Path(tmp) / "static")  # not the checkout's
        try:
            return serve_and_load(env, plan, Path(tmp))
        finally:
            in_django(env, "cleanup", plan)


def serve_and_load(env, plan: Path, tmp: Path) -> int:
    """gunicorn with production settings, locust against it; the report's exit code."""
    manage(env, "collectstatic", "--no-input", "-v0")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "forum.wsgi", "--workers", "2", "--bind", f"{HOST}:{PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    ranker = start_ranker(env)
    try:
        wait_until_up(f"http://{HOST}:{PORT}/")
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "tests/load/locustfile.py"), "--headless",
             "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", DURATION,
             "--host", f"http://{HOST}:{PORT}", "--csv", str(tmp / "load"),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOADTEST_PLAN": str(plan)}, check=False,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        stop_ranker(ranker)
    return report(tmp / "load_stats.csv")


def start_ranker(env) -> subprocess.Popen:
    """``rerank --every 10``: the front page's hot order ages while the test runs, as it
    would under cron."""
    return subprocess.Popen(
        [str(BIN / "python"), "manage.py", "rerank", "--every", "10", "-v0"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def stop_ranker(ranker: subprocess.Popen) -> None:
    os.killpg(ranker.pid, signal.SIGTERM)
    ranker.wait(timeout=30)


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        sys.exit(seed(sys.argv[2], force="--force" in sys.argv[3:]))
    elif sys.argv[1:2] == ["cleanup"]:
        sys.exit(cleanup(sys.argv[2]))
    elif sys.argv[1:2] == ["verify"]:
        from tests.load import cluster

        sys.exit(cluster.verify(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(main(sys.argv[1:]))
