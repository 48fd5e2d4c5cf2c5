"""``{% load forum %}``: the templates' side of ``threads.presentation``.

The comment tree is written in Python and the rest of a page by templates; both word
times and scores through ``threads.presentation``, so "5 minutes ago" and "1 point" read
the same in a thread's head, its comments, the front page and the logs.
"""

from datetime import datetime

from django import template
from django.template.base import token_kwargs
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from threads import limits, presentation

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


def _block(parser, token):
    """The ``name=value`` arguments of a block tag, and what stands before its end tag."""
    bits = token.split_contents()
    rest = bits[1:]
    kwargs = token_kwargs(rest, parser)
    if rest:
        raise template.TemplateSyntaxError(f"{bits[0]} takes only name=value arguments")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return kwargs, nodelist


class MarkupNode(template.Node):
    """Renders a block tag through a ``presentation`` helper: ``build(context, content,
    **arguments)``, ``content`` being the block's own (autoescaped) HTML."""

    def __init__(self, build, kwargs, nodelist):
        self.build = build
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        return mark_safe(self.build(context, self.nodelist.render(context), **values))


def _csrf_token(context) -> str:
    return str(context.get("csrf_token") or "")


@register.tag
def vote_buttons(parser, token):
    """``{% vote_buttons vote=thread_vote noun="thread" %}score{% endvote_buttons %}``: the
    up and down buttons as the comment tree writes them (``presentation.vote_buttons_html``;
    ``formaction=url`` makes them submit the page's ``votes`` form), with the block's
    content between them."""
    return MarkupNode(_vote_buttons, *_block(parser, token))


def _vote_buttons(context, content, *, vote=0, noun="", formaction=""):
    return presentation.vote_buttons_html(
        vote=vote or 0, noun=noun, formaction=formaction, between=content
    )


@register.tag
def reply_form(parser, token):
    """``{% reply_form label="Add a comment" action=url data_thread=pk %}…{% endreply_form %}``:
    a comment form as ``presentation.reply_form_html`` writes it (the comment tree's reply
    form and the script's template are the same), with this page's CSRF token;
    ``data_x=…`` becomes the form's ``data-x`` attribute, and the block's content (errors,
    notices) goes before the label."""
    return MarkupNode(_reply_form, *_block(parser, token))


def _reply_form(context, content, *, value=None, **arguments):
    arguments.setdefault("moderator", presentation.speaks_as_moderator(context.get("user")))
    attrs = {
        name.replace("_", "-"): arguments.pop(name)
        for name in [name for name in arguments if name.startswith("data_")]
    }
    return presentation.reply_form_html(
        csrf_token=_csrf_token(context), notes=content, value=value or "", attrs=attrs,
        **arguments,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def reply_form_template(context) -> SafeString:
    """The page's ``<template id="reply-form-template">``: the reply form the script clones
    under a comment (filling in its address, field id and whom it answers), so its label,
    limit and button are the server's."""
    form = presentation.reply_form_html(
        label="Reply to", to="", csrf_token=_csrf_token(context), cancel=True,
        moderator=presentation.speaks_as_moderator(context.get("user")),
    )  # fmt: skip
    return mark_safe(f'<template id="reply-form-template">{form}</template>')


@register.filter
def comment_score(comment) -> SafeString:
    """The comment's score as every page shows it: points, or "score hidden"."""
    return mark_safe(presentation.comment_score_html(comment))


@register.filter
def closed_text(thread) -> str:
    """Why the thread takes no new replies or votes, or "" while it is open."""
    return presentation.thread_closed_text(thread)


@register.filter
def unless(value, condition):
    """``{{ text|unless:flag }}``: ``text``, or nothing when ``flag`` is set."""
    return "" if condition else value


@register.simple_tag(takes_context=True)
def comment_reply_form(context, comment_id: int, author: str) -> SafeString:
    """``{% comment_reply_form comment.pk comment.shown_author %}``: the reply form under a
    comment, as the comment tree writes it (``presentation.comment_reply_form_html``)."""
    return mark_safe(
        presentation.comment_reply_form_html(
            comment_id=comment_id,
            author=author,
            csrf_token=_csrf_token(context),
            moderator=presentation.speaks_as_moderator(context.get("user")),
        )  # fmt: skip
    )


@register.filter
def unlinked_author(label: str) -> SafeString:
    """``{{ name|unlinked_author }}``: a name without an account ("[deleted]", or an
    imported author shown with its source), marked so it cannot pass for a member."""
    return mark_safe(presentation.unlinked_author_html(str(label)))


# A thread as this page's viewer may see it (``presentation.thread_title_text`` and
# friends): placeholders for deleted and removed threads; moderators see removed ones.


def _moderator_view(context) -> bool:
    return presentation.sees_removed_text(context.get("user"))


@register.simple_tag(takes_context=True)
def thread_title(context, thread) -> str:
    """``{% thread_title thread %}``: the title, or "[deleted]" / "[removed by moderator]"."""
    return presentation.thread_title_text(thread, moderator_view=_moderator_view(context))


@register.simple_tag(takes_context=True)
def thread_link(context, thread) -> str:
    """``{% thread_link thread as link %}``: a link post's address, "" when hidden."""
    return presentation.thread_link_url(thread, moderator_view=_moderator_view(context))


@register.simple_tag(takes_context=True)
def thread_body(context, thread) -> SafeString:
    """``{% thread_body thread %}``: the thread's text, or its placeholder."""
    return mark_safe(presentation.thread_body_html(thread, moderator_view=_moderator_view(context)))


@register.filter
def domain(url: str) -> str:
    """``{{ url|domain }}``: ``example.com``, shown beside a link post's title."""
    return presentation.link_domain(url)


@register.simple_tag
def limit(name: str):
    """``{% limit "REASON_MAX_LENGTH" %}``: a number from ``threads.limits``, for forms."""
    return getattr(limits, name)
