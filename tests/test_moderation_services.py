"""Moderation services: each changes the state and logs it in one transaction, once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import make_comment, make_user
from threads import services
from threads.models import MODERATORS_GROUP, Ban, Comment, ModerationLog, Report, Thread
from threads.services import moderation

pytestmark = pytest.mark.django_db

Action = ModerationLog.Action


def log_rows():
    return list(
        ModerationLog.objects.order_by("id").values_list(
            "moderator__username",
            "action",
            "thread_id",
            "comment_id",
            "user_id",
            "reason",
            "detail",
        )
    )


@pytest.fixture
def failing_log(monkeypatch):
    """Make writing the log entry fail, to prove the state change rolls back with it."""

    def boom(*args, **kwargs):
        raise RuntimeError("log write failed")

    monkeypatch.setattr(moderation, "log_action", boom)


# The group


def test_moderators_group_has_exactly_the_moderation_permissions():
    perms = Group.objects.get(name=MODERATORS_GROUP).permissions.values_list(
        "content_type__app_label", "codename"
    )
    assert sorted(perms) == [
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("threads", "change_comment"),
        ("threads", "change_report"),
        ("threads", "change_reportedcomment"),
        ("threads", "change_reportedthread"),
        ("threads", "change_thread"),
        ("threads", "view_ban"),
        ("threads", "view_comment"),
        ("threads", "view_moderationlog"),
        ("threads", "view_report"),
        ("threads", "view_reportedcomment"),
        ("threads", "view_reportedthread"),
        ("threads", "view_thread"),
    ]
    assert not any(codename.startswith("delete_") for _, codename in perms)


def test_moderator_add_is_idempotent(a_user):
    assert services.moderator_add(user=a_user) is True
    assert services.moderator_add(user=a_user) is False
    a_user.refresh_from_db()
    assert a_user.is_staff
    assert list(a_user.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]


# Comments


def test_comment_remove_hides_keeps_text_and_logs(a_moderator, a_thread, a_comment):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    stored = Comment.objects.get(pk=a_comment.pk)
    assert stored.is_removed
    assert stored.body == "first!"  # the evidence stays in the database
    assert "first!" in stored.body_html
    assert log_rows() == [
        ("mia", Action.COMMENT_REMOVE, a_thread.pk, a_comment.pk, None, "insults", "")
    ]


def test_comment_remove_again_writes_no_second_entry(a_moderator, a_comment):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    assert ModerationLog.objects.count() == 1


def test_comment_remove_needs_a_reason(a_moderator, a_comment):
    with pytest.raises(ValidationError) as caught:
        services.comment_remove(moderator=a_moderator, comment=a_comment, reason="  ")
    assert caught.value.messages == [services.REASON_REQUIRED]
    assert not Comment.objects.get(pk=a_comment.pk).is_removed
    assert ModerationLog.objects.count() == 0


def test_comment_remove_is_one_transaction(a_moderator, a_comment, failing_log):
    with pytest.raises(RuntimeError):
        services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    assert not Comment.objects.get(pk=a_comment.pk).is_removed


def test_comment_remove_resolves_open_reports(a_moderator, a_comment, a_user):
    report = services.report_create(reporter=a_user, comment=a_comment, reason="rude")
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="rude")
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == (Report.Status.REMOVED, a_moderator)
    assert report.resolved_at is not None


def test_comment_remove_keeps_replies(a_moderator, a_comment, a_reply):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    reply = Comment.objects.get(pk=a_reply.pk)
    assert (reply.parent_id, reply.is_removed, reply.body) == (a_comment.pk, False, "a reply")


def test_comment_restore_brings_back_exactly_what_was_there(a_moderator, a_comment):
    before = Comment.objects.values().get(pk=a_comment.pk)
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="oops")
    services.comment_restore(moderator=a_moderator, comment=a_comment, reason="mistake")
    assert Comment.objects.values().get(pk=a_comment.pk) == before
    assert [row[1] for row in log_rows()] == [Action.COMMENT_REMOVE, Action.COMMENT_RESTORE]
    services.comment_restore(moderator=a_moderator, comment=a_comment)
    assert ModerationLog.objects.count() == 2


def test_comment_restore_is_one_transaction(a_moderator, a_comment, monkeypatch):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="oops")
    monkeypatch.setattr(moderation, "log_action", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.comment_restore(moderator=a_moderator, comment=a_comment)
    assert Comment.objects.get(pk=a_comment.pk).is_removed


def test_author_cannot_edit_or_delete_a_removed_comment(a_moderator, a_comment, another_user):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    with pytest.raises(PermissionDenied, match="removed"):
        services.comment_edit(user=another_user, comment=a_comment, body="new")
    with pytest.raises(PermissionDenied, match="removed"):
        services.comment_delete(user=another_user, comment=a_comment)
    assert Comment.objects.get(pk=a_comment.pk).body == "first!"


# Threads


def test_thread_lock_and_unlock_log_once_each(a_moderator, a_thread):
    services.thread_lock(moderator=a_moderator, thread=a_thread, reason="flame war")
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    assert Thread.objects.get(pk=a_thread.pk).is_locked
    services.thread_unlock(moderator=a_moderator, thread=a_thread)
    services.thread_unlock(moderator=a_moderator, thread=a_thread)
    assert not Thread.objects.get(pk=a_thread.pk).is_locked
    assert log_rows() == [
        ("mia", Action.THREAD_LOCK, a_thread.pk, None, None, "flame war", ""),
        ("mia", Action.THREAD_UNLOCK, a_thread.pk, None, None, "", ""),
    ]


def test_thread_lock_is_one_transaction(a_moderator, a_thread, failing_log):
    with pytest.raises(RuntimeError):
        services.thread_lock(moderator=a_moderator, thread=a_thread)
    assert not Thread.objects.get(pk=a_thread.pk).is_locked


def test_locked_thread_refuses_replies_and_votes(a_moderator, a_thread, a_comment, a_user):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    with pytest.raises(PermissionDenied, match="locked"):
        services.comment_create(author=a_user, thread=a_thread, parent=a_comment, body="hi")
    with pytest.raises(PermissionDenied, match="locked"):
        services.vote_cast(user=a_user, item=a_comment, value=1)
    assert Comment.objects.count() == 1


# Users


def test_user_ban_stops_every_write_with_a_clear_message(a_moderator, a_thread, a_comment):
    carl = make_user("carl")
    own = make_comment(a_thread, author=carl, body="mine")
    until = timezone.now() + timedelta(days=3)
    services.user_ban(moderator=a_moderator, user=carl, reason="spam", until=until)
    expected = f"banned until {until:%Y-%m-%d %H:%M} UTC"
    attempts = [
        lambda: services.comment_create(author=carl, thread=a_thread, body="hi"),
        lambda: services.comment_create(author=carl, thread=a_thread, parent=a_comment, body="x"),
        lambda: services.thread_create(author=carl, title="new"),
        lambda: services.comment_edit(user=carl, comment=own, body="edited"),
        lambda: services.comment_delete(user=carl, comment=own),
        lambda: services.vote_cast(user=carl, item=a_comment, value=1),
        lambda: services.report_create(reporter=carl, comment=a_comment, reason="meh"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as caught:
            attempt()
        assert expected in str(caught.value)
        assert "Reason: spam" in str(caught.value)
    assert Comment.objects.get(pk=own.pk).body == "mine"  # existing content stays
    assert log_rows() == [("mia", Action.USER_BAN, None, None, carl.pk, "spam", expected[7:])]


def test_permanent_ban_says_so(a_moderator, a_thread):
    carl = make_user("carl")
    services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    with pytest.raises(PermissionDenied, match="banned permanently"):
        services.comment_create(author=carl, thread=a_thread, body="hi")


def test_user_ban_again_with_same_terms_is_a_no_op(a_moderator):
    carl = make_user("carl")
    first = services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    again = services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    assert first.changed and not again.changed
    assert again.item.pk == first.item.pk
    assert ModerationLog.objects.count() == 1


def test_user_ban_with_new_terms_replaces_and_keeps_the_old_row(a_moderator):
    carl = make_user("carl")
    services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    until = timezone.now() + timedelta(days=1)
    services.user_ban(moderator=a_moderator, user=carl, reason="spam, shortened", until=until)
    bans = list(Ban.objects.filter(user=carl).order_by("id"))
    assert [b.lifted_at is not None for b in bans] == [True, False]
    assert Ban.objects.active().get(user=carl).until == until
    assert ModerationLog.objects.filter(action=Action.USER_BAN).count() == 2


def test_expired_ban_no_longer_blocks(a_moderator, a_thread):
    carl = make_user("carl")
    ban = services.user_ban(moderator=a_moderator, user=carl, reason="cool off").item
    Ban.objects.filter(pk=ban.pk).update(until=timezone.now() - timedelta(minutes=1))
    assert services.comment_create(author=carl, thread=a_thread, body="back").pk


def test_user_unban_lifts_and_logs_once(a_moderator, a_thread):
    carl = make_user("carl")
    services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    lifted = services.user_unban(moderator=a_moderator, user=carl, reason="appeal")
    assert lifted.changed and lifted.item.lifted_at
    assert services.user_unban(moderator=a_moderator, user=carl) == (None, False)
    assert services.comment_create(author=carl, thread=a_thread, body="thanks").pk
    assert [row[1] for row in log_rows()] == [Action.USER_BAN, Action.USER_UNBAN]
    assert Ban.objects.filter(user=carl).count() == 1  # kept, marked lifted


def test_user_ban_is_one_transaction(a_moderator, failing_log):
    carl = make_user("carl")
    with pytest.raises(RuntimeError):
        services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    assert not Ban.objects.exists()


def test_user_unban_is_one_transaction(a_moderator, a_banned_user, failing_log):
    with pytest.raises(RuntimeError):
        services.user_unban(moderator=a_moderator, user=a_banned_user)
    assert Ban.objects.active().filter(user=a_banned_user).exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [("self", services.BAN_SELF), ("staff", services.BAN_STAFF)],
)
def test_moderators_cannot_ban_themselves_or_staff(a_moderator, target, message):
    user = a_moderator if target == "self" else make_user("other-staff", is_staff=True)
    with pytest.raises((ValidationError, PermissionDenied), match=message):
        services.user_ban(moderator=a_moderator, user=user, reason="x")
    assert not Ban.objects.exists()


def test_superuser_can_ban_staff(a_superuser, a_moderator):
    services.user_ban(moderator=a_superuser, user=a_moderator, reason="rogue moderator")
    assert Ban.objects.active().filter(user=a_moderator).exists()


def test_ban_end_must_be_in_the_future(a_moderator):
    carl = make_user("carl")
    with pytest.raises(ValidationError, match="future"):
        services.user_ban(
            moderator=a_moderator,
            user=carl,
            reason="x",
            until=timezone.now() - timedelta(hours=1),
        )


# Reports


def test_report_create_and_one_open_report_per_user(a_comment, a_user):
    report = services.report_create(reporter=a_user, comment=a_comment, reason=" spam ")
    assert (report.reason, report.status) == ("spam", Report.Status.OPEN)
    with pytest.raises(ValidationError) as caught:
        services.report_create(reporter=a_user, comment=a_comment, reason="again")
    assert caught.value.messages == [services.ALREADY_REPORTED]
    assert Report.objects.count() == 1
    assert ModerationLog.objects.count() == 0  # reports are not moderation actions


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("own", services.REPORT_OWN_COMMENT),
        ("empty", services.REPORT_REASON_REQUIRED),
        ("deleted", services.REPORT_GONE_COMMENT),
    ],
)
def test_report_create_refuses(a_comment, another_user, a_user, case, message):
    reporter, reason = (another_user, "x") if case == "own" else (a_user, "x")
    if case == "empty":
        reason = ""
    if case == "deleted":
        services.comment_delete(user=another_user, comment=a_comment)
    with pytest.raises(ValidationError) as caught:
        services.report_create(reporter=reporter, comment=a_comment, reason=reason)
    assert caught.value.messages == [message]
    assert not Report.objects.exists()


def test_reports_dismiss_closes_open_reports_and_logs_once(a_moderator, a_comment, a_user):
    services.report_create(reporter=a_user, comment=a_comment, reason="spam")
    services.report_create(reporter=make_user("dora"), comment=a_comment, reason="ads")
    assert services.reports_dismiss(moderator=a_moderator, comment=a_comment) == (2, True)
    assert services.reports_dismiss(moderator=a_moderator, comment=a_comment) == (0, False)
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.DISMISSED}
    assert not Comment.objects.get(pk=a_comment.pk).is_removed
    assert log_rows() == [
        ("mia", Action.REPORTS_DISMISS, a_comment.thread_id, a_comment.pk, None, "", "2 reports")
    ]
    # Dismissed reports no longer block a new one from the same reader.
    services.report_create(reporter=a_user, comment=a_comment, reason="still spam")


def test_reports_dismiss_is_one_transaction(a_moderator, a_comment, a_user, failing_log):
    services.report_create(reporter=a_user, comment=a_comment, reason="spam")
    with pytest.raises(RuntimeError):
        services.reports_dismiss(moderator=a_moderator, comment=a_comment)
    assert Report.objects.get().status == Report.Status.OPEN


# Who may moderate


def moderation_calls(actor, thread, comment, target):
    return [
        lambda: services.comment_remove(moderator=actor, comment=comment, reason="x"),
        lambda: services.comment_restore(moderator=actor, comment=comment),
        lambda: services.thread_lock(moderator=actor, thread=thread),
        lambda: services.thread_unlock(moderator=actor, thread=thread),
        lambda: services.user_ban(moderator=actor, user=target, reason="x"),
        lambda: services.user_unban(moderator=actor, user=target),
        lambda: services.reports_dismiss(moderator=actor, comment=comment),
    ]


@pytest.mark.parametrize("who", ["member", "staff without group", "group without staff"])
def test_non_moderators_are_refused_and_nothing_is_logged(who, a_thread, a_comment):
    actor = make_user("eve", is_staff=(who == "staff without group"))
    if who == "group without staff":
        actor.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    target = make_user("victim")
    for call in moderation_calls(actor, a_thread, a_comment, target):
        with pytest.raises(PermissionDenied, match=services.NOT_A_MODERATOR):
            call()
    assert ModerationLog.objects.count() == 0
    assert not Ban.objects.exists()


def test_staff_with_only_one_permission_can_do_only_that(a_thread, a_comment):
    actor = make_user("locker", is_staff=True)
    actor.user_permissions.add(Permission.objects.get(codename="change_thread"))
    services.thread_lock(moderator=actor, thread=a_thread)
    with pytest.raises(PermissionDenied):
        services.comment_remove(moderator=actor, comment=a_comment, reason="x")
