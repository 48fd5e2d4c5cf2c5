"""How the site words times, scores and names in links: one place for every reader.

The comment tree is written in Python (``threads.rendering``) and the rest of each page
by Django templates (through the filters in ``threads.templatetags.forum``); both call
these functions, so a time or a score reads the same wherever it appears.

Times are shown in UTC. A ``<time datetime>`` value is a valid HTML global date and
time: seconds, at most three fractional digits (HTML allows no more), and ``Z``.
``stamp`` is called once or twice per comment on a thread page, so it slices one
``isoformat()`` instead of calling ``strftime``, which costs three times as much.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from html import escape as _escape
from urllib.parse import quote, urlsplit

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

from threads import limits, writing_aids

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600),
          ("minute", 60))  # fmt: skip

# What Django's reverse() leaves unquoted in a path (RFC 3986 "pchar"), less "/": a
# segment built here is the same text reverse() builds for it, and can never split.
_SEGMENT_SAFE = RFC3986_SUBDELIMS + "~:@"


def stamp(moment: datetime) -> tuple[str, str]:
    """The pair (``iso_datetime``, ``human_datetime``) from one ``isoformat()``."""
    iso = moment.isoformat()
    if not iso.endswith("+00:00"):
        if moment.tzinfo is not None:  # another zone: show the same instant in UTC
            iso = moment.astimezone(UTC).isoformat()
        else:  # naive: the database stores UTC
            iso += "+00:00"
    seconds = iso[:19]
    # "…:37.123456+00:00" has 32 characters; ".123" keeps HTML's three fractional digits.
    machine = f"{seconds}{iso[19:23]}Z" if len(iso) == 32 else f"{seconds}Z"
    return machine, f"{iso[:10]} {iso[11:19]} UTC"


def iso_datetime(moment: datetime) -> str:
    """``2026-11-25T20:20:37.123Z``: for ``<time datetime>``, in UTC, milliseconds at most."""
    return stamp(moment)[0]


def human_datetime(moment: datetime) -> str:
    """``2026-11-25 20:20:37 UTC``: the exact time, for people."""
    return stamp(moment)[1]


def ago(moment: datetime, now: datetime) -> str:
    """ "just now" under a minute (and for a clock a little ahead), else the largest whole
    unit: "1 minute ago", "5 hours ago", "2 years ago" (a month is 30 days, a year 365)."""
    seconds = (now - moment).total_seconds()
    for name, size in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {name}{'' if count == 1 else 's'} ago"
    return "just now"


def time_element(moment: datetime, now: datetime) -> str:
    """How long ago, in a ``<time>`` whose hover title gives the exact time. Only digits,
    letters and ``-:. `` go in, so the result is safe HTML."""
    machine, human = stamp(moment)
    return f'<time datetime="{machine}" title="{human}">{ago(moment, now)}</time>'


def points(score: int) -> str:
    """ "1 point" and "-1 point", else "0 points", "5 points"."""
    return f"{score} point{'' if score in (1, -1) else 's'}"


# A comment whose source hides its score (Reddit's score_hidden, on new comments) reads
# "score hidden" wherever its score would show: the tree, permalink context, user pages,
# search, and the script's answer to a vote (a vote does not reveal it either).
SCORE_HIDDEN = "score hidden"


def comment_score_text(comment) -> str:
    """ "5 points", or "score hidden"."""
    return SCORE_HIDDEN if comment.is_score_hidden else points(comment.score)


def comment_score_html(comment) -> str:
    """The score's ``<span>``, which the script rewrites after a vote."""
    hidden = " score-hidden" if comment.is_score_hidden else ""
    return f'<span class="score{hidden}">{comment_score_text(comment)}</span>'


@lru_cache(maxsize=4096)  # a page repeats its authors' names; quoting costs a microsecond
def path_segment(text: str) -> str:
    """``text`` as one percent-encoded URL path segment, exactly as ``reverse()`` writes it
    (``zoë.b+x`` is ``zo%C3%AB.b+x``); "/" is encoded too, so it stays one segment."""
    return quote(text, safe=_SEGMENT_SAFE)


# Whose words these are: a member's name links to their page; an imported author is a
# name from elsewhere, not an account here, so it is shown with its source beside it
# ("alice (reddit)"), in italics, and never links to a member's page (a member may hold
# the same name); a removed account shows "[deleted]". Templates (``_author.html``), the
# comment tree (``threads.rendering``) and the feeds all take the words from here.

IMPORT_SOURCES = {"reddit": "reddit", "hn": "HN", "lemmy": "Lemmy"}  # source key prefix
IMPORTED_LABEL = "imported"  # any other source
IMPORTED_TITLE = "imported name from {source}: not an account on this forum"
DELETED_AUTHOR_LABEL = "[deleted]"


def source_label(source: str) -> str:
    """The site a thread was imported from, as readers know it: ``reddit:abc`` is
    "reddit"; a key without a known site is "imported"."""
    return IMPORT_SOURCES.get(source.partition(":")[0], IMPORTED_LABEL)


def author_label(username: str, author_name: str, source: str = "", *, site: str = "") -> str:
    """The words that name an author: the member's name, an imported name with its source
    (``site`` when already worked out, else from the thread's ``source`` key), or
    "[deleted]"."""
    if username:
        return username
    if author_name:
        return f"{author_name} ({site or source_label(source)})"
    return DELETED_AUTHOR_LABEL


def imported_title(label: str) -> str:
    """The hover title of an imported name, from its label ("alice (reddit)")."""
    site = label.rpartition(" (")[2].rstrip(")") or IMPORTED_LABEL
    return IMPORTED_TITLE.format(source=site)


def unlinked_author_html(label: str) -> str:
    """A name that links nowhere, as safe HTML: "[deleted]", or an imported name marked
    as one (``author_label``'s words)."""
    if label == DELETED_AUTHOR_LABEL:
        return f'<span class="author">{DELETED_AUTHOR_LABEL}</span>'
    return (
        f'<span class="author imported" title="{escape_html(imported_title(label))}">'
        f"{escape_html(label)}</span>"
    )


# What a viewer sees of a comment: the one rule every page, feed and script answer uses.
# A comment deleted by its author shows "[deleted]" (its text is gone from the database);
# one removed by a moderator shows "[removed by moderator]" to everyone, and moderators
# see the stored text under the placeholder, so they can judge and restore it.

REMOVED_PLACEHOLDER = "[removed by moderator]"
DELETED_PLACEHOLDER = "[deleted]"
REMOVED_HTML = f'<p class="gone-text">{REMOVED_PLACEHOLDER}</p>'
DELETED_HTML = f'<p class="gone-text">{DELETED_PLACEHOLDER}</p>'


def sees_removed_text(viewer) -> bool:
    """Moderators (staff who may change comments) read what was removed; nobody else."""
    return bool(
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and viewer.is_staff
        and viewer.has_perm("threads.change_comment")
    )


def comment_body_html(comment, *, moderator_view: bool = False) -> str:
    """The body a viewer sees, as safe HTML: the stored (sanitized) text, or the
    placeholder. ``comment`` is a ``Comment`` or a page row; both carry ``is_removed``,
    ``is_deleted`` and ``body_html``."""
    if comment.is_removed:
        if moderator_view and comment.body_html:
            return f'{REMOVED_HTML}<div class="removed-text">{comment.body_html}</div>'
        return REMOVED_HTML
    if comment.is_deleted:
        return DELETED_HTML
    return comment.body_html


def comment_body_text(comment, *, moderator_view: bool = False) -> str:
    """The same rule for plain text (admin lists, snippets): the Markdown or the placeholder."""
    if comment.is_removed and not (moderator_view and comment.body):
        return REMOVED_PLACEHOLDER
    if comment.is_deleted and not comment.body:
        return DELETED_PLACEHOLDER
    return comment.body


# What a viewer sees of a thread, by the same rule: every page, feed and admin list that
# shows a thread's title, link or text asks here. A thread deleted by its author reads
# "[deleted]" (its title, link and text are gone from the database); one removed by a
# moderator reads "[removed by moderator]" to everyone but moderators, who see the
# stored title and text under the mark, so they can judge and restore it.


def thread_title_text(thread, *, moderator_view: bool = False) -> str:
    """The title a viewer sees: the stored one, or the placeholder."""
    if thread.is_deleted:
        return DELETED_PLACEHOLDER
    if thread.is_removed and not moderator_view:
        return REMOVED_PLACEHOLDER
    return thread.title


def thread_link_url(thread, *, moderator_view: bool = False) -> str:
    """The link a link post points to, or "" when the viewer may not follow it (a gone
    thread, or an address that is not http(s): ``link_url``)."""
    if thread.is_deleted or (thread.is_removed and not moderator_view):
        return ""
    return link_url(thread.url)


def thread_body_html(thread, *, moderator_view: bool = False) -> str:
    """The thread's text as safe HTML: stored, or the placeholder (a gone link post with
    no text still says it is gone)."""
    if thread.is_removed or thread.is_deleted:
        return comment_body_html(thread, moderator_view=moderator_view)
    return thread.body_html


# Whether a thread takes part: it takes new comments, votes and comment edits only while
# it is open. A moderator's lock or removal closes it, and so does its author's delete
# (the discussion below stays readable, as it was). Pages that show a closed thread and
# services that refuse a write to it say why in these words.
THREAD_LOCKED = "This thread is locked: it takes no new replies or votes."
THREAD_REMOVED = "A moderator removed this thread: it takes no new replies or votes."
THREAD_DELETED = "Its author deleted this thread: it takes no new replies or votes."


def thread_closed_text(thread) -> str:
    """Why ``thread`` takes no new replies or votes, or "" while it is open."""
    if thread.is_removed:
        return THREAD_REMOVED
    if thread.is_deleted:
        return THREAD_DELETED
    if thread.is_locked:
        return THREAD_LOCKED
    return ""


def link_domain(url: str) -> str:
    """``example.com`` for ``https://www.example.com/a?b``: shown beside a link post's
    title, as Hacker News and Reddit do."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed address (stored before validation) shows no domain
        return ""
    return host.removeprefix("www.")


# Markup written by both the comment tree (``threads.rendering``) and the templates
# (through the tags in ``threads.templatetags.forum``): vote buttons and reply forms are
# made here only, so a thread's vote buttons and a comment's, and the reply form the
# server writes and the one the script opens (cloned from the page's
# ``<template id="reply-form-template">``), cannot come to differ.


def link_url(url: str) -> str:
    """A thread's address as a link may carry it: an http(s) URL, else nothing. The
    form and the importers take nothing else, but a link is where a stored
    ``javascript:`` would run, so the page asks again (one rule, every page)."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or not url.isprintable():
        return ""
    return url


def escape_html(value) -> str:
    """The one escaping rule for hand-written HTML: every interpolated value that is not a
    number or a constant goes through it. ``& < > " '`` become entities, exactly as
    Django's autoescaping writes them (both are ``html.escape``)."""
    return _escape(str(value))


def csrf_input_html(token: str) -> str:
    """The hidden field ``{% csrf_token %}`` writes; nothing without a token."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape_html(token)}">'


# value, class, arrow, label: the order the buttons stand in.
_VOTES = ((1, "up", "▲", "Upvote"), (-1, "down", "▼", "Downvote"))


def vote_buttons_html(*, vote: int, formaction: str = "", noun: str = "", between: str = "") -> str:
    """The up and down buttons, the viewer's own ``vote`` (1, -1 or 0) pressed. A comment's
    buttons submit the page's one ``form="votes"`` to their ``formaction``, so a page holds
    one CSRF token, not one per comment; a thread's sit in their own form (no
    ``formaction``). ``noun`` ends each label ("Upvote thread"); ``between`` is safe HTML
    set between the two (the thread's score)."""
    target = f' form="votes" formaction="{escape_html(formaction)}"' if formaction else ""
    suffix = f" {escape_html(noun)}" if noun else ""
    up, down = (
        f'<button{target} name="value" value="{value}" class="{direction}'
        f'{" on" if vote == value else ""}" aria-pressed="{"true" if vote == value else "false"}" '
        f'aria-label="{label}{suffix}">{arrow}</button>'
        for value, direction, arrow, label in _VOTES
    )
    return f"{up}{between}{down}"


def reply_form_html(
    *,
    label: str,
    csrf_token: str,
    action: str = "",
    field_id: str = "",
    to: str | None = None,
    button: str = "Reply",
    value: str = "",
    extra_class: str = "",
    attrs: dict | None = None,
    notes: str = "",
    autofocus: bool = False,
    cancel: bool = False,
    moderator: bool = False,
    preview: str = "",
) -> str:
    """A form that posts a comment's Markdown ``body``: the thread's top form, a reply
    under a comment, and the page's template the script clones for any reply.

    ``to`` names whom it answers (the label reads "Reply to <to>"; the name sits in a
    ``.reply-to`` span the script fills in). ``action`` and ``field_id`` may be left
    empty for the template, whose copies the script points at their comment. ``attrs``
    are further attributes of the form; ``notes`` is safe HTML before the label (errors,
    notices); ``cancel`` adds a button only the script acts on; ``moderator`` adds the
    "speak as moderator" box (``distinguish``); ``preview`` is the safe HTML of a preview
    to show above the text (``threads.writing_aids``, whose "Preview" button and Markdown
    help every such form has). The textarea takes at most
    ``limits.COMMENT_MAX_LENGTH`` characters, as the form and the service do.
    """
    classes = f"reply-form {escape_html(extra_class)}" if extra_class else "reply-form"
    more = "".join(f' {name}="{escape_html(v)}"' for name, v in (attrs or {}).items())
    action_attr = f' action="{escape_html(action)}"' if action else ""
    label_for = f' for="{escape_html(field_id)}"' if field_id else ""
    field = f' id="{escape_html(field_id)}"' if field_id else ""
    whom = f' <span class="reply-to">{escape_html(to)}</span>' if to is not None else ""
    submit = f'<button type="submit">{escape_html(button)}</button>'
    submit = f"{submit} {writing_aids.preview_button_html()}"
    if cancel:
        submit = f'<div>{submit} <button type="button" class="link cancel">cancel</button></div>'
    if moderator:
        submit = f"{DISTINGUISH_BOX}\n{submit}"
    return (
        f'<form method="post"{action_attr} class="{classes}"{more}>\n'
        f"{csrf_input_html(csrf_token)}\n{notes}{preview}"
        f"<label{label_for}>{escape_html(label)}{whom}</label>\n"
        f'<textarea{field} name="body" rows="4" maxlength="{limits.COMMENT_MAX_LENGTH}" required'
        f"{' autofocus' if autofocus else ''}>{escape_html(value)}</textarea>\n"
        f"{submit}\n{writing_aids.markdown_help_html()}</form>\n"
    )


DISTINGUISH_BOX = (
    '<label class="distinguish"><input type="checkbox" name="distinguish" value="1"> '
    'speak as moderator (shows the "mod" badge)</label>'
)


def speaks_as_moderator(viewer) -> bool:
    """Who gets the "speak as moderator" box: the moderators who read removed text."""
    return sees_removed_text(viewer)


def comment_reply_form_html(
    *, comment_id: int, author: str, csrf_token: str, moderator: bool = False
) -> str:
    """The form ``?reply=<id>`` opens under a comment for readers without the script (the
    script clones the page's template of this same form): its field is
    ``reply-body-<id>``, as in the script's copies."""
    return reply_form_html(
        action=reverse("threads:comment-reply", kwargs={"pk": comment_id}),
        field_id=f"reply-body-{comment_id}",
        label="Reply to",
        to=author,
        csrf_token=csrf_token,
        attrs={"id": "reply-form"},
        autofocus=True,
        moderator=moderator,
    )


# Search snippets: the engine marks the matched words of a plain text (the Markdown as
# written, never stored HTML) with two control characters; the text is escaped first and
# only then are the marks made ``<mark>`` elements, so nothing a writer typed (a
# "<script>" or a "<mark>" of their own) can become markup.
SNIPPET_MARK_START, SNIPPET_MARK_END = "\x02", "\x03"
_SNIPPET_MARKS = re.compile(f"([{SNIPPET_MARK_START}{SNIPPET_MARK_END}])")


def highlighted_html(marked: str) -> str:
    """``marked`` text as safe HTML, its marked words in ``<mark>``; a mark character
    the writer typed can at worst highlight the wrong words, never leave one open."""
    out, open_mark = [], False
    for piece in _SNIPPET_MARKS.split(marked):
        if piece == SNIPPET_MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif piece == SNIPPET_MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(escape_html(piece))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308  (every piece escaped above)
