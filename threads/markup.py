"""Comment text to safe HTML: CommonMark through markdown-it-py, then an nh3 allow-list.

Rendered once when text is saved, never per page view (``manage.py rerender`` renders
every stored body again when these rules change). Raw HTML in the source is shown as
text (``html=False``), and whatever the renderer emits still passes through nh3, so a
bug in one layer cannot open a hole on its own.

Beyond CommonMark: ``~~strike~~``, GitHub tables (without their inline ``style``
alignment, which a content security policy forbids), bare URLs as links. Two things
are shown differently from what Markdown means by them, for the page's sake:

- headings move down two levels (``#`` is ``<h3>``, capped at ``<h6>``): the page's
  title is its one ``<h1>`` and a comment is a part of the page, not a page;
- an image is a link to its address, showing its alt text (or the address when there
  is none): an inline ``<img>`` would make every reader's browser fetch from a server
  of the writer's choosing, telling it who reads what.

``@username`` of an existing member links to their page (``/u/username/``), looked up
when the text is rendered (``threads.mentions``); a name nobody has stays plain text, as
does a mention in code, inside a link, or escaped as ``\\@name``.
"""

import re

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from threads import mentions

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "s", "del", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "hr", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener"

HEADING_SHIFT = 2  # "#" becomes h3: the page's h1 is its title, h2 its sections
_DEEPEST_HEADING = 6


def _shift_headings(state: StateCore) -> None:
    """Every heading two levels down, capped at h6, so a comment never adds an h1/h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, _DEEPEST_HEADING)
            token.tag = f"h{level}"


def _images_as_links(state: StateCore) -> None:
    """Each image becomes a link to its address with its alt text (else the address) as
    the link's text; inside a link, where a second link cannot nest, only that text."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _without_images(state.md, block.children, in_link=False)


def _without_images(md: MarkdownIt, tokens: list[Token], *, in_link: bool) -> list[Token]:
    out: list[Token] = []
    depth = int(in_link)  # links open around the current token
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        if token.type != "image":
            out.append(token)
            continue
        src = str(token.attrGet("src") or "")
        # The alt text may itself hold an image: ![![a](x)](y) is a link to y reading "a".
        text = _without_images(md, token.children or [], in_link=True)
        if not any(t.content.strip() for t in text):  # no alt text: show where it points
            text = [_text(md.normalizeLinkText(src))]
        if depth:
            out.extend(text)
            continue
        link = Token("link_open", "a", 1)
        link.attrSet("href", src)
        if token.attrGet("title"):
            link.attrSet("title", str(token.attrGet("title")))
        out.extend((link, *text, Token("link_close", "a", -1)))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link_mentions(state: StateCore) -> None:
    """``@name`` in plain text (not in a link, not in code) becomes a link to the member's
    page when ``name`` is a member (in any case); ``state.env["mentioned"]`` gets
    ``name -> user id``."""
    texts = [
        token
        for block in state.tokens
        if block.type == "inline" and block.children
        for token in _outside_links(block.children)
    ]
    names = mentions.mentioned_names(token.content for token in texts)
    members = mentions.members_named(names)
    state.env["mentioned"] = {name: pk for name, (_, pk) in members.items()}
    if not members:
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _with_mention_links(block.children, members)


def _outside_links(tokens: list[Token]) -> list[Token]:
    depth, found = 0, []
    for token in tokens:
        depth += (token.type == "link_open") - (token.type == "link_close")
        if token.type == "text" and not depth and "@" in token.content:
            found.append(token)
    return found


def _with_mention_links(tokens: list[Token], members: dict[str, tuple[str, int]]) -> list[Token]:
    out: list[Token] = []
    depth = 0
    for token in tokens:
        depth += (token.type == "link_open") - (token.type == "link_close")
        if token.type != "text" or depth or "@" not in token.content:
            out.append(token)
            continue
        at = 0
        for match in mentions.MENTION.finditer(token.content):
            name = match.group(1)
            if name not in members:
                continue
            out.append(_text(token.content[at : match.start()]))
            link = Token("link_open", "a", 1)
            username = members[name][0]
            link.attrSet("href", reverse("threads:user-detail", kwargs={"username": username}))
            out.extend((link, _text(match.group(0)), Token("link_close", "a", -1)))
            at = match.end()
        out.append(_text(token.content[at:]))
    return [token for token in out if token.type != "text" or token.content]


_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable("linkify")
    .enable("strikethrough")
    .enable("table")
)
_markdown.core.ruler.push("shift_headings", _shift_headings)
# Before text_join, which merges the escaped characters of the alt text into plain text.
_markdown.core.ruler.before("text_join", "images_as_links", _images_as_links)
# Also before text_join: an escaped "\@" is still its own token there, so it links nothing.
_markdown.core.ruler.before("text_join", "link_mentions", _link_mentions)


# One line of words and plain punctuation, where no Markdown or linkify rule can fire: a
# letter/digit, space or ,;!?'"()- anywhere, a "." not directly before a letter or digit
# (no fuzzy link), not starting with a space, "-" or "12." / "12)" (no code, no list),
# not ending with a space. Imports are mostly
# such lines; rendering them skips the parser and gives byte-identical output.
_PLAIN_LINE = re.compile(r"(?![ -]|\d+[.)])(?:[^\W_]|[ ,;!?'\"()-]|\.(?![^\W_]))+")


def render_markdown(text: str) -> str:
    """Markdown in, sanitized HTML out; every link marked as user content. No text, no HTML."""
    return render_with_mentions(text)[0]


def render_with_mentions(text: str) -> tuple[str, dict[str, int]]:
    """The HTML, and ``username -> user id`` of the members it mentions (and links)."""
    if not text:
        return "", {}
    if _PLAIN_LINE.fullmatch(text) and text[-1] != " ":
        return f"<p>{text}</p>\n", {}
    env: dict = {}
    html = _markdown.render(text, env)
    return _clean(html), env.get("mentioned", {})


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
