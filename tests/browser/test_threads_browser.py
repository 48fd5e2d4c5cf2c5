"""In Chromium: a moderator pins and removes a thread from its page, and from the admin's
thread report queue; a member votes from the front page, in place with the script and
as a plain form without it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser import site_pages
from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import services
from threads.models import ModerationLog, Thread

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, live_server, username):
    """Through the login form, as the member would (``site_pages.log_in``)."""
    site_pages.log_in(page, live_server.url, get_user_model().objects.get(username=username))
    page.wait_for_url(f"{live_server.url}/")


def bob_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bob")


def row_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.thread-row", "rows => rows.map(r => r.id)")


def test_a_moderator_pins_then_removes_a_thread_from_its_page(live_server, browser, page):
    alice = make_user("alice")
    make_moderator("mia")
    older = make_thread(author=alice, title="Older news")
    target = make_thread(author=alice, title="Rules of this forum")
    make_comment(older, body="an answer that stays")
    Thread.objects.filter(pk=target.pk).update(created_at=older.created_at.replace(year=2001))

    log_in(page, live_server, "mia")
    page.goto(f"{live_server.url}{target.get_absolute_url()}")
    page.click("summary:has-text('Moderate this thread')")
    page.fill("#mod-reason", "read this first")
    page.click("button[value=pin]")
    assert "Thread pinned." in page.locator("ul.messages").inner_text()
    page.goto(f"{live_server.url}/?sort=new")
    assert row_ids(page)[0] == f"t{target.pk}"  # the oldest, but pinned on top
    assert "pinned" in page.locator(f"#t{target.pk} .badge").inner_text()

    page.goto(f"{live_server.url}{older.get_absolute_url()}")
    page.click("summary:has-text('Moderate this thread')")
    page.click("button[value=remove]")  # no reason: the page says so and keeps the form
    assert "Give a reason" in page.locator(".errors").inner_text()
    page.fill("#mod-reason", "off topic")
    page.click("button[value=remove]")
    assert "A moderator removed this thread" in page.locator("main").inner_text()

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/")
    assert row_ids(reader) == [f"t{target.pk}"]
    reader.goto(f"{live_server.url}/t/{older.pk}/")
    assert reader.locator("h1").inner_text() == "[removed by moderator]"
    assert "an answer that stays" in reader.locator("section.comments").inner_text()
    reader.goto(f"{live_server.url}/moderation/")
    log = reader.locator("table.modlog tbody").inner_text()
    assert "removed thread" in log and "off topic" in log and "pinned thread" in log
    reader.context.close()


def test_a_moderator_removes_a_reported_thread_in_the_admin(live_server, page):
    alice, bob = make_user("alice"), make_user("bob")
    make_moderator("mia")
    spam = make_thread(author=bob, title="Cheap pills")
    services.thread_report_create(reporter=alice, thread=spam, reason="advert")

    log_in(page, live_server, "mia")
    page.goto(f"{live_server.url}/admin/threads/reportedthread/")
    row = page.locator("#result_list tbody tr").first
    assert "Cheap pills" in row.inner_text() and "advert" in row.inner_text()
    page.check(f"input[name=_selected_action][value='{spam.pk}']")
    page.select_option("select[name=action]", "remove_threads")
    page.click("button[name=index]")
    page.fill("textarea[name=reason]", "advertising")
    page.click("input[name=apply]")
    assert "Removed 1 thread" in page.locator("ul.messagelist").inner_text()
    assert page.locator("#result_list tbody tr").count() == 0
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.reason) == ("thread_remove", "advertising")
    assert entry.thread_id == spam.pk


def test_voting_from_the_front_page_in_place(live_server, page):
    alice = make_user("alice")
    make_user("bob")
    first = make_thread(author=alice, title="First")
    second = make_thread(author=alice, title="Second")

    log_in(page, live_server, "bob")
    page.evaluate("window.stayedOnPage = true")
    row = page.locator(f"#t{second.pk}")
    row.get_by_role("button", name="Upvote thread").click()
    score = row.locator("[data-thread-score]")
    expect(score).to_have_text("1")  # a locator: the policy forbids evaluating strings
    assert page.evaluate("window.stayedOnPage") is True  # no reload
    up = row.get_by_role("button", name="Upvote thread")
    assert up.get_attribute("aria-pressed") == "true"
    row.get_by_role("button", name="Downvote thread").click()
    expect(score).to_have_text("-1")
    assert up.get_attribute("aria-pressed") == "false"
    assert score.inner_text() == "-1"
    assert Thread.objects.get(pk=second.pk).score == -1
    assert Thread.objects.get(pk=first.pk).score == 0

    # Voting on your own thread: refused, said in place under the row, the score unchanged.
    mine = make_thread(author=make_user("carol"), title="Carol's")
    own = make_thread(author=bob_user(), title="Bob's own")
    page.reload()
    page.locator(f"#t{own.pk}").get_by_role("button", name="Upvote thread").click()
    refusal = page.locator(f"#t{own.pk} + p.refusal")
    assert "You can't vote on what you wrote." in refusal.inner_text()
    assert page.locator(f"#t{own.pk} [data-thread-score]").inner_text() == "0"
    assert page.locator(f"#t{mine.pk}").count() == 1


def test_voting_from_the_front_page_without_javascript(live_server, browser):
    alice = make_user("alice")
    make_user("bob")
    thread = make_thread(author=alice, title="Plain form")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/?sort=new")
    page.locator(f"#t{thread.pk}").get_by_role("button", name="Upvote thread").click()
    page.wait_for_url(f"{live_server.url}/?sort=new#t{thread.pk}")
    row = page.locator(f"#t{thread.pk}")
    assert row.locator("[data-thread-score]").inner_text() == "1"
    assert row.get_by_role("button", name="Upvote thread").get_attribute("aria-pressed") == "true"
    context.close()
