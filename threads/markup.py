"""Comment text to safe HTML: CommonMark through markdown-it-py, then an nh3 allow-list.

Rendered once when text is saved, never per page view. Raw HTML in the source is shown
as text (``html=False``), and whatever the renderer emits still passes through nh3, so
a bug in one layer cannot open a hole on its own.
"""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener"

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable("linkify")
    .enable("strikethrough")
)


# One line of words and plain punctuation, where no Markdown or linkify rule can fire: a
# letter/digit, space or ,;!?'"()- anywhere, a "." not directly before a letter or digit
# (no fuzzy link), not starting with a space, "-" or "12." / "12)" (no code, no list),
# not ending with a space. Imports are mostly
# such lines; rendering them skips the parser and gives byte-identical output.
_PLAIN_LINE = re.compile(r"(?![ -]|\d+[.)])(?:[^\W_]|[ ,;!?'\"()-]|\.(?![^\W_]))+")


def render_markdown(text: str) -> str:
    """Markdown in, sanitized HTML out; every link marked as user content. No text, no HTML."""
    if not text:
        return ""
    if _PLAIN_LINE.fullmatch(text) and text[-1] != " ":
        return f"<p>{text}</p>\n"
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
