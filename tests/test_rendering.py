"""The comment tree's HTML: every text a person chose comes out as text, never as markup.

``threads.rendering`` escapes only names (bodies are sanitized when saved), so these
tests put markup into every text field a rendered comment has and parse the result back.
"""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_comment, make_thread, make_user
from threads import selectors, writing_aids
from threads.models import Comment
from threads.presentation import ago, stamp
from threads.rendering import render_comment_tree

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>\"'&amp;</article><script>x</script>"


class TreeParser(HTMLParser):
    """Collects the tags a fragment opens and the text of each author name and reply label."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: dict[str, list[str]] = {"author": [], "label": []}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        if "author" in classes:
            self._open = "author"
            self.texts["author"].append("")
        elif tag == "label":
            self._open = "label"
            self.texts["label"].append("")

    def handle_endtag(self, tag):
        if tag in ("span", "label"):
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open][-1] += data


def render(thread, *, viewer, reply_to=None, query_prefix="?sort=best&"):
    tree = selectors.comment_batch(thread, viewer=viewer)
    return render_comment_tree(
        tree, viewer=viewer, csrf_token="token", locked=False, reply_to=reply_to,
        query_prefix=query_prefix,
    )  # fmt: skip


def parse(html: str) -> TreeParser:
    parser = TreeParser()
    parser.feed(html)
    parser.close()
    return parser


def imported_comment(thread, author_name: str) -> Comment:
    """A comment kept from an import: no account, only the name the source gave."""
    comment = make_comment(thread)
    Comment.objects.filter(pk=comment.pk).update(author=None, author_name=author_name)
    return comment


SAFE_TAGS = {"article", "details", "summary", "span", "time", "div", "p", "footer", "a",
             "button", "form", "input", "label", "textarea"}  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(alphabet=st.sampled_from(list("<>&\"'/=; ax;#01")), min_size=1, max_size=40))
def test_an_imported_author_name_is_shown_as_its_text(name):
    thread = make_thread()
    comment = imported_comment(thread, name)
    viewer = make_user()
    html = render(thread, viewer=viewer, reply_to=comment.pk)
    # The reply form's formatting help is the site's own markup, the same on every form.
    page = parse(html.replace(writing_aids.markdown_help_html(), ""))
    assert page.texts["author"] == [f"{name} (imported)"]  # never passes for a member's name
    assert page.texts["label"] == [f"Reply to {name} (imported)"]
    assert set(page.tags) <= SAFE_TAGS


def test_a_username_with_markup_is_escaped_in_text_and_link():
    thread = make_thread()
    odd = make_user(HOSTILE)  # the sign-up form refuses this; the renderer must not rely on it
    make_comment(thread, author=odd, body="hi")
    html = render(thread, viewer=make_user())
    assert HOSTILE not in html
    assert "<script>" not in html and "<img" not in html
    assert parse(html).texts["author"] == [HOSTILE]


def test_the_page_url_is_escaped_in_reply_links():
    thread = make_thread()
    comment = make_comment(thread)
    html = render(thread, viewer=make_user(), query_prefix='?sort=best&"><script>&')
    escaped = "?sort=best&amp;&quot;&gt;&lt;script&gt;&amp;"
    assert f'href="{escaped}reply={comment.pk}#c{comment.pk}"' in html
    assert "<script>" not in html


def test_a_body_is_rendered_as_sanitized_when_saved():
    thread = make_thread()
    make_comment(thread, body="<script>alert(1)</script> **bold** [x](javascript:alert(1))")
    html = render(thread, viewer=None)
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html and 'href="javascript:' not in html


def test_times_read_the_same_for_machines_and_people():
    moment = datetime(2026, 11, 25, 20, 20, 37, 123456, tzinfo=UTC)
    assert stamp(moment) == ("2026-11-25T20:20:37.123Z", "2026-11-25 20:20:37 UTC")
    assert stamp(moment.replace(microsecond=0))[1] == "2026-11-25 20:20:37 UTC"


@pytest.mark.parametrize(
    "seconds, text",
    [(5, "just now"), (60, "1 minute ago"), (7200, "2 hours ago"), (86400 * 400, "1 year ago")],
)
def test_ago(seconds, text):
    now = datetime(2026, 11, 25, tzinfo=UTC)
    assert ago(datetime.fromtimestamp(now.timestamp() - seconds, UTC), now) == text


def test_reply_links_name_the_url_the_script_posts_to():
    thread = make_thread()
    comment = make_comment(thread)
    html = render(thread, viewer=make_user())
    action = reverse("threads:comment-reply", kwargs={"pk": comment.pk})
    assert f'data-reply="{comment.pk}" data-action="{action}">reply</a>' in html


def test_a_member_name_links_to_their_page():
    thread = make_thread()
    make_comment(thread, author=make_user("dana.b"))
    html = render(thread, viewer=None)
    page = reverse("threads:user-detail", kwargs={"username": "dana.b"})
    assert f'<span class="author"><a href="{page}">dana.b</a></span>' in html
