"""A moderator removes a reported comment in the admin; a reader sees the result."""

import pytest

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_moderator_removes_reported_comment_and_reader_sees_it(live_server, browser, page):
    alice, bob = make_user("alice"), make_user("bob")
    make_moderator("mia")
    thread = make_thread(author=alice, title="Browser moderation")
    bad = make_comment(thread, author=bob, body="buy cheap pills here")
    reply = make_comment(thread, parent=bad, author=alice, body="please stop posting ads")
    services.report_create(reporter=alice, comment=bad, reason="spam advert")

    # The moderator logs in to the admin and opens the report queue.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/threads/reportedcomment/")
    row = page.locator("#result_list tbody tr").first
    assert "buy cheap pills here" in row.inner_text()
    assert "spam advert" in row.inner_text()

    # Select it, choose "remove", give the reason on the confirmation page.
    page.check(f"input[name=_selected_action][value='{bad.pk}']")
    page.select_option("select[name=action]", "remove_comments")
    page.click("button[name=index]")
    page.fill("textarea[name=reason]", "advertising")
    page.click("input[name=apply]")
    assert "Removed 1 comment" in page.locator("ul.messagelist").inner_text()
    assert page.locator("#result_list tbody tr").count() == 0  # the queue is empty now

    # A reader (a new browser context: not logged in) sees the tree, minus the text.
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{thread.get_absolute_url()}")
    removed = reader.locator(f"#c{bad.pk}")
    assert removed.locator(".body").first.inner_text() == "[removed by moderator]"
    assert "buy cheap pills here" not in reader.content()
    nested_reply = removed.locator(f".replies #c{reply.pk}")
    assert "please stop posting ads" in nested_reply.inner_text()

    # And the action is on the public moderation log.
    reader.goto(f"{live_server.url}/moderation/")
    entry = reader.locator("table.modlog tbody tr").first
    text = entry.inner_text()
    assert "mia" in text and "removed comment" in text and "advertising" in text
    entry.locator(f"a[href='/c/{bad.pk}/']").click()
    assert "[removed by moderator]" in reader.locator(f"#c{bad.pk}").inner_text()
    reader.context.close()
