"""Sign-up refuses a look-alike name in words, keeps what was typed; the new member picks
the order threads open in from the settings page."""

import pytest

from tests.factories import make_comment, make_thread, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_signup_refuses_a_look_alike_then_settings_choose_the_comment_order(live_server, page):
    alice = make_user("alice")
    thread = make_thread(author=alice, title="Orders")
    make_comment(thread, author=alice, body="older")
    make_comment(thread, author=alice, body="newer")

    page.goto(f"{live_server.url}/accounts/signup/")
    assert "letters A–Z and a–z, digits, _ and -" in page.locator("main").inner_text()
    page.fill("input[name=username]", "аlice")  # a Cyrillic "а"
    page.fill("input[name=email]", "me@example.com")
    page.fill("input[name=password1]", "correct-horse-9")
    page.fill("input[name=password2]", "correct-horse-9")
    page.click("main button[type=submit]")
    errors = page.locator("main .errorlist").first.inner_text()
    assert "“а” (cyrillic small letter a) looks like the letter “a”" in errors
    assert page.input_value("input[name=email]") == "me@example.com"

    page.fill("input[name=username]", "alice_two")
    page.fill("input[name=password1]", "correct-horse-9")
    page.fill("input[name=password2]", "correct-horse-9")
    page.click("main button[type=submit]")
    page.click("header.site >> text=Settings")
    page.select_option("select[name=default_comment_sort]", "new")
    page.click("#comments button[type=submit]")
    assert "Saved: threads open sorted by new." in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    assert page.locator(".sorts [aria-current=page]").inner_text() == "new"
    bodies = page.locator("article.comment .body").all_inner_texts()
    assert [b.strip() for b in bodies] == ["newer", "older"]
