"""The words of a member you block come folded (in a closed ``<details>``) on every page
that shows them among others' words: the thread, both permalinks, the context above a
reply, the front page and search. One walk, so a new page cannot forget the rule."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_comment, make_thread, make_user
from threads import services

pytestmark = pytest.mark.django_db

WORDS = "quixotic blocked words"


class OpenText(HTMLParser):
    """Collects the text that shows without opening a closed ``<details>``. The permalink's
    "show context" counts as open: a reader opens it to read the parents, and a blocked
    member's words must still be folded inside."""

    def __init__(self):
        super().__init__()
        self.closed_depth = 0
        self.stack: list[bool] = []
        self.shown: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            attributes = dict(attrs)
            closed = "open" not in attributes and attributes.get("class") != "context"
            self.stack.append(closed)
            self.closed_depth += closed
        elif tag == "summary" and self.stack:
            self.stack.append(False)  # a summary shows even when its details are closed
            self.closed_depth -= self.stack[-2]

    def handle_endtag(self, tag):
        if tag == "summary" and len(self.stack) > 1:
            self.stack.pop()
            self.closed_depth += self.stack[-1]
        elif tag == "details" and self.stack:
            self.closed_depth -= self.stack.pop()

    def handle_data(self, data):
        if not self.closed_depth:
            self.shown.append(data)


def shown_text(html: str) -> str:
    parser = OpenText()
    parser.feed(html)
    return " ".join(" ".join(parser.shown).split())


@pytest.fixture
def scene(db):
    """dora blocks bob, who started a thread and wrote a comment; carl answered it."""
    dora, bob, carl = make_user("dora"), make_user("bob"), make_user("carl")
    thread = make_thread(author=bob, title="A quixotic question", body=WORDS)
    comment = make_comment(thread, author=bob, body=WORDS)
    reply = make_comment(thread, author=carl, parent=comment, body="carl answers")
    services.user_block(user=dora, blocked=bob)
    return {"dora": dora, "thread": thread, "comment": comment, "reply": reply}


def pages(scene) -> list[str]:
    thread, comment, reply = scene["thread"], scene["comment"], scene["reply"]
    return [
        thread.get_absolute_url(),
        thread.get_absolute_url() + "?sort=new",
        reverse("threads:comment-detail", args=[comment.pk]),
        reverse("threads:comment-detail", args=[reply.pk]),
        reverse("threads:search") + "?q=quixotic",
        reverse("threads:search") + "?q=quixotic&type=comments",
    ]


def test_every_page_folds_the_blocked_members_words(scene):
    client = Client()
    client.force_login(scene["dora"])
    for url in pages(scene):
        html = client.get(url).content.decode()
        assert "quixotic" in html.lower() or "blocked" in html, url
        assert WORDS not in shown_text(html), url
        assert "blocked" in html, url


def test_others_see_them_unfolded(scene):
    client = Client()
    client.force_login(make_user("erin"))
    for url in pages(scene):
        html = client.get(url).content.decode()
        assert "quixotic" in shown_text(html).lower(), url


def test_the_parser_sees_an_open_comment():
    assert WORDS in shown_text(f"<details open><summary>x</summary><p>{WORDS}</p></details>")
    assert WORDS not in shown_text(f"<details><summary>x</summary><p>{WORDS}</p></details>")
    assert "x" in shown_text(f"<details><summary>x</summary><p>{WORDS}</p></details>")
    context = f'<details class="context"><summary>x</summary><p><mark>{WORDS}</mark></p></details>'
    assert WORDS in shown_text(context)
