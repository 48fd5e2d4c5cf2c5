"""In Chromium: a reply shows up as unread in the other member's header and inbox and is
marked read in place (and without the script, by a plain form); saving and blocking
happen in place too."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser import site_pages
from tests.factories import make_comment, make_thread, make_user
from threads.models import Block, InboxItem, SavedItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    """Through the login form, as the member would (``site_pages.log_in``)."""
    site_pages.log_in(page, live_server.url, get_user_model().objects.get(username=username))
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def new_page(browser):
    """Pages in contexts of their own (own cookies: one member each), closed afterwards."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        page = contexts[-1].new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def talk(transactional_db):
    """alice's comment on a thread; bob is about to answer it."""
    alice, bob = make_user("alice"), make_user("bob")
    thread = make_thread(author=make_user("olga"), title="A question")
    comment = make_comment(thread, author=alice, body="alice asks something")
    return {"alice": alice, "bob": bob, "thread": thread, "comment": comment}


def test_a_reply_is_unread_for_the_other_member_and_marked_read_in_place(
    new_page, live_server, talk, artifacts
):
    # bob answers alice's comment in place.
    bob = new_page()
    log_in(bob, live_server, "bob")
    bob.goto(live_server.url + talk["thread"].get_absolute_url())
    target = talk["comment"].pk
    bob.click(f"#c{target} > details > footer a.reply-link")
    bob.fill(f"#c{target} form.reply-form textarea", "bob answers alice")
    bob.click(f"#c{target} form.reply-form button[type=submit]")
    bob.locator(f"#c{target} .replies article.comment").first.wait_for()
    expect(bob.locator("header.site [data-unread-count]")).to_be_hidden()  # bob has none

    # alice sees it in her header on any page, and in her inbox.
    alice = new_page()
    log_in(alice, live_server, "alice")
    badge = alice.locator("header.site [data-unread-count]")
    expect(badge).to_be_visible()
    expect(badge.locator(".count")).to_have_text("1")
    alice.click("header.site a.inbox-link")
    item = alice.locator("article.inbox-item").first
    expect(item).to_have_class("inbox-item unread")
    expect(item).to_contain_text("bob replied to your comment")
    expect(item).to_contain_text("bob answers alice")
    alice.evaluate("window.__noReload = true")

    item.locator("button", has_text="mark read").click()
    expect(item).to_have_class("inbox-item")
    expect(item.locator("button", has_text="mark read")).to_have_count(0)
    expect(badge).to_be_hidden()
    expect(alice.locator("[data-inbox-unread]")).to_have_text("0")
    assert alice.evaluate("window.__noReload === true")  # no reload happened
    assert InboxItem.objects.get(recipient=talk["alice"]).is_read
    alice.screenshot(path=str(artifacts / "inbox-read-in-place.png"))

    # The link leads to the reply in its thread.
    reply = InboxItem.objects.get(recipient=talk["alice"]).comment_id
    item.locator("a", has_text="see it in context").click()
    alice.wait_for_url(f"**/t/**#c{reply}")
    expect(alice.locator(f"#c{reply} > details > .body")).to_have_text("bob answers alice")


def test_mark_all_read_in_place(new_page, live_server, talk):
    for n in range(3):
        make_comment(talk["thread"], parent=talk["comment"], author=talk["bob"], body=f"r{n}")
    alice = new_page()
    log_in(alice, live_server, "alice")
    expect(alice.locator("header.site [data-unread-count] .count")).to_have_text("3")
    alice.goto(f"{live_server.url}/inbox/")
    alice.evaluate("window.__noReload = true")
    alice.click("text=Mark all read")
    expect(alice.locator("article.inbox-item.unread")).to_have_count(0)
    expect(alice.locator("header.site [data-unread-count]")).to_be_hidden()
    assert alice.evaluate("window.__noReload === true")
    assert not InboxItem.objects.filter(recipient=talk["alice"], is_read=False).exists()


def test_mark_read_without_the_script(new_page, live_server, talk):
    make_comment(talk["thread"], parent=talk["comment"], author=talk["bob"], body="plain")
    alice = new_page(java_script_enabled=False)
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/inbox/")
    alice.click("article.inbox-item button:has-text('mark read')")
    alice.wait_for_url("**/inbox/**")
    expect(alice.locator("article.inbox-item.unread")).to_have_count(0)
    expect(alice.locator("header.site [data-unread-count]")).to_be_hidden()
    assert InboxItem.objects.get(recipient=talk["alice"]).is_read


def test_save_and_block_in_place(new_page, live_server, talk):
    bob = new_page()
    log_in(bob, live_server, "bob")
    bob.goto(live_server.url + talk["thread"].get_absolute_url())
    bob.evaluate("window.__noReload = true")
    save = bob.locator(f"#c{talk['comment'].pk} > details > footer button.save-button")
    save.click()
    expect(save).to_have_text("unsave")
    assert SavedItem.objects.filter(user=talk["bob"], comment=talk["comment"]).exists()
    save.click()
    expect(save).to_have_text("save")
    assert not SavedItem.objects.exists()
    thread_save = bob.locator(".thread-marks button.save-button")
    thread_save.click()
    expect(thread_save).to_have_text("unsave")
    assert bob.evaluate("window.__noReload === true")
    assert SavedItem.objects.filter(user=talk["bob"], thread=talk["thread"]).exists()

    bob.goto(f"{live_server.url}/u/alice/")
    bob.evaluate("window.__noReload = true")
    bob.click("form[data-block] button:has-text('Block')")
    expect(bob.locator("form[data-block] button")).to_have_text("Unblock")
    assert Block.objects.filter(blocker=talk["bob"], blocked=talk["alice"]).exists()
    assert bob.evaluate("window.__noReload === true")
    bob.goto(live_server.url + talk["thread"].get_absolute_url())
    folded = bob.locator(f"#c{talk['comment'].pk}")
    expect(folded).to_have_class("comment blocked")
    expect(folded.locator(".body")).to_be_hidden()  # folded: the text shows when opened
    folded.locator("summary").click()
    expect(folded.locator(".body")).to_be_visible()
