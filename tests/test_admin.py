"""The admin as a moderator uses it: changelist action POSTs and the reason pages."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import make_comment, make_thread, make_user
from threads import services
from threads.models import Ban, Comment, ModerationLog, Report, Thread

pytestmark = pytest.mark.django_db

Action = ModerationLog.Action


@pytest.fixture
def mod_client(client, a_moderator):
    """A browser session logged in as the moderator mia."""
    client.force_login(a_moderator)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:{model}_changelist")


def run_action(client, model, action, pks, **extra):
    """The changelist's own action form: select rows, pick the action, press Go."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], "index": "0"}
    return client.post(changelist(model), {**data, **extra})


def confirm_action(client, model, action, pks, **fields):
    """The intermediate page's form: the selection again, the reason, and Apply."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], "apply": "Apply"}
    return client.post(changelist(model), {**data, **fields})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Threads


def test_thread_list_shows_the_columns_and_filters(mod_client, a_thread, a_comment):
    response = mod_client.get(changelist("threads_thread"), {"q": "Hello"})
    assert response.status_code == 200
    text = response.content.decode()
    for column in ("Title", "Author", "Created at", "Score", "Comment count", "Is locked"):
        assert column in text
    assert "Hello forum" in text and "alice" in text
    assert "By is locked" in text  # the locked filter
    assert mod_client.get(changelist("threads_thread"), {"q": "nothing"}).context[
        "cl"
    ].result_count == (0)


def test_lock_and_unlock_actions(mod_client, a_thread):
    response = run_action(mod_client, "threads_thread", "lock_threads", [a_thread.pk])
    assert response.status_code == 302
    assert Thread.objects.get(pk=a_thread.pk).is_locked
    followed = mod_client.get(response["Location"])
    assert "Locked 1 thread." in messages_of(followed)
    run_action(mod_client, "threads_thread", "unlock_threads", [a_thread.pk])
    assert not Thread.objects.get(pk=a_thread.pk).is_locked
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        Action.THREAD_LOCK,
        Action.THREAD_UNLOCK,
    ]


def test_thread_detail_is_read_only_for_moderators(mod_client, a_thread):
    url = reverse("admin:threads_thread_change", args=[a_thread.pk])
    assert mod_client.get(url).status_code == 200
    response = mod_client.post(url, {"title": "hijacked", "is_locked": "on"})
    assert response.status_code == 403
    assert Thread.objects.get(pk=a_thread.pk).title == "Hello forum"
    assert mod_client.get(reverse("admin:threads_thread_add")).status_code == 403


# Comments


def test_comment_list_is_the_indented_tree_in_thread_order(mod_client, a_thread, a_comment):
    reply = make_comment(a_thread, parent=a_comment, body="a reply")
    deeper = make_comment(a_thread, parent=reply, body="deeper")
    second = make_comment(a_thread, body="second top")
    response = mod_client.get(changelist("threads_comment"))
    text = response.content.decode()
    bodies = ["first!", "a reply", "deeper", "second top"]
    positions = [text.index(f">{body}</span>") for body in bodies]
    assert positions == sorted(positions)
    assert 'class="indent indent-0">first!' in text
    assert 'class="indent indent-2">deeper' in text
    assert {"visible"} <= set(re.findall(r'field-state">(\w+)<', text))
    assert [c.pk for c in response.context["cl"].result_list] == [
        a_comment.pk,
        reply.pk,
        deeper.pk,
        second.pk,
    ]


def test_comment_filters_and_search(mod_client, a_thread, a_comment, a_moderator):
    other = make_thread(title="Elsewhere")
    elsewhere = make_comment(other, body="off in another thread")
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="x")
    url = changelist("threads_comment")

    def pks(**params):
        return [c.pk for c in mod_client.get(url, params).context["cl"].result_list]

    assert pks(state="removed") == [a_comment.pk]
    assert pks(state="visible") == [elsewhere.pk]
    assert pks(thread=str(other.pk)) == [elsewhere.pk]
    assert pks(q="another") == [elsewhere.pk]
    assert pks(q="bob") == [a_comment.pk]


def test_remove_action_asks_for_a_reason_then_removes(mod_client, a_comment):
    url_pks = [a_comment.pk]
    page = run_action(mod_client, "threads_comment", "remove_comments", url_pks)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Remove comments" in text and "first!" in text and 'name="reason"' in text
    assert not Comment.objects.get(pk=a_comment.pk).is_removed  # nothing yet

    empty = confirm_action(mod_client, "threads_comment", "remove_comments", url_pks, reason="")
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    assert not Comment.objects.get(pk=a_comment.pk).is_removed

    done = confirm_action(
        mod_client, "threads_comment", "remove_comments", url_pks, reason="insults"
    )
    assert done.status_code == 302
    assert Comment.objects.get(pk=a_comment.pk).is_removed
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.comment_id, entry.reason) == (
        Action.COMMENT_REMOVE,
        a_comment.pk,
        "insults",
    )
    # Moderators still read the removed text in the admin.
    listing = mod_client.get(changelist("threads_comment")).content.decode()
    assert "first!" in listing and "removed" in listing


def test_restore_action(mod_client, a_moderator, a_comment):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="x")
    response = run_action(mod_client, "threads_comment", "restore_comments", [a_comment.pk])
    assert response.status_code == 302
    assert not Comment.objects.get(pk=a_comment.pk).is_removed
    assert ModerationLog.objects.filter(action=Action.COMMENT_RESTORE).count() == 1


def test_comments_cannot_be_added_edited_or_deleted_in_the_admin(mod_client, a_comment):
    assert mod_client.get(reverse("admin:threads_comment_add")).status_code == 403
    change = reverse("admin:threads_comment_change", args=[a_comment.pk])
    assert mod_client.post(change, {"body": "rewritten"}).status_code == 403
    delete = reverse("admin:threads_comment_delete", args=[a_comment.pk])
    assert mod_client.post(delete, {"post": "yes"}).status_code == 403
    # The bulk delete is not offered, and posting it by hand runs nothing.
    listing = mod_client.get(changelist("threads_comment"))
    offered = [name for name, _ in listing.context["action_form"].fields["action"].choices]
    assert offered == ["", "remove_comments", "restore_comments"]
    response = run_action(mod_client, "threads_comment", "delete_selected", [a_comment.pk])
    assert response.status_code == 302
    assert response["Location"] == changelist("threads_comment")
    assert messages_of(mod_client.get(response["Location"])) == ["No action selected."]
    assert list(Comment.objects.values_list("pk", "body")) == [(a_comment.pk, "first!")]


# Reports


@pytest.fixture
def reported(a_thread, a_comment, a_user):
    """bob's comment reported twice, another comment once."""
    once = make_comment(a_thread, body="reported once")
    services.report_create(reporter=a_user, comment=a_comment, reason="rude to me")
    services.report_create(reporter=make_user("dora"), comment=a_comment, reason="personal attack")
    services.report_create(reporter=a_user, comment=once, reason="spam link")
    return a_comment, once


def test_report_queue_lists_most_reported_first_with_reasons(mod_client, reported):
    twice, once = reported
    response = mod_client.get(changelist("threads_reportedcomment"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [twice.pk, once.pk]
    text = response.content.decode()
    assert "<b>alice</b>: rude to me" in text
    assert "<b>dora</b>: personal attack" in text
    assert "<b>alice</b>: spam link" in text


def test_report_queue_remove_resolves_the_reports(mod_client, reported):
    twice, once = reported
    model = "threads_reportedcomment"
    page = run_action(mod_client, model, "remove_comments", [twice.pk])
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    done = confirm_action(mod_client, model, "remove_comments", [twice.pk], reason="harassment")
    assert done.status_code == 302
    assert Comment.objects.get(pk=twice.pk).is_removed
    assert set(Report.objects.filter(comment=twice).values_list("status", flat=True)) == {
        Report.Status.REMOVED
    }
    queue = mod_client.get(changelist(model)).context["cl"].result_list
    assert [c.pk for c in queue] == [once.pk]


def test_report_queue_dismiss(mod_client, reported):
    twice, once = reported
    response = run_action(mod_client, "threads_reportedcomment", "dismiss_reports", [once.pk])
    assert response.status_code == 302
    assert Report.objects.get(comment=once).status == Report.Status.DISMISSED
    assert not Comment.objects.get(pk=once.pk).is_removed
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.comment_id, entry.detail) == (
        Action.REPORTS_DISMISS,
        once.pk,
        "1 report",
    )


def test_report_history_is_read_only(mod_client, reported):
    assert mod_client.get(changelist("threads_report")).status_code == 200
    report = Report.objects.first()
    change = reverse("admin:threads_report_change", args=[report.pk])
    assert mod_client.post(change, {"status": "dismissed"}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN


# Users


def test_ban_action_asks_for_reason_and_end(mod_client):
    carl = make_user("carl")
    page = run_action(mod_client, "auth_user", "ban_users", [carl.pk])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="reason"' in text and 'name="until"' in text and "carl" in text
    done = confirm_action(
        mod_client, "auth_user", "ban_users", [carl.pk], reason="spam", until="2099-01-31T18:00"
    )
    assert done.status_code == 302
    ban = Ban.objects.active().get(user=carl)
    assert (ban.reason, ban.until) == ("spam", datetime(2099, 1, 31, 18, 0, tzinfo=UTC))
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.user_id, entry.detail) == (
        Action.USER_BAN,
        carl.pk,
        "until 2099-01-31 18:00 UTC",
    )
    listing = mod_client.get(changelist("auth_user"), {"banned": "yes"})
    assert [u.pk for u in listing.context["cl"].result_list] == [carl.pk]


def test_permanent_ban_and_unban_actions(mod_client):
    carl = make_user("carl")
    confirm_action(mod_client, "auth_user", "ban_users", [carl.pk], reason="spam", until="")
    assert Ban.objects.active().get(user=carl).until is None
    response = run_action(mod_client, "auth_user", "unban_users", [carl.pk])
    assert response.status_code == 302
    assert not Ban.objects.active().filter(user=carl).exists()
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        Action.USER_BAN,
        Action.USER_UNBAN,
    ]


def test_ban_action_refuses_staff_with_a_message(mod_client, a_superuser):
    response = confirm_action(mod_client, "auth_user", "ban_users", [a_superuser.pk], reason="coup")
    followed = mod_client.get(response["Location"])
    assert f"{a_superuser}: {services.BAN_STAFF}" in messages_of(followed)
    assert not Ban.objects.exists()


def test_moderators_cannot_change_passwords_staff_flags_or_groups(mod_client, a_user):
    password_url = reverse("admin:auth_user_password_change", args=[a_user.pk])
    assert mod_client.get(password_url).status_code == 403
    assert mod_client.post(password_url, {"password1": "x", "password2": "x"}).status_code == 403
    change_url = reverse("admin:auth_user_change", args=[a_user.pk])
    page = mod_client.get(change_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "password/" not in text
    assert 'name="is_staff"' not in text and 'name="groups"' not in text
    assert "user_permissions" not in text
    response = mod_client.post(
        change_url, {"username": "alice", "is_staff": "on", "is_superuser": "on"}
    )
    assert response.status_code == 403
    a_user.refresh_from_db()
    assert (a_user.is_staff, a_user.is_superuser) == (False, False)
    assert mod_client.get(reverse("admin:auth_user_add")).status_code == 403
    assert mod_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_superuser_keeps_the_full_user_admin(client, a_superuser, a_user):
    client.force_login(a_superuser)
    password_url = reverse("admin:auth_user_password_change", args=[a_user.pk])
    assert client.get(password_url).status_code == 200
    page = client.get(reverse("admin:auth_user_change", args=[a_user.pk])).content.decode()
    assert 'name="is_staff"' in page and 'name="groups"' in page


# The log


def test_moderation_log_is_read_only(mod_client, a_moderator, a_thread):
    services.thread_lock(moderator=a_moderator, thread=a_thread, reason="heat")
    entry = ModerationLog.objects.get()
    assert mod_client.get(changelist("threads_moderationlog")).status_code == 200
    assert mod_client.get(reverse("admin:threads_moderationlog_add")).status_code == 403
    change = reverse("admin:threads_moderationlog_change", args=[entry.pk])
    assert mod_client.get(change).status_code == 200  # view only
    assert mod_client.post(change, {"reason": "rewritten"}).status_code == 403
    delete = reverse("admin:threads_moderationlog_delete", args=[entry.pk])
    assert mod_client.post(delete, {"post": "yes"}).status_code == 403
    assert ModerationLog.objects.get().reason == "heat"


def test_superuser_cannot_edit_the_log_either(client, a_superuser, a_moderator, a_thread):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    client.force_login(a_superuser)
    entry = ModerationLog.objects.get()
    delete = reverse("admin:threads_moderationlog_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ModerationLog.objects.count() == 1


# Who gets in


def test_non_staff_are_sent_to_the_admin_login(client, a_user):
    for who in (None, a_user):
        if who:
            client.force_login(who)
        response = client.get(changelist("threads_comment"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_each_moderator_page_opens(mod_client, reported, a_banned_user):
    for model in (
        "threads_thread",
        "threads_comment",
        "threads_reportedcomment",
        "threads_report",
        "auth_user",
        "threads_ban",
        "threads_moderationlog",
    ):
        assert mod_client.get(changelist(model)).status_code == 200, model
    assert mod_client.get(changelist("threads_vote")).status_code == 403


def test_votes_are_read_only_in_the_admin(client, db):
    """Adding or deleting a vote row here would leave the counts behind."""
    from tests.factories import make_superuser

    client.force_login(make_superuser("vote-root"))
    assert client.get("/admin/threads/vote/").status_code == 200
    assert client.get("/admin/threads/vote/add/").status_code == 403
