"""``make loadtest ARGS=--cluster``: the cluster under load, against one instance, with a failover.

In one run, on the same seeded data (tests/load/run.py seeds and removes it):

1. one gunicorn instance (2 workers) without any cache (tests/load/settings_nocache.py),
   driven directly by locust for 30 s: the baseline;
2. the cluster (forum/deploy/cluster.py: nginx on 127.0.0.1:8170 in front of two
   instances of 2 workers, the Redis cache) for 60 s; both with 100 users, 90% anonymous
   readers and 10% logged-in writers (tests/load/locustfile_cluster.py);
3. during the cluster's run, 20 s in, the first instance's master is killed (SIGKILL, by
   its PID) and started again 10 s later, while nginx routes around it.

Then it prints requests/s, p50/p95/p99 and errors of both and their ratio, the errors
seen around the kill, and checks the writes: every reply and vote that answered success
is in the database, every failed one answered an error, and ``tree_problems()`` and
``score_problems()`` are empty for the threads and the run's new comments. It exits
non-zero when a write check fails, or an error happened outside the failover window.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from forum.deploy.cluster import HOST, Cluster, wait_until_up
from tests.load import run

USERS = 100
DURATION, BASELINE_DURATION = 60, 30
KILL_AT, RESTART_AFTER = 20, 10
THINK = "0.5,1.5"  # seconds a user waits between requests (min,max)
WRITERS = 10  # percent of the users who are logged-in writers
CLUSTER = Cluster(run_dir=run.ROOT / ".cluster" / "loadtest", port=8170, app_ports=(8171, 8172))
BASELINE_PORT = 8173
REDIS_URL = "redis://127.0.0.1:6379/5"


def locust(env: dict, url: str, seconds: int, csv_prefix: Path) -> dict:
    """Headless locust against ``url``; its statistics by request name ("Aggregated": all)."""
    log = Path(f"{csv_prefix}.log")
    with log.open("w", encoding="utf-8") as output:
        subprocess.run(
            [str(run.BIN / "locust"), "-f", str(run.ROOT / "tests/load/locustfile_cluster.py"),
             "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
             "--run-time", f"{seconds}s", "--host", url, "--csv", str(csv_prefix),
             "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=run.ROOT, env=env, check=False, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    stats = Path(f"{csv_prefix}_stats.csv")
    if not stats.exists():
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-20:])
        raise RuntimeError(f"locust wrote no statistics:\n{tail}")
    with stats.open(encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return rows


def summary(rows: dict) -> dict:
    total = rows["Aggregated"]
    return {
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50": total["50%"], "p95": total["95%"], "p99": total["99%"],
    }  # fmt: skip


def failover(cluster: Cluster, env: dict, started: float, events: dict) -> None:
    """Kill the first instance's master KILL_AT s into the run, restart it RESTART_AFTER later."""
    time.sleep(max(0.0, started + KILL_AT - time.time()))
    events["pid"] = cluster.kill_instance(0)
    events["killed"] = time.time()
    time.sleep(RESTART_AFTER)
    events["restarting"] = time.time()
    try:
        cluster.start_instance(0, env)
    except RuntimeError as error:
        events["restart_error"] = str(error)
    events["up"] = time.time()


def load_ledger(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(force: bool, *, quick: bool = False, think: str = "0.5,1.5", writers: int = 10) -> int:
    global USERS, DURATION, BASELINE_DURATION, KILL_AT, RESTART_AFTER, THINK, WRITERS
    THINK, WRITERS = think, writers
    if quick:
        USERS, DURATION, BASELINE_DURATION, KILL_AT, RESTART_AFTER = 20, 20, 10, 5, 5
    env = run.environment()
    prefix = f"loadtest-{secrets.token_hex(4)}"
    env.update({
        "REDIS_URL": os.environ.get("REDIS_URL") or REDIS_URL,
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_TRUSTED_PROXIES": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOADTEST_THINK": think,
        "LOADTEST_WRITERS": str(writers),
    })  # fmt: skip
    run.manage(env, "migrate", "--no-input", "-v0")
    CLUSTER.run_dir.mkdir(parents=True, exist_ok=True)
    if CLUSTER.running():
        sys.stderr.write(f"A load test cluster is running already ({CLUSTER.run_dir}).\n")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plan = tmp / "plan.json"
        seeded = run.in_django(env, "seed", plan, *(["--force"] if force else []))
        if seeded:
            return seeded
        env["DJANGO_STATIC_ROOT"] = str(CLUSTER.static_root)
        try:
            return measure(env, plan, tmp)
        finally:
            run.in_django(env, "cleanup", plan)
            forget_cache(env["REDIS_URL"], prefix)


def measure(env: dict, plan: Path, tmp: Path) -> int:
    run.manage(env, "collectstatic", "--no-input", "-v0")
    ledger = tmp / "ledger.jsonl"
    locust_env = {**env, "LOADTEST_PLAN": str(plan), "LOADTEST_LEDGER": str(ledger)}

    run.say(f"One gunicorn instance (2 workers), no cache: {USERS} users, {BASELINE_DURATION} s")
    baseline = subprocess.Popen(
        [str(run.BIN / "gunicorn"), "forum.wsgi", "--workers", "2",
         "--bind", f"{HOST}:{BASELINE_PORT}", "--log-level", "warning"],
        cwd=run.ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "tests.load.settings_nocache"},
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://{HOST}:{BASELINE_PORT}/", process=baseline)
        one = summary(locust(locust_env, f"http://{HOST}:{BASELINE_PORT}", BASELINE_DURATION,
                             tmp / "one"))  # fmt: skip
    finally:
        os.kill(baseline.pid, signal.SIGTERM)  # the master: its workers finish first
        baseline.wait(timeout=30)
    baseline_writes = len(load_ledger(ledger))

    run.say(f"The cluster: nginx and 2 instances of 2 workers: {USERS} users, {DURATION} s, "
            f"instance 1 killed at {KILL_AT} s and restarted {RESTART_AFTER} s later")  # fmt: skip
    events: dict = {}
    CLUSTER.start(env)
    ranker = run.start_ranker(env)
    try:
        started = time.time()
        killer = threading.Thread(target=failover, args=(CLUSTER, env, started, events))
        killer.start()
        rows = locust(locust_env, CLUSTER.url.rstrip("/"), DURATION, tmp / "cluster")
        killer.join()
    finally:
        run.stop_ranker(ranker)
        CLUSTER.stop(quiet=True)
    both = summary(rows)
    entries = load_ledger(ledger)
    (tmp / "failover.json").write_text(json.dumps(events), encoding="utf-8")
    report(one, both, rows, events, entries[baseline_writes:])
    checked = run.in_django(env, "verify", plan, str(ledger))
    outside = [e for e in entries[baseline_writes:] if e["kind"] == "failure"
               and not in_window(e, events)]  # fmt: skip
    for entry in outside[:10]:
        run.say(f"  outside the window: {entry['name']}: {entry['error']}")
    baseline_errors = one["errors"]
    run.say(
        f"\nZero-errors check: cluster {'PASS' if not outside else 'FAIL'} "
        f"({len(outside)} errors outside the failover window); "
        f"one instance: {baseline_errors} errors"
    )
    return 1 if checked or outside else 0


def in_window(entry: dict, events: dict) -> bool:
    """From the kill until nginx has had time to take the restarted instance back."""
    if "killed" not in events:
        return False
    until = events.get("up", events["killed"]) + CLUSTER.fail_timeout
    return events["killed"] <= entry["t"] <= until


def line(label: str, figures: dict) -> str:
    return (f"{label:<34}{figures['rps']:>9.1f}{figures['p50']:>7}{figures['p95']:>7}"
            f"{figures['p99']:>7}{figures['requests']:>9}{figures['errors']:>8}")  # fmt: skip


def report(one: dict, both: dict, rows: dict, events: dict, entries: list[dict]) -> None:
    run.say(f"\n{'cluster, by request':<34}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}"
            f"{'count':>9}{'errors':>8}")  # fmt: skip
    for name, row in rows.items():
        if name != "Aggregated":
            run.say(line(f"  {name}", summary({"Aggregated": row})))
    run.say(f"\n{'':<34}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}{'count':>9}{'errors':>8}")
    run.say(line(f"one instance, no cache ({BASELINE_DURATION} s)", one))
    run.say(line(f"cluster with failover ({DURATION} s)", both))
    ratio = both["rps"] / one["rps"] if one["rps"] else float("inf")
    run.say(
        f"cluster / one instance: {ratio:.1f}x requests/s ({USERS} users each, {WRITERS}% of "
        f"them writers, waiting {THINK.replace(',', '-')} s between requests; times in ms)"
    )
    if "killed" not in events:
        run.say("\nFailover: the instance was not killed (the run ended first)")
        return
    killed = events["killed"]
    run.say(
        f"\nFailover: instance 1 (master pid {events['pid']}) killed at +{KILL_AT} s, "
        f"restarted {events['restarting'] - killed:.1f} s later, serving again after "
        f"{events['up'] - killed:.1f} s" + (f" ({events['restart_error']})"
                                             if "restart_error" in events else "")
    )  # fmt: skip
    failures = [e for e in entries if e["kind"] == "failure" and in_window(e, events)]
    later = [e for e in failures if e["t"] > killed + 1]
    run.say(f"errors from the kill until {CLUSTER.fail_timeout} s after the restart: "
            f"{len(failures)}, of them {len(later)} more than 1 s after the kill (once nginx "
            "has marked the instance down)")  # fmt: skip
    for entry in failures[:20]:
        run.say(f"  +{entry['t'] - killed:5.2f} s  {entry['name']}: {entry['error']}")


def verify(plan_path: str, ledger_path: str) -> int:
    """Runs inside Django (``python -m tests.load.run verify PLAN LEDGER``)."""
    import django

    django.setup()
    from threads.integrity import score_problems, tree_problems
    from threads.models import Comment, Vote

    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    entries = load_ledger(Path(ledger_path))
    threads = plan["made"]["threads"]
    replies = [e for e in entries if e["kind"] == "reply"]
    stored = {}
    for body, pk in Comment.objects.filter(
        thread_id__in=threads, pk__gt=plan["last_seeded_comment"]
    ).values_list("body", "pk"):
        token = body.split()[3] if body.startswith("load test reply ") else None
        stored.setdefault(token, []).append(pk)
    problems = []
    ok = [e for e in replies if e["status"] == 201]
    failed = [e for e in replies if e["status"] != 201]
    for entry in ok:
        if stored.get(entry["token"]) != [entry["id"]]:
            problems.append(f"reply {entry['token']} answered 201 (id {entry['id']}) but the "
                            f"database holds {stored.get(entry['token'])}")  # fmt: skip
    silent = [e for e in failed if 200 <= e["status"] < 400]
    problems += [f"reply {e['token']} failed without an error status ({e['status']})"
                 for e in silent]  # fmt: skip
    stored_anyway = sum(1 for e in failed if stored.get(e["token"]))
    votes = [e for e in entries if e["kind"] == "vote"]
    votes_ok = [e for e in votes if e["status"] == 200]
    last = {}  # (member, comment) -> the last vote's answer, when every vote on it succeeded
    for entry in votes:
        key = (entry["member"], entry["comment"])
        last[key] = entry if entry["status"] == 200 and last.get(key, True) else None
    members = {name: pk for pk, name in zip(plan["made"]["users"], plan["members"], strict=True)}
    rows = {
        (user_id, comment_id): value
        for user_id, comment_id, value in Vote.objects.filter(
            comment__thread_id__in=threads, comment_id__gt=plan["last_seeded_comment"]
        ).values_list("user_id", "comment_id", "value")
    }
    for (member, comment), entry in last.items():
        held = rows.get((members[member], comment), 0)
        if entry is not None and held != entry["vote"]:
            problems.append(f"{member}'s vote on {comment} answered {entry['vote']}, the "
                            f"database holds {held}")  # fmt: skip
    new = Comment.objects.filter(thread_id__in=threads, pk__gt=plan["last_seeded_comment"])
    tree = tree_problems(Comment.objects.filter(thread_id__in=threads))
    scores = score_problems(new)
    run.say(
        f"\nWrites: {len(ok)} replies answered 201 and are stored once each, "
        f"{len(failed)} failed with an error status ({stored_anyway} of them stored anyway); "
        f"{len(votes_ok)} votes answered success, {len(votes) - len(votes_ok)} failed"
    )
    run.say(f"tree_problems(): {tree[:5]}  score_problems() of the run's comments: {scores[:5]}")
    for problem in problems[:20]:
        run.say(f"  PROBLEM: {problem}")
    return 1 if problems or tree or scores else 0


def forget_cache(url: str, prefix: str) -> None:
    """The run's keys in Redis, by its own prefix (never the whole database)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
