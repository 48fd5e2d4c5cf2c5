"""Threads written out as forum JSON (see README, "Forum JSON format").

The exporter reads the database, so it lives here rather than in ``threads.importers``,
whose parsers never touch it; the format's own rules (its name, version, how times and
edits are written, the JSON layout) stay in ``threads.importers.forum_json``, so what
this writes is what that reads. ``import_thread`` reads the file back: into an empty
database it reproduces the threads exactly, and exporting them again gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterable

from threads.importers import forum_json
from threads.importers.forum_json import edited_value, time_text
from threads.models import Comment, Thread

# Read with values_list and streamed: a thread may hold 100,000 comments.
_COMMENT_FIELDS = (
    "pk", "parent_id", "source_id", "author__username", "author_name", "created_at",
    "edited_at", "edited_time_unknown", "body", "score", "upvotes", "downvotes", "is_deleted",
    "is_removed", "distinguished", "is_stickied", "is_score_hidden",
)  # fmt: skip


def export_data(threads: Iterable[Thread]) -> dict:
    """The forum JSON document for ``threads``, each one's comments in tree order."""
    return {
        "format": forum_json.FORMAT_NAME,
        "version": forum_json.VERSION,
        "threads": [thread_data(thread) for thread in threads],
    }


def thread_data(thread: Thread) -> dict:
    author = thread.author.get_username() if thread.author_id else thread.author_name
    return {
        "source": thread.source or f"forum:{thread.pk}",
        "title": thread.title,
        "url": thread.url,
        "body": thread.body,
        "author": author,
        "created": time_text(thread.created_at),
        "score": thread.score,
        "upvotes": thread.upvotes,
        "downvotes": thread.downvotes,
        "locked": thread.is_locked,
        "distinguished": thread.distinguished or None,
        "stickied": thread.is_stickied,
        "missing_comments": thread.missing_count,
        "comments": _comments(thread),
    }


def _comments(thread: Thread) -> list[dict]:
    rows = Comment.objects.filter(thread=thread).order_by("tree_id", "lft")
    ids: dict[int, str] = {}
    comments = []
    for row in rows.values_list(*_COMMENT_FIELDS).iterator(chunk_size=5000):
        pk, parent_pk, source_id, username, author_name, created, edited, *rest = row
        time_unknown, body, score, upvotes, downvotes, deleted, removed, *marks = rest
        distinguished, stickied, score_hidden = marks
        ids[pk] = source_id or f"forum:{pk}"
        comments.append(
            {
                "id": ids[pk],
                "parent": None if parent_pk is None else ids[parent_pk],
                "author": username or author_name,
                "created": time_text(created),
                "edited": edited_value(edited, time_unknown),
                "body": body,
                "score": score,
                "upvotes": upvotes,
                "downvotes": downvotes,
                "deleted": deleted,
                "removed": removed,
                "distinguished": distinguished or None,
                "stickied": stickied,
                "score_hidden": score_hidden,
            }
        )
    return comments
