"""What this forum is (``SITE_NAME``, ``SITE_DESCRIPTION``): in every page's title, the
header, the front page's about line and the feeds."""

import re

import pytest

from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def rust_talk(settings):
    settings.SITE_NAME = "Rust Talk"
    settings.SITE_DESCRIPTION = "Conversations about the Rust language & its tools."
    return settings


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_the_front_page_says_what_the_forum_is_with_links_to_the_log_and_the_feed(
    client, rust_talk
):
    html = client.get("/").content.decode()
    assert title_of(html) == "Rust Talk"
    assert '<a class="brand" href="/">Rust Talk</a>' in html
    about = re.search(r'<p class="about">(.*?)</p>', html, re.S).group(1)
    assert about.startswith("Conversations about the Rust language &amp; its tools.")
    assert 'href="/moderation/"' in about and 'href="/feed/"' in about


def test_every_page_title_ends_with_the_site_name(client, rust_talk, a_thread, a_user):
    client.force_login(a_user)
    for url in (a_thread.get_absolute_url(), "/moderation/", "/settings/", "/inbox/",
                f"/u/{a_user.username}/", "/submit/"):  # fmt: skip
        title = title_of(client.get(url).content.decode())
        assert title.endswith(" · Rust Talk"), (url, title)
        assert "Forum" not in title


def test_the_feeds_carry_the_site_name(client, rust_talk):
    thread = make_thread(title="Lifetimes")
    threads = client.get("/feed/").content.decode()
    assert "<title>Rust Talk: new threads</title>" in threads
    assert "<subtitle>Conversations about the Rust language &amp; its tools.</subtitle>" in threads
    comments = client.get(f"/thread/{thread.pk}/feed/").content.decode()
    assert "<title>New comments on Lifetimes · Rust Talk</title>" in comments


def test_without_settings_the_forum_is_called_forum(client, db):
    assert title_of(client.get("/").content.decode()) == "Forum"
