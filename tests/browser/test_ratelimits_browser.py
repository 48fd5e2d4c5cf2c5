"""A limited reply in a real browser: the forum's 429 words show in place, the typed
text stays in the form, and nothing was written."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_refusals_browser import log_in, open_thread, posts_to, still_same_page
from tests.factories import make_comment, make_thread, make_user
from threads.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rate_limited_reply_says_when_in_place_and_keeps_the_text(
    page, live_server, settings, real_redis_cache
):
    settings.RATE_LIMITS_ENABLED = True
    settings.HEATED_REPLY_SECONDS = 0
    settings.RATE_LIMITS = {"comment_new": ["1/m"], "comment": ["1/m"]}
    make_user("alice")
    thread = make_thread(title="Flood")
    first, second = (make_comment(thread, body=f"target {i}") for i in range(2))
    log_in(page, live_server, "alice")
    open_thread(page, live_server, thread)
    sent = posts_to(page, "/reply/")

    for target, text in ((first, "the one that goes"), (second, "the one that waits")):
        page.click(f"#c{target.pk} > details > footer a.reply-link")
        page.fill(f"#c{target.pk} form.reply-form textarea", text)
        page.click(f"#c{target.pk} form.reply-form button[type=submit]")
    expect(page.locator(f"#c{second.pk} form.reply-form > .refusal[role=alert]")).to_contain_text(
        "Too many comments from you for now: please try again in"
    )
    textarea = page.locator(f"#c{second.pk} form.reply-form textarea")
    assert textarea.input_value() == "the one that waits"
    assert still_same_page(page)
    assert len(sent) == 2
    assert list(Comment.objects.filter(parent__isnull=False).values_list("body", flat=True)) == [
        "the one that goes"
    ]
