"""Our own JSON format (see README, "Forum JSON format"): written by ``export_thread``.

One file holds one or more threads, each with every comment's stable id, parent id,
author, times, text, counts and state, so export → import into an empty database →
export gives the same file. A comment's id is its ``source_id`` when it was imported
(so a Reddit comment stays ``t1_…``), else ``forum:<primary key>``; a thread's
``source`` is likewise its import key or ``forum:<primary key>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from threads import limits
from threads.importers import ImportFailed, ParsedComment, ParsedThread, values

FORMAT_NAME = "forum-json"
VERSION = 1


# Reading


def parse_data(data, *, name: str, title: str | None = None) -> list[ParsedThread]:
    root = values.obj(data, name, "the file")
    if root.get("format") != FORMAT_NAME:
        raise ImportFailed(f'{name}: "format" must be "{FORMAT_NAME}"')
    version = root.get("version")
    if version != VERSION:
        raise ImportFailed(
            f"{name}: version {version!r} is not one this importer reads ({VERSION})"
        )
    items = values.array(root.get("threads"), name, '"threads"')
    if not items:
        raise ImportFailed(f"{name}: holds no threads")
    return [_thread(item, name, number) for number, item in enumerate(items, 1)]


def _thread(item, name: str, number: int) -> ParsedThread:
    item = values.obj(item, f"{name}: thread {number}", "the thread")
    source = values.text(item.get("source"), f"{name}: thread {number}", "source")
    if not source or len(source) > limits.THREAD_SOURCE_MAX_LENGTH:
        limit = limits.THREAD_SOURCE_MAX_LENGTH
        raise ImportFailed(f"{name}: thread {number}: source must be 1 to {limit} characters")
    where = f"{name}: thread {source!r}"
    comments = values.array(item.get("comments", []), where, "comments")
    return ParsedThread(
        source=source,
        title=values.title(item.get("title"), where),
        url=values.url(item.get("url"), where),
        body=values.body(item.get("body"), where, "body"),
        author_name=values.author(item.get("author"), where),
        created_at=values.timestamp(item.get("created"), where, "created"),
        score=values.integer(item.get("score"), where, "score"),
        upvotes=values.count(item.get("upvotes"), where, "upvotes"),
        downvotes=values.count(item.get("downvotes"), where, "downvotes"),
        is_locked=values.flag(item.get("locked"), where, "locked"),
        comments=[_comment(c, name, where, n) for n, c in enumerate(comments, 1)],
    )


def _comment(item, name: str, thread_where: str, number: int) -> ParsedComment:
    item = values.obj(item, f"{thread_where}, comment {number}", "the comment")
    source_id = values.source_id(item.get("id"), f"{thread_where}, comment {number}")
    where = f"{name}: comment {source_id!r}"
    parent = item.get("parent")
    return ParsedComment(
        source_id=source_id,
        parent_source_id=None if parent is None else values.source_id(parent, where, "parent"),
        body=values.body(item.get("body"), where),
        author_name=values.author(item.get("author"), where),
        created_at=values.timestamp(item.get("created"), where, "created"),
        edited_at=values.timestamp(item.get("edited"), where, "edited"),
        score=values.integer(item.get("score"), where, "score"),
        upvotes=values.count(item.get("upvotes"), where, "upvotes"),
        downvotes=values.count(item.get("downvotes"), where, "downvotes"),
        is_deleted=values.flag(item.get("deleted"), where, "deleted"),
        is_removed=values.flag(item.get("removed"), where, "removed"),
    )


# Writing


def export_data(threads: Iterable) -> dict:
    """The forum JSON document for ``threads`` (Thread instances), comments in tree order."""
    return {
        "format": FORMAT_NAME,
        "version": VERSION,
        "threads": [_thread_data(thread) for thread in threads],
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _thread_data(thread) -> dict:
    from threads.models import Comment

    rows = (
        Comment.objects.filter(thread=thread)
        .order_by("tree_id", "lft")
        .values_list(
            "pk", "parent_id", "source_id", "author__username", "author_name", "created_at",
            "edited_at", "body", "score", "upvotes", "downvotes", "is_deleted", "is_removed",
        )
    )  # fmt: skip
    ids: dict[int, str] = {}
    comments = []
    for pk, parent_pk, source_id, username, author_name, *rest in rows.iterator(chunk_size=5000):
        created, edited, body, score, upvotes, downvotes, deleted, removed = rest
        ids[pk] = source_id or f"forum:{pk}"
        comments.append(
            {
                "id": ids[pk],
                "parent": None if parent_pk is None else ids[parent_pk],
                "author": username or author_name,
                "created": _time(created),
                "edited": _time(edited),
                "body": body,
                "score": score,
                "upvotes": upvotes,
                "downvotes": downvotes,
                "deleted": deleted,
                "removed": removed,
            }
        )
    author = thread.author.get_username() if thread.author_id else thread.author_name
    return {
        "source": thread.source or f"forum:{thread.pk}",
        "title": thread.title,
        "url": thread.url,
        "body": thread.body,
        "author": author,
        "created": _time(thread.created_at),
        "score": thread.score,
        "upvotes": thread.upvotes,
        "downvotes": thread.downvotes,
        "locked": thread.is_locked,
        "comments": comments,
    }
