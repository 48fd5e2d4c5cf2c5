"""Import formats. Each module turns one kind of input into the same plain records.

A parser reads text and returns a :class:`ParsedThread`; it never touches the database.
``threads.services.thread_import`` writes the records, so every format gets the same
transaction, de-duplication and tree building.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from threads import limits
from threads.tree import depth_first


class ImportFailed(Exception):
    """Bad input: the message names the file and the offending line or item."""


@dataclass
class ParsedComment:
    """One comment; parents always come before their replies in ``ParsedThread.comments``."""

    source_id: str
    parent_source_id: str | None
    body: str
    author_name: str = ""
    created_at: datetime | None = None
    edited_at: datetime | None = None
    edited_time_unknown: bool = False  # edited at a time the source does not give
    score: int = 0
    upvotes: int = 0
    downvotes: int = 0
    is_deleted: bool = False
    is_removed: bool = False
    distinguished: str = ""  # "", or a ``models.Distinguished`` value
    is_stickied: bool = False
    is_score_hidden: bool = False


@dataclass
class ParsedThread:
    source: str
    title: str
    url: str = ""
    body: str = ""
    author_name: str = ""
    created_at: datetime | None = None
    score: int = 0
    upvotes: int = 0
    downvotes: int = 0
    is_locked: bool = False
    distinguished: str = ""
    is_stickied: bool = False
    comments: list[ParsedComment] = field(default_factory=list)
    repeats: int = 0
    skipped: int = 0  # placeholders in the file ("load more" stubs) ...
    missing_count: int = 0  # ... and how many comments they stood for


def read_text(path) -> str:
    """The file's text, or an :class:`ImportFailed` that says why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > limits.IMPORT_MAX_FILE_BYTES:
            raise ImportFailed(
                f"{path}: file is {size:,} bytes; the limit is {limits.IMPORT_MAX_FILE_BYTES:,}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(f"{path}:{line}: not UTF-8 text (byte {error.start})") from None
    return text.removeprefix("\ufeff")


def parse_file(path, *, fmt: str | None = None, title: str | None = None) -> ParsedThread:
    """Read, detect the format, parse, and check the tree's shape of a one-thread file."""
    threads = parse_threads(path, fmt=fmt, title=title)
    if len(threads) != 1:
        raise ImportFailed(f"{path}: holds {len(threads)} threads, not one")
    return threads[0]


def parse_threads(path, *, fmt: str | None = None, title: str | None = None) -> list[ParsedThread]:
    """Every thread in the file (forum JSON may hold several), each checked like parse_file."""
    from threads.importers import registry

    text = read_text(path)
    if not text.strip():
        raise ImportFailed(f"{path}: the file is empty")
    threads = registry.parse(text, fmt=fmt, name=str(path), title=title)
    sources: set[str] = set()
    for parsed in threads:
        if parsed.source in sources:
            raise ImportFailed(f"{path}: thread {parsed.source!r} appears twice")
        sources.add(parsed.source)
        check_tree(parsed, name=str(path))
    return threads


def check_tree(parsed: ParsedThread, *, name: str) -> None:
    """Every format's records obey one shape: unique ids, every parent present, no cycles.

    Puts ``parsed.comments`` in depth-first order (parents before replies, siblings in
    the order the source gave them), which is what the writer relies on.
    """
    by_id: dict[str, ParsedComment] = {}
    kids: dict[str | None, list[ParsedComment]] = {}
    for comment in parsed.comments:
        if comment.source_id in by_id:
            raise ImportFailed(f"{name}: comment {comment.source_id!r} appears twice")
        by_id[comment.source_id] = comment
        kids.setdefault(comment.parent_source_id, []).append(comment)
    for comment in parsed.comments:
        parent = comment.parent_source_id
        if parent is not None and parent not in by_id:
            raise ImportFailed(
                f"{name}: comment {comment.source_id!r} replies to {parent!r}, "
                "which is not in the file"
            )
    ordered = [
        comment for comment, _ in depth_first(kids.get(None, []), lambda c: kids.get(c.source_id))
    ]
    if len(ordered) != len(parsed.comments):
        reached = {c.source_id for c in ordered}
        stuck = next(c for c in parsed.comments if c.source_id not in reached)
        raise ImportFailed(
            f"{name}: comment {stuck.source_id!r} is part of a reply cycle (its parents "
            "lead back to itself, never to the thread)"
        )
    parsed.comments = ordered
