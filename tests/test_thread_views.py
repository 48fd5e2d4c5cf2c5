"""A thread's own pages without JavaScript: its author edits and deletes it, readers
report it, moderators remove, restore and pin it; every permission case and bad input."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_comment, make_thread
from threads import limits, services
from threads.models import ModerationLog, Report, Thread
from threads.views import REPORT_SENT
from threads.views import threads as thread_views

pytestmark = pytest.mark.django_db


def url(name, thread):
    return reverse(f"threads:thread-{name}", args=[thread.pk])


def fresh(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


# The thread page offers what the viewer may do


def test_the_thread_page_offers_each_viewer_their_actions(
    client, a_thread, a_user, another_user, a_moderator
):
    def links():
        page = client.get(a_thread.get_absolute_url()).content.decode()
        return {
            "edit": f'href="{url("edit", a_thread)}"' in page,
            "delete": f'href="{url("delete", a_thread)}"' in page,
            "report": f'href="{url("report", a_thread)}"' in page,
            "moderate": f'action="{url("moderate", a_thread)}"' in page,
        }

    assert not any(links().values())  # anonymous
    client.force_login(a_user)
    assert links() == {"edit": True, "delete": True, "report": False, "moderate": False}
    client.force_login(another_user)
    assert links() == {"edit": False, "delete": False, "report": True, "moderate": False}
    client.force_login(a_moderator)
    assert links() == {"edit": False, "delete": False, "report": True, "moderate": True}


# Edit


def test_the_author_edits_and_the_page_says_edited(client, a_thread, a_user):
    client.force_login(a_user)
    form = client.get(url("edit", a_thread))
    assert form.status_code == 200 and "The title stays" in form.content.decode()
    response = client.post(url("edit", a_thread), {"body": "Edited *text*"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == a_thread.get_absolute_url()
    assert "<em>text</em>" in page and "edited" in page and thread_views.THREAD_EDITED in page
    assert "Hello forum" in page


def test_too_long_text_comes_back_in_the_form_with_the_limit(client, a_thread, a_user):
    client.force_login(a_user)
    text = "y" * (limits.COMMENT_MAX_LENGTH + 1)
    response = client.post(url("edit", a_thread), {"body": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page and "at most" in page
    assert fresh(a_thread).edited_at is None


def test_others_cannot_edit_or_delete(client, a_thread, another_user, a_moderator):
    for user in (another_user, a_moderator):
        client.force_login(user)
        for name in ("edit", "delete"):
            assert client.get(url(name, a_thread)).status_code == 403
            assert client.post(url(name, a_thread), {"body": "x"}).status_code == 403
    thread = fresh(a_thread)
    assert not thread.is_deleted and thread.body == ""


def test_visitors_are_sent_to_log_in(client, a_thread):
    for name in ("edit", "delete", "report"):
        response = client.get(url(name, a_thread))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_thread_is_404(client, a_user):
    client.force_login(a_user)
    for name in ("edit", "delete", "report", "moderate"):
        assert client.post(reverse(f"threads:thread-{name}", args=[999])).status_code == 404


# Delete


def test_the_author_deletes_after_confirming_and_comments_stay(client, a_thread, a_comment, a_user):
    client.force_login(a_user)
    confirm = client.get(url("delete", a_thread)).content.decode()
    assert "Delete this thread?" in confirm and "Hello forum" in confirm
    response = client.post(url("delete", a_thread), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "[deleted]" in page and "Hello forum" not in page and "first!" in page
    assert thread_views.THREAD_DELETED in page
    assert f'href="{url("edit", a_thread)}"' not in page
    assert client.post(url("delete", a_thread)).status_code == 400  # already deleted
    assert client.get(url("edit", a_thread)).status_code == 400
    assert "Hello forum" not in client.get("/").content.decode()


# Report


def test_a_reader_reports_a_thread(client, a_thread, another_user):
    client.force_login(another_user)
    assert "What is wrong with this thread?" in client.get(url("report", a_thread)).content.decode()
    empty = client.post(url("report", a_thread), {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    response = client.post(url("report", a_thread), {"reason": "spam"}, follow=True)
    assert REPORT_SENT in response.content.decode()
    report = Report.objects.get()
    assert (report.thread, report.comment, report.reason) == (a_thread, None, "spam")
    again = client.post(url("report", a_thread), {"reason": "spam"})
    assert again.status_code == 400
    assert services.ALREADY_REPORTED_THREAD in again.content.decode()


def test_the_author_cannot_report_their_thread(client, a_thread, a_user):
    client.force_login(a_user)
    response = client.post(url("report", a_thread), {"reason": "spam"})
    assert response.status_code == 400
    assert escape(services.REPORT_OWN_THREAD) in response.content.decode()


def test_a_banned_reader_cannot_report(client, a_thread, a_banned_user):
    client.force_login(a_banned_user)
    assert client.get(url("report", a_thread)).status_code == 403
    assert client.post(url("report", a_thread), {"reason": "x"}).status_code == 403
    assert not Report.objects.exists()


def test_a_too_long_reason_is_refused(client, a_thread, another_user):
    client.force_login(another_user)
    response = client.post(url("report", a_thread), {"reason": "z" * 1000})
    assert response.status_code == 400 and not Report.objects.exists()


# Moderate


def moderate(client, thread, **data):
    return client.post(url("moderate", thread), data)


def test_only_moderators_moderate(client, a_thread, a_user, another_user):
    assert moderate(client, a_thread, action="remove", reason="x").status_code == 403
    for user in (a_user, another_user):
        client.force_login(user)
        assert moderate(client, a_thread, action="remove", reason="x").status_code == 403
        assert moderate(client, a_thread, action="pin").status_code == 403
    assert not fresh(a_thread).is_removed and not ModerationLog.objects.exists()


def test_a_moderator_removes_and_restores_from_the_thread_page(
    client, a_thread, a_comment, a_moderator
):
    client.force_login(a_moderator)
    response = moderate(client, a_thread, action="remove", reason="off topic")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thread removed." in page and "A moderator removed this thread" in page
    assert "Hello forum" in page and "Restore thread" in page  # moderators still read it
    assert ModerationLog.objects.get().reason == "off topic"
    again = client.get(moderate(client, a_thread, action="remove", reason="x")["Location"])
    assert "Thread was already removed." in again.content.decode()
    anonymous = client.__class__()
    assert "Hello forum" not in anonymous.get("/").content.decode()
    public = anonymous.get(a_thread.get_absolute_url(), follow=True).content.decode()
    assert "[removed by moderator]" in public and "first!" in public
    assert "Hello forum" not in public
    log = anonymous.get("/moderation/").content.decode()
    assert "removed thread" in log and "off topic" in log
    moderate(client, a_thread, action="restore")
    assert "Hello forum" in anonymous.get("/").content.decode()


def test_removing_without_a_reason_keeps_the_page_and_says_why(client, a_thread, a_moderator):
    client.force_login(a_moderator)
    response = moderate(client, a_thread, action="remove", reason=" ")
    assert response.status_code == 400
    assert services.REASON_REQUIRED in response.content.decode()
    assert not fresh(a_thread).is_removed


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "explode"}, thread_views.BAD_MODERATION),
        ({}, thread_views.BAD_MODERATION),
        ({"action": "pin", "position": "first"}, "whole number from 1"),
        ({"action": "pin", "position": "99"}, "whole number from 1"),
        ({"action": "pin", "position": "0"}, "whole number from 1"),
        ({"action": "pin", "reason": "r" * 600}, "Keep the reason under"),
    ],
)
def test_bad_moderation_input_is_a_clear_400(client, a_thread, a_moderator, data, message):
    client.force_login(a_moderator)
    response = moderate(client, a_thread, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(a_thread).pinned_position is None and not ModerationLog.objects.exists()


def test_moderate_takes_only_post(client, a_thread, a_moderator):
    client.force_login(a_moderator)
    assert client.get(url("moderate", a_thread)).status_code == 405


def test_a_moderator_pins_and_unpins(client, a_moderator, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PINNED_THREADS", 2)
    first, second, third = (make_thread(title=f"Thread {n}") for n in (1, 2, 3))
    client.force_login(a_moderator)
    assert moderate(client, first, action="pin").status_code == 302
    assert moderate(client, second, action="pin", position="1").status_code == 302
    full = moderate(client, third, action="pin")
    assert full.status_code == 400 and "At most 2 threads" in full.content.decode()
    rows = client.get("/").content.decode()
    assert rows.index("Thread 2") < rows.index("Thread 1") < rows.index("Thread 3")
    assert rows.count('class="badge pinned"') == 2
    moderate(client, second, action="unpin")
    assert fresh(second).pinned_position is None and fresh(first).pinned_position == 1
    actions = list(ModerationLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["thread_pin", "thread_pin", "thread_unpin"]


def test_a_moderator_cannot_pin_a_deleted_thread(client, a_thread, a_user, a_moderator):
    make_comment(a_thread)
    services.thread_delete(user=a_user, thread=a_thread)
    client.force_login(a_moderator)
    response = moderate(client, a_thread, action="pin")
    assert (
        response.status_code == 400
        and escape(services.PIN_GONE_THREAD) in response.content.decode()
    )


def test_an_edit_refused_by_a_lock_keeps_what_was_typed(client, a_thread, a_user, a_moderator):
    client.force_login(a_user)
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    response = client.post(url("edit", a_thread), {"body": "my careful words"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "my careful words" in page and "This thread is locked" in page
    assert fresh(a_thread).body == ""
