"""A member who forgot their password resets it through the mailed link, in Chromium.

The live server sends through Django's test mail box (locmem): the test reads the link
out of the mail as the member would, and follows it in the browser."""

import re

import pytest
from django.core import mail

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_password_reset_end_to_end_through_the_mailed_link(live_server, page):
    make_user("alice", email="alice@example.com")
    mail.outbox.clear()

    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", "alice@example.com")
    page.click("button[type=submit]:has-text('Mail me a reset link')")
    assert page.locator("h1").inner_text() == "Check your mail"

    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Choose a new password"
    page.fill("input[name=new_password1]", "fresh-Password-42")
    page.fill("input[name=new_password2]", "fresh-Password-42")
    page.click("button:has-text('Set password')")
    assert page.locator("h1").inner_text() == "Your password is set"

    page.click("main >> text=Log in")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "fresh-Password-42")
    page.click("main button[type=submit]")
    assert page.locator("header.site").get_by_role("link", name="alice").is_visible()

    page.goto(link)  # a used link is refused
    assert page.locator("h1").inner_text() == "This link does not work"
