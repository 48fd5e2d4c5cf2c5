"""Threads their authors own and moderators keep: edit, delete, remove, restore, pin,
report, purge: who may, what changes, what is logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_comment, make_thread, make_user
from threads import limits, services
from threads.integrity import tree_problems
from threads.models import Comment, ModerationLog, Report, Thread

pytestmark = pytest.mark.django_db


def fresh(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def log_actions() -> list[str]:
    return list(ModerationLog.objects.order_by("id").values_list("action", flat=True))


# The author edits and deletes


def test_the_author_edits_the_text_and_it_shows_as_edited(a_thread, a_user):
    services.thread_edit(user=a_user, thread=a_thread, body="Now with **more**")
    thread = fresh(a_thread)
    assert thread.body == "Now with **more**"
    assert "<strong>more</strong>" in thread.body_html
    assert thread.edited_at is not None
    assert thread.title == "Hello forum"  # the title stays


@pytest.mark.parametrize("who", ["another", "moderator", "anonymous"])
def test_only_the_author_edits_or_deletes(a_thread, another_user, a_moderator, who):
    user = {"another": another_user, "moderator": a_moderator, "anonymous": None}[who]
    with pytest.raises(PermissionDenied):
        services.thread_edit(user=user, thread=a_thread, body="mine now")
    with pytest.raises(PermissionDenied):
        services.thread_delete(user=user, thread=a_thread)
    thread = fresh(a_thread)
    assert (thread.body, thread.is_deleted, thread.title) == ("", False, "Hello forum")


def test_an_imported_thread_without_author_cannot_be_changed(another_user):
    thread = make_thread(author=None, author_name="someone", title="Imported")
    with pytest.raises(PermissionDenied, match="Only the author"):
        services.thread_edit(user=another_user, thread=thread, body="x")


def test_a_banned_author_cannot_edit_or_delete(a_moderator):
    carl = make_user("carl")
    thread = make_thread(author=carl, title="carl's")
    services.user_ban(moderator=a_moderator, user=carl, reason="spam")
    with pytest.raises(PermissionDenied, match="banned"):
        services.thread_edit(user=carl, thread=thread, body="x")
    with pytest.raises(PermissionDenied, match="banned"):
        services.thread_delete(user=carl, thread=thread)


def test_too_long_text_is_refused_and_nothing_changes(a_thread, a_user, monkeypatch):
    monkeypatch.setattr(limits, "COMMENT_MAX_LENGTH", 10)
    with pytest.raises(ValidationError, match="the limit is 10"):
        services.thread_edit(user=a_user, thread=a_thread, body="x" * 11)
    assert fresh(a_thread).edited_at is None


def test_editing_a_locked_thread_is_refused(a_thread, a_user, a_moderator):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    with pytest.raises(PermissionDenied, match="locked"):
        services.thread_edit(user=a_user, thread=a_thread, body="x")


def test_delete_wipes_title_link_and_text_and_keeps_comments(a_user, another_user):
    thread = make_thread(author=a_user, title="Mine", url="https://example.com/", body="text",
                         body_html="<p>text</p>")  # fmt: skip
    comment = make_comment(thread, author=another_user, body="an answer")
    services.thread_delete(user=a_user, thread=thread)
    thread = fresh(thread)
    assert (thread.title, thread.url, thread.body, thread.body_html) == ("", "", "", "")
    assert thread.is_deleted and thread.slug == "deleted"
    assert str(thread) == "[deleted]"
    assert Comment.objects.get(pk=comment.pk).body == "an answer"
    assert thread.comment_count == 1
    with pytest.raises(ValidationError, match="already deleted"):
        services.thread_delete(user=a_user, thread=thread)
    with pytest.raises(ValidationError, match="already deleted"):
        services.thread_edit(user=a_user, thread=thread, body="back")


def test_the_author_cannot_change_a_removed_thread(a_thread, a_user, a_moderator):
    services.thread_remove(moderator=a_moderator, thread=a_thread, reason="spam")
    for change in (
        lambda: services.thread_edit(user=a_user, thread=fresh(a_thread), body="x"),
        lambda: services.thread_delete(user=a_user, thread=fresh(a_thread)),
    ):
        with pytest.raises(PermissionDenied, match="A moderator removed this thread"):
            change()
    assert fresh(a_thread).title == "Hello forum"  # kept for the record


def test_a_removal_that_lands_first_wins_over_a_stale_edit(a_thread, a_user, a_moderator):
    stale = fresh(a_thread)  # the author's page was loaded before the removal
    services.thread_remove(moderator=a_moderator, thread=a_thread, reason="spam")
    with pytest.raises(PermissionDenied, match="A moderator removed"):
        services.thread_delete(user=a_user, thread=stale)
    thread = fresh(a_thread)
    assert thread.title == "Hello forum" and not thread.is_deleted


# Remove and restore


def test_remove_hides_logs_and_resolves_reports_restore_brings_back(
    a_thread, a_comment, a_moderator, another_user
):
    report = services.thread_report_create(reporter=another_user, thread=a_thread, reason="spam")
    outcome = services.thread_remove(moderator=a_moderator, thread=a_thread, reason="off topic")
    assert outcome.changed and fresh(a_thread).is_removed
    assert Report.objects.get(pk=report.pk).status == Report.Status.REMOVED
    assert not services.thread_remove(moderator=a_moderator, thread=a_thread, reason="x").changed
    assert Comment.objects.filter(thread=a_thread).count() == 1  # comments kept
    assert services.thread_restore(moderator=a_moderator, thread=a_thread).changed
    assert not fresh(a_thread).is_removed
    assert log_actions() == ["thread_remove", "thread_restore"]
    entry = ModerationLog.objects.get(action="thread_remove")
    assert (entry.thread_id, entry.reason, entry.moderator) == (
        a_thread.pk,
        "off topic",
        a_moderator,
    )


def test_remove_needs_a_reason(a_thread, a_moderator):
    with pytest.raises(ValidationError, match="Give a reason"):
        services.thread_remove(moderator=a_moderator, thread=a_thread, reason="  ")
    assert not fresh(a_thread).is_removed and log_actions() == []


@pytest.mark.parametrize("who", ["author", "member", "anonymous"])
def test_only_moderators_remove_restore_pin(a_thread, a_user, another_user, who):
    user = {"author": a_user, "member": another_user, "anonymous": None}[who]
    for act in (
        lambda: services.thread_remove(moderator=user, thread=a_thread, reason="x"),
        lambda: services.thread_restore(moderator=user, thread=a_thread),
        lambda: services.thread_pin(moderator=user, thread=a_thread),
        lambda: services.thread_unpin(moderator=user, thread=a_thread),
        lambda: services.thread_reports_dismiss(moderator=user, thread=a_thread),
    ):
        with pytest.raises(PermissionDenied, match="Only moderators"):
            act()
    assert log_actions() == []


# Pins


def test_pins_are_ordered_capped_and_logged(a_moderator, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PINNED_THREADS", 3)
    a, b, c, d = (make_thread(title=t) for t in "abcd")
    services.thread_pin(moderator=a_moderator, thread=a)
    services.thread_pin(moderator=a_moderator, thread=b)
    services.thread_pin(moderator=a_moderator, thread=c, position=1)
    pinned = list(Thread.objects.filter(pinned_position__isnull=False)
                  .order_by("pinned_position").values_list("title", flat=True))  # fmt: skip
    assert pinned == ["c", "a", "b"]
    with pytest.raises(ValidationError, match="At most 3 threads"):
        services.thread_pin(moderator=a_moderator, thread=d)
    assert fresh(d).pinned_position is None
    # Moving a pinned one is no new pin; the same place again changes nothing.
    assert services.thread_pin(moderator=a_moderator, thread=b, position=1).changed
    assert not services.thread_pin(moderator=a_moderator, thread=b, position=1).changed
    assert services.thread_unpin(moderator=a_moderator, thread=b).changed
    assert not services.thread_unpin(moderator=a_moderator, thread=b).changed
    assert [fresh(t).pinned_position for t in (c, a, b)] == [1, 2, None]
    assert log_actions() == ["thread_pin"] * 4 + ["thread_unpin"]


@pytest.mark.parametrize("position", [0, -1, 99, "2"])
def test_a_bad_pin_place_is_refused(a_thread, a_moderator, position):
    with pytest.raises(ValidationError, match="whole number from 1"):
        services.thread_pin(moderator=a_moderator, thread=a_thread, position=position)
    assert fresh(a_thread).pinned_position is None


def test_removed_and_deleted_threads_cannot_be_pinned_and_removal_unpins(
    a_thread, a_user, a_moderator
):
    services.thread_pin(moderator=a_moderator, thread=a_thread)
    services.thread_remove(moderator=a_moderator, thread=a_thread, reason="spam")
    assert fresh(a_thread).pinned_position is None
    with pytest.raises(ValidationError, match="can't be pinned"):
        services.thread_pin(moderator=a_moderator, thread=a_thread)
    mine = make_thread(author=a_user, title="mine")
    services.thread_delete(user=a_user, thread=mine)
    with pytest.raises(ValidationError, match="can't be pinned"):
        services.thread_pin(moderator=a_moderator, thread=mine)


# Reports


def test_thread_reports_one_open_per_reader_not_own_not_gone(
    a_thread, a_user, another_user, a_moderator
):
    services.thread_report_create(reporter=another_user, thread=a_thread, reason=" spam ")
    assert Report.objects.get().reason == "spam"
    with pytest.raises(ValidationError, match="already reported this thread"):
        services.thread_report_create(reporter=another_user, thread=a_thread, reason="again")
    with pytest.raises(ValidationError, match="your own thread"):
        services.thread_report_create(reporter=a_user, thread=a_thread, reason="mine")
    with pytest.raises(ValidationError, match="what is wrong with this thread"):
        services.thread_report_create(reporter=a_moderator, thread=a_thread, reason="")
    outcome = services.thread_reports_dismiss(moderator=a_moderator, thread=a_thread)
    assert outcome.item == 1 and outcome.changed
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert ModerationLog.objects.get().detail == "1 report"
    # Dismissed: the reader may report again.
    services.thread_report_create(reporter=another_user, thread=a_thread, reason="still spam")
    services.thread_remove(moderator=a_moderator, thread=a_thread, reason="spam")
    with pytest.raises(ValidationError, match="already deleted or removed"):
        services.thread_report_create(reporter=a_moderator, thread=fresh(a_thread), reason="x")


# Purge


def test_only_a_superuser_purges_and_it_is_logged(a_thread, a_comment, a_moderator, a_superuser):
    make_comment(a_thread, parent=a_comment)
    with pytest.raises(PermissionDenied):
        services.thread_purge(moderator=a_moderator, thread=a_thread, reason="illegal")
    with pytest.raises(ValidationError, match="Give a reason"):
        services.thread_purge(moderator=a_superuser, thread=a_thread, reason="")
    assert services.thread_purge(moderator=a_superuser, thread=a_thread, reason="illegal") == 2
    assert not Thread.objects.filter(pk=a_thread.pk).exists()
    assert not Comment.objects.exists()
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.detail) == ("thread_purge", f"thread #{a_thread.pk} and 2 comments")
    assert services.thread_purge(moderator=a_superuser, thread=a_thread, reason="again") == 0
    assert ModerationLog.objects.count() == 1
    assert tree_problems() == []
