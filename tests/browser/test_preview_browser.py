"""Preview in a real browser: in place with the script, as a form submit without it;
either way the preview is the server's rendering and the typed text stays."""

import pytest

from tests.browser.site_pages import log_in
from tests.factories import make_comment, make_thread, make_user
from threads.models import Comment, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Hello **bold** <b>raw</b>\n\n- one\n- two"


@pytest.fixture
def scene():
    alice = make_user("alice")
    thread = make_thread(author=alice, title="Preview me")
    comment = make_comment(thread, author=make_user("bob"), body="first")
    return alice, thread, comment


def _context(browser, *, script: bool):
    context = browser.new_context(java_script_enabled=script)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_preview_in_place_with_the_script(live_server, browser, scene):
    alice, thread, comment = scene
    page = _context(browser, script=True)
    log_in(page, live_server.url, alice)
    page.goto(live_server.url + thread.get_absolute_url())
    url = page.url
    form = page.locator("form.top-reply")
    form.locator("textarea").fill(TEXT)
    form.locator("button[name=preview]").click()
    body = form.locator("section.preview .body")
    body.locator("strong").wait_for()
    assert body.locator("strong").inner_text() == "bold"
    assert body.locator("li").all_inner_texts() == ["one", "two"]
    assert "<b>raw</b>" in body.inner_text()  # raw HTML shows as text
    assert page.url == url  # no page load
    assert form.locator("textarea").input_value() == TEXT

    # A reply form the script opened under a comment previews in place too.
    page.click(f"#c{comment.pk} a.reply-link")
    reply = page.locator(f"#c{comment.pk} form.reply-form")
    reply.locator("textarea").fill("*slanted*")
    reply.locator("button[name=preview]").click()
    reply.locator("section.preview .body em").wait_for()
    assert reply.locator("section.preview .body em").inner_text() == "slanted"
    assert form.locator("section.preview em").count() == 0  # each form its own preview

    # Then sending it posts the comment as usual.
    form.locator("button[type=submit]:not([name=preview])").click()
    page.locator("#tree article.comment strong").first.wait_for()
    assert Comment.objects.filter(body__startswith="Hello **bold**").count() == 1

    # The new-thread form too.
    page.goto(live_server.url + "/submit/")
    page.fill("#id_title", "A title")
    page.fill("#id_body", "# Heading")
    page.click("button[name=preview]")
    page.locator("section.preview h3").wait_for()
    assert page.locator("section.preview h3").inner_text() == "Heading"
    assert page.input_value("#id_title") == "A title"
    page.context.close()


def test_preview_as_a_form_submit_without_the_script(live_server, browser, scene):
    alice, thread, comment = scene
    page = _context(browser, script=False)
    log_in(page, live_server.url, alice)
    page.goto(live_server.url + thread.get_absolute_url())
    form = page.locator("form.top-reply")
    form.locator("textarea").fill(TEXT)
    form.locator("button[name=preview]").click()
    page.wait_for_load_state()
    form = page.locator("form.top-reply")
    assert form.locator("section.preview .body strong").inner_text() == "bold"
    assert form.locator("textarea").input_value() == TEXT
    assert not Comment.objects.filter(body__startswith="Hello **bold**").exists()
    form.locator("button[type=submit]:not([name=preview])").click()
    page.wait_for_load_state()
    assert Comment.objects.filter(body__startswith="Hello **bold**").count() == 1

    # A reply under a comment: its preview comes back on the reply page, and sends there.
    page.goto(f"{live_server.url}{thread.get_absolute_url()}?reply={comment.pk}")
    reply = page.locator("#reply-form")
    reply.locator("textarea").fill("*slanted*")
    reply.locator("button[name=preview]").click()
    page.wait_for_load_state()
    assert page.locator("section.preview .body em").inner_text() == "slanted"
    assert page.input_value("textarea[name=body]") == "*slanted*"
    page.click("main form button[type=submit]:not([name=preview])")
    page.wait_for_load_state()
    assert Comment.objects.get(body="*slanted*").parent_id == comment.pk

    # And a new thread.
    page.goto(live_server.url + "/submit/")
    page.fill("#id_title", "No script")
    page.fill("#id_body", "~~gone~~")
    page.click("button[name=preview]")
    page.wait_for_load_state()
    assert page.locator("section.preview s, section.preview del").first.inner_text() == "gone"
    assert page.input_value("#id_title") == "No script"
    assert not Thread.objects.filter(title="No script").exists()
    page.context.close()
