"""The cluster load test's write check (tests/load/cluster.py ``verify``): a write that
answered success must be in the database, a failed one must have answered an error."""

import json

import pytest
from django.contrib.auth import get_user_model

from threads import services
from threads.models import Comment


@pytest.fixture
def seeded(monkeypatch, db, tmp_path):
    """``make loadtest``'s seed with one small thread and two members; removed afterwards."""
    from tests.load import run

    monkeypatch.setattr(run, "SIZES", {10: 1})
    monkeypatch.setattr(run, "MEMBERS", 2)
    plan_path = tmp_path / "plan.json"
    assert run.seed(str(plan_path), force=True) == 0
    yield plan_path, json.loads(plan_path.read_text(encoding="utf-8"))
    run.cleanup(str(plan_path))


def check(plan_path, tmp_path, entries):
    from tests.load import cluster

    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text("".join(json.dumps({"t": 0, **e}) + "\n" for e in entries), encoding="utf-8")
    return cluster.verify(str(plan_path), str(ledger))


def test_stored_writes_pass_and_missing_or_silent_ones_do_not(seeded, tmp_path, capsys):
    plan_path, plan = seeded
    (ann, bo) = plan["members"]
    users = get_user_model().objects.in_bulk(field_name="username")
    parent = Comment.objects.get(pk=plan["threads"][0]["comments"][0])
    reply = services.comment_create(
        author=users[ann],
        thread=parent.thread,
        parent=parent,
        body=f"load test reply tok1 by {ann}",
    )
    services.vote_cast(user=users[bo], item=reply, value=1)
    good = [
        {"kind": "reply", "token": "tok1", "status": 201, "id": reply.pk, "member": ann},
        {"kind": "reply", "token": "tok2", "status": 502, "id": None, "member": ann},
        {"kind": "vote", "comment": reply.pk, "value": 1, "status": 200, "vote": 1, "member": bo},
    ]
    assert check(plan_path, tmp_path, good) == 0
    out = capsys.readouterr().out
    assert "1 replies answered 201 and are stored once each, 1 failed with an error status " in out
    assert "(0 of them stored anyway); 1 votes answered success, 0 failed" in out
    assert "tree_problems(): []  score_problems() of the run's comments: []" in out

    bad = [
        {"kind": "reply", "token": "tok3", "status": 201, "id": reply.pk + 1000, "member": ann},
        {"kind": "reply", "token": "tok4", "status": 302, "id": None, "member": ann},
        {"kind": "vote", "comment": reply.pk, "value": -1, "status": 200, "vote": -1, "member": bo},
    ]
    assert check(plan_path, tmp_path, good + bad) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if "PROBLEM" in line]
    assert problems == [
        f"  PROBLEM: reply tok3 answered 201 (id {reply.pk + 1000}) but the database holds None",
        "  PROBLEM: reply tok4 failed without an error status (302)",
        f"  PROBLEM: {bo}'s vote on {reply.pk} answered -1, the database holds 1",
    ]
