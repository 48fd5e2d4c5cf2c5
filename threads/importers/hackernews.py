"""Hacker News: an item as the Algolia items API returns it (``/api/v1/items/<id>``).

The story has ``id``, ``title``, ``url``, ``text``, ``author``, ``created_at`` and
``points``; comments nest in ``children``. A comment with neither author nor text was
deleted; ``[flagged]`` or ``[dead]`` text means moderators removed it. HN writes text as
a small HTML subset; :func:`html_to_markdown` turns it into our Markdown and keeps no
raw HTML: ``<p>`` paragraphs, ``<i>`` emphasis, ``<a href>`` links (http, https and
mailto only), ``<pre><code>`` blocks and entities; any other tag keeps only its text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from threads.importers import ParsedComment, ParsedThread, values

REMOVED_TEXTS = {"[flagged]", "[dead]"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
# Characters that would otherwise start Markdown syntax in running text.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<~]|&(?=#?\w+;))")
_BLOCK_START = re.compile(r"^(#|[-+=](?=\s|$)|\d+(?=[.)](?:\s|$)))")
_URL_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}


def parse_data(data, *, name: str, title: str | None = None) -> ParsedThread:
    story = values.obj(data, name, "the file")
    story_id = values.source_id(story.get("id"), name, "the story's id")
    where = f"{name}: story {story_id!r}"
    heading = values.text(story.get("title"), where, "title") or (title or "")
    parsed = ParsedThread(
        source=f"hn:{story_id}",
        title=values.title(heading, where),
        url=values.url(story.get("url"), where),
        body=_text(story.get("text"), where),
        author_name=values.author(story.get("author"), where),
        created_at=values.timestamp(story.get("created_at"), where, "created_at"),
        score=values.integer(story.get("points"), where, "points"),
    )
    stack = [(child, None) for child in reversed(_kids(story, where))]
    while stack:
        item, parent = stack.pop()
        comment, kids = _comment(item, name, parent)
        parsed.comments.append(comment)
        stack.extend((kid, comment.source_id) for kid in reversed(kids))
    return parsed


def _kids(item: dict, where: str) -> list:
    return values.array(item.get("children") or [], where, "children")


def _text(html, where: str, what: str = "text") -> str:
    markdown = html_to_markdown(values.text(html, where, what))
    return values.body(markdown, where, what)


def _comment(item, name: str, parent: str | None) -> tuple[ParsedComment, list]:
    item = values.obj(item, f"{name}: children of {parent or 'the story'}", "each child")
    source_id = values.source_id(item.get("id"), f"{name}: a child of {parent or 'the story'}")
    where = f"{name}: comment {source_id!r}"
    author = values.author(item.get("author"), where)
    raw = values.text(item.get("text"), where, "text")
    deleted = not author and not raw
    removed = raw.strip() in REMOVED_TEXTS
    comment = ParsedComment(
        source_id=source_id,
        parent_source_id=parent,
        body="" if removed else _text(raw, where),
        author_name=author,
        created_at=values.timestamp(item.get("created_at"), where, "created_at"),
        score=values.integer(item.get("points"), where, "points"),
        is_deleted=deleted,
        is_removed=removed,
    )
    return comment, _kids(item, where)


def html_to_markdown(html: str) -> str:
    """HN's HTML subset as Markdown text; everything unknown becomes plain text."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.markdown()


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_block_start(match: re.Match) -> str:
    """``# x`` → ``\\# x``; ``1. x`` → ``1\\. x`` (a backslash only escapes punctuation)."""
    marker = match.group(1)
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


class _Converter(HTMLParser):
    """Collects blocks (paragraphs, code); within a paragraph, text, emphasis and links.

    Text is escaped as it arrives, so the Markdown generated around it stays intact.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.parts: list[str] = []  # the paragraph being built
        self.code: list[str] | None = None  # inside <pre>
        self.emphasis: list[str] | None = None
        self.link: tuple[str, list[str], list[str]] | None = None  # href, escaped, raw

    def _sink(self) -> list[str]:
        if self.link is not None:
            return self.link[1]
        if self.emphasis is not None:
            return self.emphasis
        return self.parts

    def _end_paragraph(self) -> None:
        if self.link is not None:
            self.handle_endtag("a")
        if self.emphasis is not None:
            self.handle_endtag("i")
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(_BLOCK_START.sub(_escape_block_start, text, count=1))
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.code is not None:
            return
        if tag == "p":
            self._end_paragraph()
        elif tag == "pre":
            self._end_paragraph()
            self.code = []
        elif tag in ("i", "em") and self.emphasis is None and self.link is None:
            self.emphasis = []
        elif tag == "a" and self.link is None:
            self.link = ((dict(attrs).get("href") or "").strip(), [], [])
        elif tag == "br":
            self._sink().append(" ")

    def handle_endtag(self, tag):
        if self.code is not None:
            if tag == "pre":
                self._end_code()
            return
        if tag == "a" and self.link is not None:
            href, escaped, raw = self.link
            self.link = None
            self._sink().append(_link(href, "".join(escaped), "".join(raw)))
        elif tag in ("i", "em") and self.emphasis is not None:
            parts, self.emphasis = self.emphasis, None
            self.parts.append(_emphasis("".join(parts)))
        elif tag == "p":
            self._end_paragraph()

    def handle_data(self, data):
        if self.code is not None:
            self.code.append(data)
            return
        if self.link is not None:
            self.link[2].append(data)
        self._sink().append(_escape_inline(data))

    def _end_code(self) -> None:
        code = "".join(self.code or []).strip("\n")
        self.code = None
        if code.strip():
            fence = "```"
            while fence in code:
                fence += "`"
            self.blocks.append(f"{fence}\n{code}\n{fence}")

    def markdown(self) -> str:
        if self.code is not None:
            self._end_code()
        self._end_paragraph()
        return "\n\n".join(self.blocks)


def _link(href: str, label: str, raw_label: str) -> str:
    """``[label](href)``; just the label when the address is not http(s) or mailto."""
    if not href.lower().startswith(LINK_SCHEMES):
        return label
    target = "".join(_URL_ESCAPES.get(char, char) for char in href)
    raw_label = " ".join(raw_label.split())
    shortened = raw_label.endswith("...") and href.startswith(raw_label[:-3])
    if not raw_label or raw_label == href or shortened:
        return f"<{target}>"
    return f"[{' '.join(label.split())}]({target})"


def _emphasis(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}*{stripped}*{trail}"
