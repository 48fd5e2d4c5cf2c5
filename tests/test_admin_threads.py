"""Threads in the admin: remove, restore, pin and unpin through the services, the threads'
report queue, the state filter, and a superuser's delete as a logged purge."""

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_thread
from tests.test_admin import changelist, confirm_action, messages_of, run_action
from tests.test_admin_deletes import delete_selected
from threads import services
from threads.integrity import tree_problems
from threads.models import Comment, ModerationLog, Report, Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client, a_moderator):
    client.force_login(a_moderator)
    return client


def fresh(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def test_remove_asks_for_a_reason_then_logs_and_restore_brings_back(mod_client, a_thread):
    page = run_action(mod_client, "threads_thread", "remove_threads", [a_thread.pk])
    assert page.status_code == 200 and "Hello forum" in page.content.decode()
    assert not fresh(a_thread).is_removed
    empty = confirm_action(mod_client, "threads_thread", "remove_threads", [a_thread.pk], reason="")
    assert empty.status_code == 200 and not fresh(a_thread).is_removed
    done = confirm_action(
        mod_client, "threads_thread", "remove_threads", [a_thread.pk], reason="spam"
    )
    assert done.status_code == 302 and fresh(a_thread).is_removed
    listing = mod_client.get(changelist("threads_thread"), {"state": "removed"})
    assert "Hello forum" in listing.content.decode()  # moderators still read the title
    response = run_action(mod_client, "threads_thread", "restore_threads", [a_thread.pk])
    assert "Restored 1 thread." in messages_of(mod_client.get(response["Location"]))
    actions = list(ModerationLog.objects.order_by("id").values_list("action", "reason"))
    assert actions == [("thread_remove", "spam"), ("thread_restore", "")]


def test_pin_and_unpin_from_the_admin_with_a_place(mod_client):
    a, b = make_thread(title="A"), make_thread(title="B")
    confirm_action(mod_client, "threads_thread", "pin_threads", [a.pk], position="")
    confirm_action(mod_client, "threads_thread", "pin_threads", [b.pk], position="1")
    assert (fresh(b).pinned_position, fresh(a).pinned_position) == (1, 2)
    bad = confirm_action(mod_client, "threads_thread", "pin_threads", [a.pk], position="9")
    assert bad.status_code == 200 and "Ensure this value is less than" in bad.content.decode()
    listing = mod_client.get(changelist("threads_thread"), {"state": "pinned"}).content.decode()
    assert "pinned (1)" in listing and "pinned (2)" in listing
    run_action(mod_client, "threads_thread", "unpin_threads", [a.pk, b.pk])
    assert fresh(a).pinned_position is None and fresh(b).pinned_position is None
    assert ModerationLog.objects.filter(action="thread_unpin").count() == 2


def test_the_pin_cap_is_said_per_thread(mod_client, monkeypatch):
    from threads import limits

    monkeypatch.setattr(limits, "MAX_PINNED_THREADS", 1)
    a, b = make_thread(title="A"), make_thread(title="B")
    response = confirm_action(mod_client, "threads_thread", "pin_threads", [a.pk, b.pk])
    messages = messages_of(mod_client.get(response["Location"]))
    assert "Pinned 1 thread." in messages
    assert any("At most 1 threads" in m for m in messages)


def test_the_threads_report_queue(mod_client, a_thread, another_user, a_user):
    services.thread_report_create(reporter=another_user, thread=a_thread, reason="spam")
    quiet = make_thread(title="Nobody reported this")
    queue = mod_client.get(changelist("threads_reportedthread")).content.decode()
    assert "Hello forum" in queue and "spam" in queue and quiet.title not in queue
    response = run_action(mod_client, "threads_reportedthread", "dismiss_reports", [a_thread.pk])
    assert "Dismissed the reports of 1 thread." in messages_of(mod_client.get(response["Location"]))
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert (
        "Hello forum" not in mod_client.get(changelist("threads_reportedthread")).content.decode()
    )
    reports = mod_client.get(changelist("threads_report")).content.decode()
    assert "Hello forum" in reports  # every report, of a thread too, in the record


def test_moderators_cannot_delete_threads(mod_client, a_thread):
    url = reverse("admin:threads_thread_delete", args=[a_thread.pk])
    assert mod_client.post(url, {"post": "yes"}).status_code == 403
    assert Thread.objects.filter(pk=a_thread.pk).exists()


def test_a_superuser_deleting_threads_purges_and_logs(client, a_superuser, a_thread):
    root = make_comment(a_thread)
    make_comment(a_thread, parent=root)
    other = make_thread(title="Other")
    kept = make_comment(other)
    client.force_login(a_superuser)
    response = delete_selected(client, "threads_thread", [a_thread.pk])
    assert response.status_code == 200
    assert list(Thread.objects.values_list("pk", flat=True)) == [other.pk]
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.moderator) == ("thread_purge", a_superuser)
    assert entry.detail == f"thread #{a_thread.pk} and 2 comments"
    assert tree_problems() == []
    one = reverse("admin:threads_thread_delete", args=[other.pk])
    assert client.post(one, {"post": "yes"}).status_code == 302
    assert not Thread.objects.exists() and ModerationLog.objects.count() == 2
