"""Readers and writers for ``make loadtest ARGS=--cluster``: 90% anonymous page readers, 10%
logged-in writers (replies, and votes on the run's own replies); ``--writers`` changes the share.

Reads the plan ``tests/load/run.py`` seeds (LOADTEST_PLAN). Every write and every failed
request is appended, with its time, to the ledger file LOADTEST_LEDGER (one JSON object
a line), which the runner checks against the database afterwards: a write that answered
success must be stored, and a write that failed must have said so.
"""

import itertools
import json
import os
import random
import time
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
LEDGER = open(os.environ["LOADTEST_LEDGER"], "a", encoding="utf-8")  # noqa: SIM115
_members = itertools.cycle(PLAN["members"].items())
_replies: list[tuple[int, str]] = []  # (comment id, author) of replies that answered 201
HOST = "127.0.0.1"
WRITE_OK = {"reply": 201, "vote": 200}
# Seconds each simulated person waits between requests (LOADTEST_THINK="min,max"): about a
# second is a person reading; near 0 makes 100 users ask as fast as the servers answer.
THINK = between(*(float(x) for x in os.environ.get("LOADTEST_THINK", "0.5,1.5").split(",")))
# Percent of the users who are logged-in writers (LOADTEST_WRITERS); the rest read.
WRITERS = int(os.environ.get("LOADTEST_WRITERS", "10"))


def record(entry: dict) -> None:
    LEDGER.write(json.dumps({"t": time.time(), **entry}) + "\n")
    LEDGER.flush()


@events.request.add_listener
def on_request(request_type, name, response, exception, **kwargs):
    if exception is not None:
        status = getattr(response, "status_code", 0) or 0
        record({"kind": "failure", "name": name, "status": status, "error": str(exception)[:200]})


def pick_thread():
    return random.choices(PLAN["threads"], weights=[t["weight"] for t in PLAN["threads"]])[0]


class Reader(HttpUser):
    """A visitor who is not logged in: thread pages in every sort, and the front page."""

    weight = 100 - WRITERS
    wait_time = THINK

    @task(8)
    def read_thread(self):
        thread = pick_thread()
        sort = random.choice(("best", "best", "best", "new", "top"))
        self.client.get(f"{thread['url']}?sort={sort}", name=f"thread of {thread['size']:,}")

    @task(2)
    def read_front_page(self):
        self.client.get("/", name="front page")


class Writer(HttpUser):
    """A member (logged in through a session the seed made) who replies and votes."""

    weight = WRITERS
    wait_time = THINK

    def on_start(self):
        self.username, session = next(_members)
        self.client.cookies.set("sessionid", session, domain=HOST)
        self.client.get("/", name="front page (member)")  # sets the CSRF cookie

    def _post(self, url, data, kind):
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "X-Requested-With": "fetch",
            "Referer": self.host + "/",
        }
        with self.client.post(url, data=data, headers=headers, name=kind,
                              catch_response=True) as response:  # fmt: skip
            ok = response.status_code == WRITE_OK[kind]
            if not ok:
                said = " ".join((response.text or "").split())[:120]
                response.failure(f"{kind} answered {response.status_code}: {said}")
            try:
                answer = response.json() if ok else {}
            except ValueError:
                answer = {}
            return response.status_code, answer

    @task(1)
    def reply(self):
        thread = pick_thread()
        parent = random.choice(thread["comments"])
        token = uuid.uuid4().hex
        status, answer = self._post(
            f"/c/{parent}/reply/", {"body": f"load test reply {token} by {self.username}"}, "reply"
        )
        record({"kind": "reply", "token": token, "parent": parent, "status": status,
                "id": answer.get("id"), "member": self.username})  # fmt: skip
        if answer.get("id"):
            _replies.append((answer["id"], self.username))

    @task(1)
    def vote(self):
        others = [pk for pk, author in _replies[-200:] if author != self.username]
        if not others:
            return self.reply()
        comment = random.choice(others)
        value = random.choice((1, 1, 1, -1))
        status, answer = self._post(f"/c/{comment}/vote/", {"value": str(value)}, "vote")
        record({"kind": "vote", "comment": comment, "value": value, "status": status,
                "vote": answer.get("vote"), "member": self.username})  # fmt: skip
