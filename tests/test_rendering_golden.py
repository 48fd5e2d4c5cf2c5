"""The hand-written comment tree (``threads.rendering``) against a plain Django template.

The renderer is Python for speed (its docstring says how much); the reference,
``tests/templates/comment_tree_reference.html``, is the same tree written plainly with
autoescaping and the same ``{% load forum %}`` tags, so anyone can read what the page
should be. One small thread holds every state a comment can be in, and is rendered both
ways for each kind of viewer; the two must parse to the same DOM (tags, attributes and
text, whitespace aside). A change made to one and not the other fails here.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Engine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import limits, selectors, services
from threads.models import Comment
from threads.rendering import render_comment_tree

pytestmark = pytest.mark.django_db

MARKUP_NAME = "<b>&\"'"
IMPORTED_NAME = "<i>&\"' imported"
CSRF_TOKEN = "a-csrf-token-for-both"
QUERY_PREFIX = "?sort=best&x=\"<b>'&"  # the views' own never hold markup; this one does

REFERENCE = Engine(
    dirs=[Path(__file__).parent / "templates"],
    libraries={"forum": "threads.templatetags.forum", "tz": "django.templatetags.tz"},
)


# --- The DOM both sides are compared as ------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Builder(HTMLParser):
    """A fragment as nested ``(tag, sorted attributes, children)``; text with its runs of
    whitespace made one space, stripped, and dropped when empty."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self.stack: list[tuple[str, list]] = [("#root", self.root)]

    def handle_starttag(self, tag, attrs):
        attributes = tuple(sorted((name, " ".join((value or "").split())) for name, value in attrs))
        children: list = []
        self.stack[-1][1].append((tag, attributes, children))
        if tag not in VOID:
            self.stack.append((tag, children))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        assert self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0]}>"
        self.stack.pop()

    def handle_data(self, data):
        siblings = self.stack[-1][1]
        if siblings and isinstance(siblings[-1], str):
            siblings[-1] += data
        else:
            siblings.append(data)


def dom(html: str) -> list:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert len(builder.stack) == 1, f"unclosed: {[tag for tag, _ in builder.stack[1:]]}"
    return _normalized(builder.root)


def _normalized(nodes: list) -> list:
    out = []
    for node in nodes:
        if isinstance(node, str):
            text = " ".join(node.split())
            if text:
                out.append(text)
        else:
            tag, attributes, children = node
            out.append((tag, attributes, _normalized(children)))
    return out


def texts(tree: list) -> list[str]:
    found = []
    for node in tree:
        if isinstance(node, str):
            found.append(node)
        else:
            found.extend(texts(node[2]))
    return found


def test_the_comparison_sees_markup_but_not_whitespace():
    page = '<p class="a b" id="x">one <a href="/?a=1&amp;b=2">two</a></p><input value="v">'
    assert dom(page) == dom(page.replace(" <a", "\n  <a").replace("<input", "\n<input"))
    assert dom(page) == dom(page.replace('class="a b" id="x"', 'id="x"  class="a b"'))
    assert dom(page) != dom(page.replace("two", "three"))
    assert dom(page) != dom(page.replace("b=2", "b=3"))
    assert dom(page) != dom(page.replace('class="a b"', 'class="a"'))
    assert dom(page) != dom(page.replace("</a></p>", "</a></p><p></p>"))
    assert dom(page) != dom(page.replace("one <a", "one</p><p><a"))


# --- One thread with every state ------------------------------------------------------


@pytest.fixture
def people(db):
    """The viewers: a member, a moderator, nobody; and an author whose name holds markup."""
    return {
        "member": make_user("member"),
        "moderator": make_moderator("mia"),
        "markup": make_user(MARKUP_NAME),
        "other": make_user("otto"),
    }


def at(comment: Comment, minutes_ago: int, **fields) -> Comment:
    """Set when it was written (hours back, so "N hours ago" cannot tick over while the
    two renderings run) and any imported marks."""
    when = timezone.now() - timedelta(hours=3, minutes=minutes_ago)
    Comment.objects.filter(pk=comment.pk).update(created_at=when, **fields)
    return comment


@pytest.fixture
def every_state(people):
    """A thread with a voted comment by an author named in markup, replies deleted,
    removed, edited, the member's own, an imported one with its source's marks, a chain
    deeper than the display depth, and more top-level comments than the budget shows."""
    member, other, markup = people["member"], people["other"], people["markup"]
    thread = make_thread(author=other, title="Every state", source="reddit:every")
    voted = at(make_comment(thread, author=markup, body="**voted** up by the member"), 90)
    services.vote_cast(user=member, item=voted, value=1)
    deleted = at(make_comment(thread, parent=voted, author=other, body="gone soon"), 80)
    services.comment_delete(user=other, comment=deleted)
    removed = at(make_comment(thread, parent=voted, author=other, body="rude words"), 79)
    services.comment_remove(moderator=people["moderator"], comment=removed, reason="rude")
    own = at(make_comment(thread, parent=voted, author=member, body="first draft"), 78)
    services.comment_edit(user=member, comment=own, body="second draft")
    down = at(make_comment(thread, parent=own, author=other, body="voted down"), 77)
    services.vote_cast(user=member, item=down, value=-1)
    imported = at(make_comment(thread, parent=voted, body="from elsewhere"), 76,
                  author=None, author_name=IMPORTED_NAME, distinguished="moderator",
                  is_stickied=True, is_score_hidden=True, edited_time_unknown=True)  # fmt: skip
    at(make_comment(thread, parent=imported, body="an admin's voice"), 75, distinguished="admin")
    parent = at(make_comment(thread, author=other, body="a chain starts"), 70)
    for depth in range(1, limits.MAX_DISPLAY_DEPTH + 2):
        parent = at(make_comment(thread, parent=parent, body=f"depth {depth}"), 70 - depth)
    for n in range(4):
        at(make_comment(thread, author=other, body=f"late top-level {n}"), 40 - n)
    # The member's own marks: a comment saved, an author blocked (folded for them).
    services.item_save(user=member, item=down)
    services.user_block(user=member, blocked=markup)
    return thread, voted


VIEWS = {
    "anonymous": {"viewer": None, "reply_to": None, "locked": False},
    "member replying": {"viewer": "member", "reply_to": "voted", "locked": False},
    "moderator": {"viewer": "moderator", "reply_to": None, "locked": False},
    "moderator replying": {"viewer": "moderator", "reply_to": "voted", "locked": False},
    "member, thread locked": {"viewer": "member", "reply_to": "voted", "locked": True},
}


def nested(tree) -> list[dict]:
    """The flat rows as the nesting they stand for: each row closes ``row.closes`` open
    comments before it, and a comment holds the rows up to its close."""
    top: list[dict] = []
    open_ = [top]
    for row in tree.rows:
        for _ in range(row.closes):
            open_.pop()
        node = {"row": row, "children": []}
        open_[-1].append(node)
        if not row.more and not row.continues:
            open_.append(node["children"])
    assert len(open_) - 1 == tree.trailing_closes
    return top


def both(thread, *, viewer, reply_to, locked) -> tuple[str, str]:
    tree = selectors.comment_batch(thread, viewer=viewer)
    fast = render_comment_tree(
        tree, viewer=viewer, csrf_token=CSRF_TOKEN, locked=locked, reply_to=reply_to,
        query_prefix=QUERY_PREFIX, op_id=thread.author_id,
    )  # fmt: skip
    user = viewer or AnonymousUser()
    context = {
        "nodes": nested(tree), "user": user, "viewer_id": user.pk, "locked": locked,
        "reply_to": reply_to, "query_prefix": QUERY_PREFIX, "csrf_token": CSRF_TOKEN,
        "op_id": thread.author_id,
    }  # fmt: skip
    reference = REFERENCE.get_template("comment_tree_reference.html").render(Context(context))
    return str(fast), reference


@pytest.mark.parametrize("view", VIEWS)
def test_the_renderer_writes_what_the_reference_template_writes(
    view, people, every_state, monkeypatch
):
    monkeypatch.setattr(limits, "PAGE_BUDGET", 20)  # the late top-level comments wait
    spec = VIEWS[view]
    viewer = people[spec["viewer"]] if spec["viewer"] else None
    thread, voted = every_state
    reply_to = voted.pk if spec["reply_to"] else None
    fast, reference = both(thread, viewer=viewer, reply_to=reply_to, locked=spec["locked"])

    assert dom(fast) == dom(reference)
    words = texts(dom(fast))
    for state in ("[deleted]", "[removed by moderator]", "edited", "score hidden", "mod",
                  "admin", "pinned", "OP", "continue this thread →", f"comment by {MARKUP_NAME}",
                  f"comment by {IMPORTED_NAME} (reddit)", MARKUP_NAME,
                  f"{IMPORTED_NAME} (reddit)"):  # fmt: skip
        assert state in words, state
    shown = " | ".join(words)
    assert "load more comments (" in shown
    assert ("rude words" in shown) == (spec["viewer"] == "moderator")
    assert ("edit | delete" in shown) == (spec["viewer"] == "member")
    assert ("report" in shown) == (spec["viewer"] is not None)
    assert ('aria-pressed="true"' in fast) == (spec["viewer"] == "member" and not spec["locked"])
    replying = view in ("member replying", "moderator replying")
    assert ('id="reply-form"' in fast) == replying
    assert (f"Reply to | {MARKUP_NAME} |" in shown) == replying
    member = spec["viewer"] == "member"
    assert ("blocked (you blocked this member)" in shown) == member
    assert ('<article class="comment blocked" id="c' in fast) == member
    assert ("| unsave |" in shown) == member
    assert ("| save |" in shown) == (spec["viewer"] is not None)
    assert ('speak as moderator (shows the "mod" badge)' in shown) == (view == "moderator replying")


def test_each_page_with_a_tree_holds_the_scripts_reply_form_once(client, every_state):
    thread, voted = every_state
    pages = [thread.get_absolute_url(), voted.get_absolute_url(),
             reverse("threads:thread-more", args=[thread.pk]) + "?offset=1"]  # fmt: skip
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count('<template id="reply-form-template">') == 1, url
    batch = client.get(pages[2], headers={"X-Requested-With": "fetch"}).json()["html"]
    assert "reply-form-template" not in batch  # a batch joins a page that has it
