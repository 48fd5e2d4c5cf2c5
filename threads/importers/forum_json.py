"""Our own JSON format (see README, "Forum JSON format"): ``threads.exporting`` writes it.

One file holds one or more threads, each with every comment's stable id, parent id,
author, times, text, counts and state, so export → import into an empty database →
export gives the same file. A comment's id is its ``source_id`` when it was imported
(so a Reddit comment stays ``t1_…``), else ``forum:<primary key>``; a thread's
``source`` is likewise its import key or ``forum:<primary key>``. ``edited`` is a time,
``true`` (edited, time unknown) or ``null`` (not edited).
"""

from __future__ import annotations

import json
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
        distinguished=values.distinguished(item.get("distinguished"), where),
        is_stickied=values.flag(item.get("stickied"), where, "stickied"),
        missing_count=values.count(item.get("missing_comments"), where, "missing_comments"),
        comments=[_comment(c, name, where, n) for n, c in enumerate(comments, 1)],
    )


def _comment(item, name: str, thread_where: str, number: int) -> ParsedComment:
    item = values.obj(item, f"{thread_where}, comment {number}", "the comment")
    source_id = values.source_id(item.get("id"), f"{thread_where}, comment {number}")
    where = f"{name}: comment {source_id!r}"
    parent = item.get("parent")
    edited_at, edited_time_unknown = values.edited(item.get("edited"), where)
    return ParsedComment(
        source_id=source_id,
        parent_source_id=None if parent is None else values.source_id(parent, where, "parent"),
        body=values.body(item.get("body"), where),
        author_name=values.author(item.get("author"), where),
        created_at=values.timestamp(item.get("created"), where, "created"),
        edited_at=edited_at,
        edited_time_unknown=edited_time_unknown,
        score=values.integer(item.get("score"), where, "score"),
        upvotes=values.count(item.get("upvotes"), where, "upvotes"),
        downvotes=values.count(item.get("downvotes"), where, "downvotes"),
        is_deleted=values.flag(item.get("deleted"), where, "deleted"),
        is_removed=values.flag(item.get("removed"), where, "removed"),
        distinguished=values.distinguished(item.get("distinguished"), where),
        is_stickied=values.flag(item.get("stickied"), where, "stickied"),
        is_score_hidden=values.flag(item.get("score_hidden"), where, "score_hidden"),
    )


# Writing (``threads.exporting`` reads the database; these are the format's own rules)


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def time_text(moment: datetime | None) -> str | None:
    """A time as the format writes it: ISO 8601 in UTC with ``Z``, or ``None``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def edited_value(edited_at: datetime | None, edited_time_unknown: bool) -> str | bool | None:
    """``edited``: the time when known (it wins), ``true`` for an unknown time, else null."""
    if edited_at is not None:
        return time_text(edited_at)
    return True if edited_time_unknown else None
