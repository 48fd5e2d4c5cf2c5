"""The comment tree as HTML: one flat Jinja2 loop over depth-first rows.

Django's template engine costs about ten times more per comment than Jinja2 for this
loop, and per-comment includes or recursion cost a hundred; the rest of every page stays
in Django templates.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

_env = Environment(
    loader=FileSystemLoader(str(settings.BASE_DIR / "templates")),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_CLOSE_COMMENT = Markup("</div></details></article>")

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600),
          ("minute", 60))  # fmt: skip


def ago(moment: datetime, now: datetime) -> str:
    seconds = (now - moment).total_seconds()
    for name, size in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {name}{'' if count == 1 else 's'} ago"
    return "just now"


def _path_pattern(name: str) -> str:
    """A URL with ``%d`` where the comment id goes: one ``reverse()`` per page, not per row."""
    return reverse(name, kwargs={"pk": 4242424242}).replace("4242424242", "%d")


def comment_paths() -> dict[str, str]:
    return {
        action: _path_pattern(f"threads:comment-{action}")
        for action in ("detail", "vote", "reply", "edit", "delete", "report")
    }


def render_comment_tree(
    tree, *, viewer, csrf_token: str, locked: bool, reply_to: int | None, page_url: str
) -> Markup:
    template = _env.get_template("threads/comment_tree.jinja")
    return Markup(
        template.render(
            tree=tree,
            viewer_id=viewer.pk if viewer is not None and viewer.is_authenticated else None,
            csrf_token=csrf_token,
            locked=locked,
            reply_to=reply_to,
            page_url=page_url,
            paths=comment_paths(),
            close_comment=_CLOSE_COMMENT,
            now=timezone.now(),
            ago=ago,
            max_length=settings.COMMENT_MAX_LENGTH,
        )
    )
