"""Moderation on the site: the report form, removed text kept from the public, the log page."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_user
from threads import services
from threads.limits import LOG_ENTRIES_PER_PAGE
from threads.models import MODERATORS_GROUP, ModerationLog, Report
from threads.views import REPORT_SENT

pytestmark = pytest.mark.django_db


def report_url(comment):
    return reverse("threads:comment-report", args=[comment.pk])


# Reporting


def test_report_link_on_others_comments_only(client, a_thread, a_comment, a_reply, a_user):
    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert 'class="report-link"' not in page  # anonymous: no link
    client.force_login(a_user)  # alice wrote a_reply; bob wrote a_comment
    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert f'href="{report_url(a_comment)}"' in page
    assert f'href="{report_url(a_reply)}"' not in page


def test_report_form_sends_back_to_the_comment_with_a_message(client, a_comment, a_user):
    client.force_login(a_user)
    page = client.get(report_url(a_comment))
    assert page.status_code == 200 and "first!" in page.content.decode()
    response = client.post(report_url(a_comment), {"reason": "spam"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#c{a_comment.pk}")
    assert REPORT_SENT in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.status) == (a_user, "spam", "open")


def test_report_needs_a_reason(client, a_comment, a_user):
    client.force_login(a_user)
    response = client.post(report_url(a_comment), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Report.objects.exists()


def test_second_report_gets_a_clear_message(client, a_comment, a_user):
    client.force_login(a_user)
    client.post(report_url(a_comment), {"reason": "spam"})
    response = client.post(report_url(a_comment), {"reason": "spam again"})
    assert response.status_code == 400
    assert "You have already reported this comment" in response.content.decode()
    assert Report.objects.count() == 1


def test_reporting_own_comment_is_refused(client, a_comment, another_user):
    client.force_login(another_user)
    response = client.post(report_url(a_comment), {"reason": "me"})
    assert response.status_code == 400
    assert services.REPORT_OWN_COMMENT.replace("'", "&#x27;") in response.content.decode()


# Removed comments stay hidden from the public


@pytest.fixture
def removed(a_moderator, a_thread, a_comment, a_reply):
    """bob's comment removed by mia; alice's reply under it stays."""
    a_comment.body = "secret insult"
    a_comment.body_html = "<p>secret insult</p>"
    a_comment.save(update_fields=["body", "body_html"])
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    return a_comment


def test_removed_text_hidden_everywhere_public(client, removed, a_thread, a_reply):
    pages = [
        a_thread.get_absolute_url(),
        removed.get_absolute_url(),
        a_reply.get_absolute_url(),  # the removed comment shows as context
        reverse("threads:user-detail", args=["bob"]),
        reverse("threads:feed-thread-comments", args=[a_thread.pk]),
        reverse("threads:moderation-log"),
    ]
    for url in pages:
        text = client.get(url).content.decode()
        assert "secret insult" not in text, url
    thread_page = client.get(a_thread.get_absolute_url()).content.decode()
    assert "[removed by moderator]" in thread_page
    assert "a reply" in thread_page  # the reply stays in place
    assert "[removed by moderator]" in client.get(removed.get_absolute_url()).content.decode()


def test_author_of_removed_comment_cannot_see_it_either(client, removed, another_user):
    client.force_login(another_user)
    text = client.get(removed.get_absolute_url()).content.decode()
    assert "secret insult" not in text
    assert report_url(removed) not in text  # nothing left to report
    for name in ("threads:comment-edit", "threads:comment-delete"):
        response = client.get(reverse(name, args=[removed.pk]))
        assert response.status_code == 403
        assert "secret insult" not in response.content.decode()
        assert "A moderator removed this comment" in response.content.decode()


def test_locked_thread_shows_notice_and_no_controls(client, a_moderator, a_thread, a_comment):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    client.force_login(make_user("reader"))
    text = client.get(a_thread.get_absolute_url()).content.decode()
    assert "This thread is locked" in text
    assert 'class="reply-link"' not in text
    assert 'aria-label="Upvote"' not in text
    assert reverse("threads:thread-reply", args=[a_thread.pk]) not in text


# The public log


def test_moderation_log_page_lists_actions_newest_first(
    client, a_moderator, a_thread, a_comment, a_banned_user
):
    services.comment_remove(moderator=a_moderator, comment=a_comment, reason="insults")
    services.thread_lock(moderator=a_moderator, thread=a_thread, reason="heated")
    text = client.get(reverse("threads:moderation-log")).content.decode()
    lock, remove, ban = (
        text.index("locked thread"),
        text.index("removed comment"),
        text.index("banned user"),
    )
    assert lock < remove < ban
    assert f'href="{a_comment.get_absolute_url()}"' in text
    assert f'href="{a_thread.get_absolute_url()}"' in text
    assert 'href="/u/carl/"' in text and 'href="/u/mia/"' in text
    assert "insults" in text and "heated" in text and "spam links" in text
    assert "permanently" in text


def test_moderation_log_is_paginated(client, a_moderator, a_thread):
    now = timezone.now()
    ModerationLog.objects.bulk_create(
        ModerationLog(
            moderator=a_moderator,
            action=ModerationLog.Action.THREAD_LOCK,
            thread=a_thread,
            reason=f"entry {i}",
            created_at=now - timedelta(minutes=i),
        )
        for i in range(LOG_ENTRIES_PER_PAGE + 1)
    )
    url = reverse("threads:moderation-log")
    first = client.get(url).content.decode()
    assert "entry 0<" in first and f"entry {LOG_ENTRIES_PER_PAGE}<" not in first
    assert "page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert f"entry {LOG_ENTRIES_PER_PAGE}<" in second and "entry 0<" not in second


def test_moderation_log_page_query_count_does_not_grow(
    client, a_moderator, a_thread, django_assert_max_num_queries
):
    for i in range(5):
        comment = make_comment(a_thread)
        services.comment_remove(moderator=a_moderator, comment=comment, reason=f"r{i}")
    with django_assert_max_num_queries(4):
        assert client.get(reverse("threads:moderation-log")).status_code == 200


# add_moderator


def run_add_moderator(*args) -> str:
    out = StringIO()
    call_command("add_moderator", *args, stdout=out)
    return out.getvalue()


def test_add_moderator_command(a_user):
    assert run_add_moderator("alice") == (
        f'alice is now a moderator (staff, in the "{MODERATORS_GROUP}" group).\n'
    )
    a_user.refresh_from_db()
    assert a_user.is_staff
    assert a_user.has_perm("threads.change_comment")
    assert not a_user.has_perm("threads.delete_comment")
    assert run_add_moderator("alice") == "alice is already a moderator.\n"


def test_add_moderator_dry_run_writes_nothing(a_user):
    assert run_add_moderator("alice", "--dry-run") == "Would make alice a moderator.\n"
    a_user.refresh_from_db()
    assert not a_user.is_staff and not a_user.groups.exists()


def test_add_moderator_unknown_user(db):
    with pytest.raises(CommandError, match='No user named "ghost"'):
        run_add_moderator("ghost")
