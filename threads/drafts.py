"""Unsent text, kept in the session while its writer logs in.

A reader who writes a reply (or a new thread) and sends it before logging in is sent to
the login page; without this the text would be gone, and no script is needed to keep
it. The session holds at most one reply draft and one thread draft, each cut to what
its form accepts, so sending again and again cannot make a session grow. A draft is
given back once, to the form it was written in, and then forgotten.
"""

from __future__ import annotations

from threads.forms import CommentForm, ThreadForm

REPLY_KEY = "draft_reply"
THREAD_KEY = "draft_thread"
THREAD_FIELDS = ("title", "url", "body")


def _cut(form_class, field: str, value) -> str:
    """``value`` no longer than the form's field takes (the same limit the form checks)."""
    return str(value or "")[: form_class.base_fields[field].max_length]


def reply_keep(session, *, thread_id: int, parent_id: int | None, body: str) -> None:
    """Keep ``body``, written as a reply to ``parent_id`` (None: the thread itself)."""
    if not (body or "").strip():
        return
    session[REPLY_KEY] = {
        "thread": thread_id,
        "parent": parent_id,
        "body": _cut(CommentForm, "body", body),
    }


def reply_take(session, *, thread_id: int, parent_id: int | None) -> str:
    """The text kept for exactly this reply, once; a draft for another place stays."""
    draft = session.get(REPLY_KEY)
    if not isinstance(draft, dict) or (draft.get("thread"), draft.get("parent")) != (
        thread_id,
        parent_id,
    ):
        return ""
    del session[REPLY_KEY]
    return str(draft.get("body") or "")


def thread_keep(session, data) -> None:
    """Keep a new thread's title, URL and text (``data`` is the posted form)."""
    fields = {name: _cut(ThreadForm, name, data.get(name)) for name in THREAD_FIELDS}
    if any(value.strip() for value in fields.values()):
        session[THREAD_KEY] = fields


def thread_take(session) -> dict[str, str]:
    """The kept new thread's fields, once (empty when there is none)."""
    draft = session.pop(THREAD_KEY, None)
    if not isinstance(draft, dict):
        return {}
    return {name: str(draft.get(name) or "") for name in THREAD_FIELDS}
