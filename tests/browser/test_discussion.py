"""A person reads, replies, votes, collapses and deletes in a real browser, without reloads."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from threads.models import Comment, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_thread.txt"


@pytest.fixture
def seed_thread(transactional_db):
    """The seed discussion, imported as `make run` imports it."""
    call_command("import_thread", str(SEED), verbosity=0)
    return Thread.objects.get()


def sign_up(page, live_server, username="reader"):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_password1", "correct-horse-battery")
    page.fill("#id_password2", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def mark_page(page):
    """A flag that a reload would wipe out."""
    page.evaluate("window.__noReload = true")


def still_same_page(page) -> bool:
    return page.evaluate("window.__noReload === true")


def test_reply_vote_collapse_delete_in_place(page, live_server, seed_thread, artifacts):
    sign_up(page, live_server)
    page.goto(live_server.url + seed_thread.get_absolute_url())
    assert page.locator("article.comment").count() == 23
    mark_page(page)

    # Reply to a comment, then reply to that reply: both appear in place, nested.
    target = Comment.objects.filter(thread=seed_thread).order_by("tree_id").first()
    page.click(f"#c{target.pk} > details > footer a.reply-link")
    page.fill(f"#c{target.pk} form.reply-form textarea", "A reply from the browser")
    page.click(f"#c{target.pk} form.reply-form button[type=submit]")
    first = page.locator(f"#c{target.pk} > details > .replies > article.comment").first
    first.wait_for()
    assert "A reply from the browser" in first.inner_text()
    reply = Comment.objects.get(body="A reply from the browser")
    assert reply.parent_id == target.pk

    page.click(f"#c{reply.pk} > details > footer a.reply-link")
    page.fill(f"#c{reply.pk} form.reply-form textarea", "And a nested one")
    page.click(f"#c{reply.pk} form.reply-form button[type=submit]")
    nested = page.locator(f"#c{reply.pk} > details > .replies > article.comment").first
    nested.wait_for()
    assert "And a nested one" in nested.inner_text()
    assert Comment.objects.get(body="And a nested one").parent_id == reply.pk

    # Vote up on someone else's comment: the score changes; the same arrow takes it back.
    score = page.locator(f"#c{target.pk} > .meta .score")
    assert score.inner_text() == "0 points"
    page.click(f"#c{target.pk} > details > footer .vote button.up")
    expect(score).to_have_text("1 point")
    assert (
        page.locator(f"#c{target.pk} > details > footer button.up").get_attribute("aria-pressed")
        == "true"
    )
    assert Comment.objects.get(pk=target.pk).score == 1
    page.click(f"#c{target.pk} > details > footer .vote button.up")
    expect(score).to_have_text("0 points")
    assert Comment.objects.get(pk=target.pk).score == 0

    # Collapse the subtree: its replies are hidden and the count says how many.
    page.click(f"#c{target.pk} > details > summary")
    assert not page.locator(f"#c{reply.pk}").is_visible()
    expect(page.locator(f"#c{target.pk} > details > summary .hidden-count")).to_have_text(
        "(2 replies hidden)"
    )
    page.click(f"#c{target.pk} > details > summary")
    assert page.locator(f"#c{reply.pk}").is_visible()

    # Delete the middle reply: "[deleted]" shows, its reply stays.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#c{reply.pk} > details > footer a.delete-link")
    # (A locator, not wait_for_function: the page's policy forbids evaluating strings.)
    expect(page.locator(f"#c{reply.pk} > details > .body")).to_have_text("[deleted]")
    assert page.locator(f"#c{reply.pk} article.comment").first.is_visible()
    assert Comment.objects.get(pk=reply.pk).is_deleted

    assert still_same_page(page)

    page.screenshot(path=str(artifacts / "thread-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "thread-mobile.png"), full_page=True)

    # And after a reload, the server shows the same state.
    page.reload()
    assert page.locator(f"#c{reply.pk} > details > .body").inner_text() == "[deleted]"
    assert "And a nested one" in page.locator(f"#c{reply.pk}").inner_text()


def test_anonymous_vote_goes_to_login_and_back(page, live_server, seed_thread):
    page.goto(live_server.url + seed_thread.get_absolute_url())
    first = Comment.objects.filter(thread=seed_thread).order_by("tree_id").first()
    page.click(f"#c{first.pk} > details > footer .vote button.up")
    page.wait_for_url("**/accounts/login/**")
    assert "Log in" in page.locator("h1").inner_text()


def test_works_without_javascript(browser, live_server, seed_thread):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_up(page, live_server, username="nojs")
        page.goto(live_server.url + seed_thread.get_absolute_url())
        first = Comment.objects.filter(thread=seed_thread).order_by("tree_id").first()
        page.click(f"#c{first.pk} > details > footer a.reply-link")
        page.fill(f"#c{first.pk} form.reply-form textarea", "posted without script")
        page.click(f"#c{first.pk} form.reply-form button[type=submit]")
        page.wait_for_url("**#c*")
        assert "posted without script" in page.locator(f"#c{first.pk}").inner_text()
        page.click(f"#c{first.pk} > details > footer .vote button.up")
        page.wait_for_load_state()
        assert page.locator(f"#c{first.pk} > .meta .score").inner_text() == "1 point"
    finally:
        context.close()
