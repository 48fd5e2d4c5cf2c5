"""``{% load forum %}``: the templates' side of ``threads.presentation``.

The comment tree is written in Python and the rest of a page by templates; both word
times and scores through ``threads.presentation``, so "5 minutes ago" and "1 point" read
the same in a thread's head, its comments, the front page and the logs.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from threads import presentation

register = template.Library()


@register.filter
def iso(moment: datetime | None) -> str:
    """``2026-11-25T20:20:37.123Z``: a valid ``<time datetime>`` value."""
    return presentation.iso_datetime(moment) if moment else ""


@register.filter
def ago(moment: datetime | None) -> str:
    """ "just now", "1 minute ago", "5 hours ago"."""
    return presentation.ago(moment, timezone.now()) if moment else ""


@register.filter
def points(score: int | None) -> str:
    """ "1 point", "-1 point", "0 points"."""
    return "" if score is None else presentation.points(score)


@register.filter
def time_ago(moment: datetime | None) -> SafeString | str:
    """The whole ``<time datetime=… title="2026-11-25 20:20:37 UTC">5 hours ago</time>``
    element, exactly as the comment tree writes it."""
    if not moment:
        return ""
    return mark_safe(presentation.time_element(moment, timezone.now()))


@register.simple_tag(takes_context=True)
def comment_body(context, comment) -> SafeString:
    """The comment's body as this page's viewer may see it (``presentation.comment_body_html``):
    text, or a placeholder when deleted or removed; moderators also see removed text."""
    viewer = context.get("user")
    moderator_view = presentation.sees_removed_text(viewer)
    return mark_safe(presentation.comment_body_html(comment, moderator_view=moderator_view))
