"""Writing aids next to every text box: a preview and a short Markdown help.

The preview is the text put through ``threads.markup.render_markdown``, the renderer and
sanitizer that saving uses, so it shows exactly what the comment or thread will look
like. Without the script a "Preview" button submits the form, and the page comes back
with the preview above the text as typed; with it, the button asks ``/preview/`` for the
same HTML and shows it in place. The help's right-hand column is rendered by the same
function, so it cannot promise what the renderer does not do.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.urls import reverse

from threads import limits
from threads.markup import render_markdown


def wants_preview(request) -> bool:
    """The form's "Preview" button was pressed: show the text, save nothing (and count
    against the preview limit, not the comment limit: ``threads.ratelimits``)."""
    return request.method == "POST" and "preview" in request.POST


PREVIEW_EMPTY = "Nothing to preview yet: type some text first."
PREVIEW_TOO_LONG = "Too long to preview: {length} characters, at most {limit}."

# You type / you get, rendered: the Markdown a comment takes, shortest first.
HELP_EXAMPLES = [
    "*emphasis*",
    "**strong**",
    "~~struck out~~",
    "`code`",
    "[a link](https://example.com)",
    "> a quote",
    "- a list item",
    "1. a numbered item",
]
HELP_NOTES = (
    "A blank line starts a new paragraph; indent by four spaces (or fence with ```) for "
    "a code block. HTML is shown as typed, and an image becomes a link to it."
)


def preview_error(text: str) -> str | None:
    """Why ``text`` cannot be previewed, or None."""
    if not text.strip():
        return PREVIEW_EMPTY
    if len(text) > limits.COMMENT_MAX_LENGTH:
        return PREVIEW_TOO_LONG.format(length=len(text), limit=limits.COMMENT_MAX_LENGTH)
    return None


def preview_body_html(text: str) -> str:
    """What the text will look like once saved, or a short note saying why not."""
    error = preview_error(text)
    if error:
        return f'<p class="preview-note">{escape(error)}</p>'
    return render_markdown(text)


def preview_html(text: str) -> str:
    """The preview block a form shows above its text box after "Preview"."""
    return (
        '<section class="preview" aria-label="Preview">\n'
        '<h2 class="preview-title">Preview</h2>\n'
        f'<div class="body">{preview_body_html(text)}</div>\n</section>\n'
    )


def preview_button_html() -> str:
    """The form's "Preview" button: a plain submit (``preview=1``) without the script;
    with it, ``data-preview`` names the endpoint that answers in place."""
    url = escape(reverse("threads:markup-preview"))
    return (
        f'<button type="submit" name="preview" value="1" class="preview-button" '
        f'data-preview="{url}">Preview</button>'
    )


@lru_cache(maxsize=1)
def markdown_help_html() -> str:
    """A short, folded Markdown guide for beside a text box."""
    rows = "".join(
        f"<tr><td><code>{escape(example)}</code></td><td>{render_markdown(example)}</td></tr>"
        for example in HELP_EXAMPLES
    )
    return (
        '<details class="markdown-help"><summary>Formatting help</summary>\n'
        '<table><thead><tr><th scope="col">You type</th><th scope="col">You get</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>\n<p>{escape(HELP_NOTES)}</p>\n</details>\n"
    )
