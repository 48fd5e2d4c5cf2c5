"""A thread's link carries only an http(s) address, whatever the row holds."""

import pytest

from tests.factories import make_thread
from threads.presentation import link_url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x",
     "java\tscript:x", "//evil.example/", "ftp://example.com/", ""],
)  # fmt: skip
def test_only_http_addresses_become_links(url):
    assert link_url(url) == ""


def test_http_addresses_pass_unchanged():
    assert link_url(" https://example.com/a?b=1 ") == "https://example.com/a?b=1"
    assert link_url("HTTP://example.com/") == "HTTP://example.com/"


def test_a_stored_javascript_url_is_no_link_on_any_page(client, a_user):
    thread = make_thread(author=a_user, title="Sneaky", url="javascript:alert(1)")
    for url in ("/", thread.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "javascript:" not in html
        assert "Sneaky" in html
