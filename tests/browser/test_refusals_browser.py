"""Refused actions in a real browser: the reason shows in place, one request is sent,
typed text stays; delete asks first; the hidden-replies count is the server's."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser import site_pages
from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import services
from threads.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    """Through the login form, as the member would (``site_pages.log_in``)."""
    site_pages.log_in(page, live_server.url, get_user_model().objects.get(username=username))
    page.wait_for_url(f"{live_server.url}/")


def posts_to(page, fragment: str) -> list[str]:
    """Every POST the page sends whose URL contains ``fragment``, as it happens."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if request.method == "POST" and fragment in request.url
            else None
        ),
    )
    return sent


def open_thread(page, live_server, thread):
    page.goto(live_server.url + thread.get_absolute_url())
    page.evaluate("window.__noReload = true")  # a reload would wipe it out


def still_same_page(page) -> bool:
    return page.evaluate("window.__noReload === true")


def refusal_under(page, comment) -> str:
    return f"#c{comment.pk} > details > footer + .refusal[role=alert]"


def test_vote_on_own_comment_says_why_in_place(page, live_server):
    alice = make_user("alice")
    thread = make_thread(title="Votes")
    mine = make_comment(thread, author=alice, body="my own words")
    log_in(page, live_server, "alice")
    open_thread(page, live_server, thread)
    sent = posts_to(page, "/vote/")

    page.click(f"#c{mine.pk} > details > footer .vote button.up")
    expect(page.locator(refusal_under(page, mine))).to_have_text(services.CANNOT_VOTE_OWN)
    page.click(f"#c{mine.pk} > details > footer .vote button.up")  # again: still one message
    page.wait_for_timeout(300)

    assert page.locator(f"#c{mine.pk} .refusal").count() == 1
    assert len(sent) == 2  # one request per click, none sent again
    assert page.locator(f"#c{mine.pk} > .meta .score").inner_text() == "0 points"
    assert still_same_page(page)


def test_banned_reply_is_sent_once_and_keeps_the_text(page, live_server):
    carl = make_user("carl")
    thread = make_thread(title="Bans")
    target = make_comment(thread, author=make_user("bob"), body="a fair point")
    services.user_ban(moderator=make_moderator("mia"), user=carl, reason="spam links")
    log_in(page, live_server, "carl")
    open_thread(page, live_server, thread)
    assert page.locator("form.top-reply").count() == 0  # the notice stands in its place
    sent = posts_to(page, "/reply/")

    page.click(f"#c{target.pk} > details > footer a.reply-link")
    textarea = page.locator(f"#c{target.pk} form.reply-form textarea")
    textarea.fill("Let me say this anyway")
    page.click(f"#c{target.pk} form.reply-form button[type=submit]")
    message = page.locator(f"#c{target.pk} form.reply-form > .refusal[role=alert]")
    expect(message).to_have_text(services.BANNED.format(term="permanently", reason="spam links"))
    page.wait_for_timeout(500)  # time for a second request, if one were coming

    assert len(sent) == 1
    assert page.locator(f"#c{target.pk} .refusal").count() == 1
    assert textarea.input_value() == "Let me say this anyway"
    assert not Comment.objects.filter(body="Let me say this anyway").exists()
    assert still_same_page(page)


def test_vote_and_reply_on_a_thread_locked_while_reading(page, live_server):
    make_user("reader")
    thread = make_thread(title="Locks")
    target = make_comment(thread, author=make_user("bob"), body="still open?")
    log_in(page, live_server, "reader")
    open_thread(page, live_server, thread)
    page.click(f"#c{target.pk} > details > footer a.reply-link")
    page.fill(f"#c{target.pk} form.reply-form textarea", "one more thing")
    services.thread_lock(moderator=make_moderator("mia"), thread=thread)
    sent = posts_to(page, f"/c/{target.pk}/")

    page.click(f"#c{target.pk} > details > footer .vote button.up")
    expect(page.locator(refusal_under(page, target))).to_have_text(services.THREAD_LOCKED)
    page.click(f"#c{target.pk} form.reply-form button[type=submit]")
    expect(page.locator(f"#c{target.pk} form.reply-form > .refusal")).to_have_text(
        services.THREAD_LOCKED
    )
    page.wait_for_timeout(300)

    assert len(sent) == 2  # the vote and the reply, once each
    assert page.locator(f"#c{target.pk} form.reply-form textarea").input_value() == "one more thing"
    assert Comment.objects.get(pk=target.pk).score == 0
    assert still_same_page(page)


def test_network_failure_is_said_and_not_retried(page, live_server):
    make_user("reader")
    thread = make_thread(title="Offline")
    target = make_comment(thread, author=make_user("bob"))
    log_in(page, live_server, "reader")
    open_thread(page, live_server, thread)
    sent = posts_to(page, "/vote/")
    page.route("**/vote/", lambda route: route.abort())

    page.click(f"#c{target.pk} > details > footer .vote button.up")
    expect(page.locator(refusal_under(page, target))).to_contain_text("No answer from the forum")
    page.wait_for_timeout(300)
    assert len(sent) == 1
    assert still_same_page(page)


def test_delete_asks_then_removes_in_place(page, live_server):
    alice = make_user("alice")
    thread = make_thread(title="Deletes")
    mine = make_comment(thread, author=alice, body="I take this back")
    kept = make_comment(thread, parent=mine, author=make_user("bob"), body="a reply that stays")
    log_in(page, live_server, "alice")
    open_thread(page, live_server, thread)
    sent = posts_to(page, "/delete/")
    asked: list[str] = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click(f"#c{mine.pk} > details > footer a.delete-link")
    page.wait_for_timeout(300)
    assert asked == ["Delete this comment? Its text goes; replies stay."]
    assert sent == [] and not Comment.objects.get(pk=mine.pk).is_deleted
    assert "I take this back" in page.locator(f"#c{mine.pk} > details > .body").inner_text()

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.click(f"#c{mine.pk} > details > footer a.delete-link")
    expect(page.locator(f"#c{mine.pk} > details > .body")).to_have_text("[deleted]")
    assert len(asked) == 2 and len(sent) == 1
    assert page.locator(f"#c{mine.pk} > details > footer a.delete-link").count() == 0
    assert "a reply that stays" in page.locator(f"#c{kept.pk}").inner_text()
    assert Comment.objects.get(pk=mine.pk).is_deleted
    assert still_same_page(page)


def test_hidden_count_is_the_server_s_through_collapse_and_expand(page, live_server):
    thread = make_thread(title="Deep")
    chain = [make_comment(thread)]
    for _ in range(11):  # past the display depth, the rest "continue this thread"
        chain.append(make_comment(thread, parent=chain[-1]))
    open_thread(page, live_server, thread)
    top = chain[0].pk
    assert page.locator(f"#c{top} article.comment").count() < 11  # not all on the page
    toggle = page.locator(f"#c{top} > details > summary")
    count = page.locator(f"#c{top} > details > summary .hidden-count")

    for _ in range(2):
        toggle.click()
        expect(count).to_have_text("(11 replies hidden)")
        expect(count).to_be_visible()
        toggle.click()
        expect(count).to_be_hidden()
    assert count.text_content() == "(11 replies hidden)"


@pytest.mark.parametrize("javascript", [True, False])
def test_reply_written_before_logging_in_comes_back(browser, live_server, javascript):
    make_user("alice")
    thread = make_thread(title="Drafts")
    target = make_comment(thread, author=make_user("bob"), body="reply to me")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{thread.get_absolute_url()}?reply={target.pk}")
        page.fill(f"#c{target.pk} form.reply-form textarea", "Written while logged out")
        page.click(f"#c{target.pk} form.reply-form button[type=submit]")
        page.wait_for_url("**/accounts/login/**")
        assert "What you wrote is kept" in page.locator("main").inner_text()
        page.fill("#id_username", "alice")
        page.fill("#id_password", "pw-for-tests-1")
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/c/{target.pk}/reply/")
        assert page.locator("textarea[name=body]").input_value() == "Written while logged out"
        page.click("main form button[type=submit]")
        page.wait_for_url("**#c*")
        reply = Comment.objects.get(body="Written while logged out")
        assert reply.parent_id == target.pk
    finally:
        context.close()
