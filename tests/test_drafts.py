"""Text written before logging in survives the trip to the login page, without a script."""

from html import escape

import pytest
from django.urls import reverse

from threads import drafts, limits, services
from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db

KEPT = "What you wrote before logging in is back"


def log_in(client, next_url, username="alice"):
    """Log in through the login form, as a person does, and follow ``next``."""
    response = client.post(
        reverse("login"), {"username": username, "password": "pw-for-tests-1", "next": next_url}
    )
    assert response.status_code == 302
    return response["Location"]


def textarea(html: str, name: str = "body") -> str:
    """The text inside the page's first textarea called ``name``."""
    start = html.index(">", html.index(f'<textarea name="{name}"')) + 1
    return html[start : html.index("</textarea>", start)]


def test_reply_is_kept_through_login_and_given_back_once(client, a_user, a_thread, a_comment):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    response = client.post(reply_page, {"body": "I *disagree* <b>strongly</b>"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reply_page}"
    assert Comment.objects.count() == 1

    login_page = client.get(response["Location"]).content.decode()
    assert "What you wrote is kept" in login_page

    assert log_in(client, reply_page) == reply_page
    page = client.get(reply_page).content.decode()
    assert KEPT in page
    assert textarea(page) == "\n" + escape("I *disagree* <b>strongly</b>")
    assert "first!" in page  # the comment replied to, for context

    again = client.get(reply_page)  # once: the draft is gone now
    assert again.status_code == 302
    assert (
        again["Location"] == f"{a_thread.get_absolute_url()}?reply={a_comment.pk}#c{a_comment.pk}"
    )

    response = client.post(reply_page, {"body": "I *disagree*"})
    reply = Comment.objects.get(body="I *disagree*")
    assert (response.status_code, reply.parent_id) == (302, a_comment.pk)


def test_top_level_comment_is_kept_in_the_thread_form(client, a_user, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = client.post(url, {"body": "My first words"})
    assert response["Location"] == f"{reverse('login')}?next={a_thread.get_absolute_url()}"

    assert log_in(client, a_thread.get_absolute_url()) == a_thread.get_absolute_url()
    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert KEPT in page
    assert 'name="body" rows="4"' in page and ">My first words</textarea>" in page

    page = client.get(a_thread.get_absolute_url()).content.decode()
    assert KEPT not in page and "My first words" not in page


def test_the_script_s_reply_is_kept_too(client, a_user, a_comment):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    response = client.post(
        reply_page, {"body": "sent by fetch"}, headers={"X-Requested-With": "fetch"}
    )
    assert response["Location"] == f"{reverse('login')}?next={reply_page}"
    log_in(client, reply_page)
    assert "sent by fetch" in client.get(reply_page).content.decode()


def test_draft_is_cut_to_the_comment_limit(client, a_user, a_comment):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    client.post(reply_page, {"body": "x" * (limits.COMMENT_MAX_LENGTH + 500)})
    log_in(client, reply_page)
    page = client.get(reply_page).content.decode()
    assert textarea(page) == "\n" + "x" * limits.COMMENT_MAX_LENGTH


def test_draft_comes_back_only_where_it_was_written(client, a_user, a_thread, a_comment, a_reply):
    client.post(reverse("threads:comment-reply", args=[a_comment.pk]), {"body": "for bob"})
    log_in(client, "/")
    assert "for bob" not in client.get(a_thread.get_absolute_url()).content.decode()
    assert client.get(reverse("threads:comment-reply", args=[a_reply.pk])).status_code == 302
    page = client.get(reverse("threads:comment-reply", args=[a_comment.pk])).content.decode()
    assert "for bob" in page


def test_empty_text_keeps_nothing(client, a_user, a_comment):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    client.post(reply_page, {"body": "   "})
    assert drafts.REPLY_KEY not in client.session
    log_in(client, reply_page)
    assert client.get(reply_page).status_code == 302


def test_a_newer_draft_replaces_the_older(client, a_user, a_comment, a_reply):
    client.post(reverse("threads:comment-reply", args=[a_comment.pk]), {"body": "older"})
    client.post(reverse("threads:comment-reply", args=[a_reply.pk]), {"body": "newer"})
    log_in(client, "/")
    assert client.get(reverse("threads:comment-reply", args=[a_comment.pk])).status_code == 302
    page = client.get(reverse("threads:comment-reply", args=[a_reply.pk])).content.decode()
    assert "newer" in page


def test_locked_while_logging_in_shows_the_text_but_no_form(
    client, a_user, a_moderator, a_thread, a_comment
):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    client.post(reply_page, {"body": "just in time?"})
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    log_in(client, reply_page)
    page = client.get(reply_page).content.decode()
    assert "This thread is locked" in page
    assert "readonly>just in time?</textarea>" in page
    assert 'method="post" class="stacked"' not in page


def test_new_thread_is_kept_through_login(client, a_user):
    submit = reverse("threads:thread-create")
    data = {"title": "Tabs or spaces?", "url": "https://example.com/style", "body": "Settle it."}
    response = client.post(submit, data)
    assert response["Location"] == f"{reverse('login')}?next={submit}"
    assert not Thread.objects.exists()

    log_in(client, submit)
    page = client.get(submit).content.decode()
    assert KEPT in page
    assert 'value="Tabs or spaces?"' in page
    assert 'value="https://example.com/style"' in page
    assert ">\nSettle it.</textarea>" in page
    assert "Tabs or spaces?" not in client.get(submit).content.decode()


def test_new_thread_draft_is_cut_to_the_form_limits(client, a_user):
    submit = reverse("threads:thread-create")
    client.post(submit, {"title": "t" * 5000, "body": "b" * (limits.COMMENT_MAX_LENGTH + 1)})
    kept = client.session[drafts.THREAD_KEY]
    assert len(kept["title"]) == limits.THREAD_TITLE_MAX_LENGTH
    assert len(kept["body"]) == limits.COMMENT_MAX_LENGTH


def test_signing_up_keeps_the_draft_too(client, db, a_thread, a_comment):
    reply_page = reverse("threads:comment-reply", args=[a_comment.pk])
    client.post(reply_page, {"body": "hello, I am new"})
    response = client.post(
        f"{reverse('threads:signup')}?next={reply_page}",
        {"username": "newcomer", "password1": "correct-horse-9", "password2": "correct-horse-9"},
    )
    assert response["Location"] == reply_page
    assert "hello, I am new" in client.get(reply_page).content.decode()
