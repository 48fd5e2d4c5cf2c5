"""The reply form the script opens is the server's own form: same label, length limit and
button as the one a reader without the script gets from ``?reply=<id>``."""

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_thread, make_user
from threads import limits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKUP_NAME = "<b>&\"'"

FACTS = """form => {
  const label = form.querySelector("label"), field = form.querySelector("textarea");
  return {
    label: label.textContent,
    labelled: label.htmlFor === field.id && field.id !== "",
    maxLength: field.maxLength,
    required: field.required,
    button: form.querySelector("button[type=submit]").textContent,
    action: new URL(form.action).pathname,
    token: form.querySelector("[name=csrfmiddlewaretoken]").value.length > 0,
  };
}"""


def test_the_scripts_reply_form_is_the_servers(page, live_server):
    thread = make_thread(title="Forms")
    author = make_user(MARKUP_NAME)
    first = make_comment(thread, author=author, body="first")
    second = make_comment(thread, author=author, body="second")
    page.goto(f"{live_server.url}{thread.get_absolute_url()}?reply={first.pk}#c{first.pk}")

    server = page.locator(f"#c{first.pk} > details > form.reply-form").evaluate(FACTS)
    page.click(f"#c{second.pk} > details > footer a.reply-link")
    clone = page.locator(f"#c{second.pk} > details > form.reply-form")
    script = clone.evaluate(FACTS)

    assert server["action"] == reverse("threads:comment-reply", args=[first.pk])
    assert script["action"] == reverse("threads:comment-reply", args=[second.pk])
    del server["action"], script["action"]
    assert script == server == {
        "label": f"Reply to {MARKUP_NAME}", "labelled": True,
        "maxLength": limits.COMMENT_MAX_LENGTH, "required": True, "button": "Reply",
        "token": True,
    }  # fmt: skip
    assert clone.locator("textarea").evaluate("field => document.activeElement === field")

    clone.locator("button.cancel").click()
    assert page.locator(f"#c{second.pk} form.reply-form").count() == 0
