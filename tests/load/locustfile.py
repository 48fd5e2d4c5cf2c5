"""Simulated members for ``make loadtest``: 90% page reads, 10% replies and votes.

Reads the plan that ``tests/load/run.py`` seeds (threads of several sizes, member
accounts, comment ids to reply to and vote on) from the file named by LOADTEST_PLAN.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
_members = itertools.cycle(PLAN["members"].items())
HOST = "127.0.0.1"


class Member(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        """Logged in through a session the seed made; a first page sets the CSRF cookie."""
        self.username, session = next(_members)
        self.client.cookies.set("sessionid", session, domain=HOST)
        self.client.get("/", name="front page")

    def _thread(self):
        return random.choices(PLAN["threads"], weights=[t["weight"] for t in PLAN["threads"]])[0]

    def _post(self, url, data, name):
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "X-Requested-With": "fetch",
            "Referer": self.host + "/",
        }
        return self.client.post(url, data=data, headers=headers, name=name)

    @task(80)
    def read_thread(self):
        thread = self._thread()
        sort = random.choice(("best", "best", "best", "new", "top"))
        self.client.get(f"{thread['url']}?sort={sort}", name=f"thread of {thread['size']:,}")

    @task(10)
    def read_front_page(self):
        self.client.get("/", name="front page")

    @task(5)
    def reply(self):
        thread = self._thread()
        parent = random.choice(thread["comments"])
        self._post(f"/c/{parent}/reply/", {"body": f"load test reply by {self.username}"},
                   name="reply")  # fmt: skip

    @task(5)
    def vote(self):
        thread = self._thread()
        comment = random.choice(thread["comments"])
        self._post(f"/c/{comment}/vote/", {"value": random.choice(("1", "-1"))}, name="vote")
