"""The plain-text transcript format (see README, "Transcript format").

One comment per non-blank line, nested by indentation (two spaces or one tab per level),
with an optional ``# Title`` first line. A line whose text and parent repeat an earlier
comment *is* that comment: scraped transcripts repeat passages.
"""

from __future__ import annotations

import hashlib

from threads import limits
from threads.importers import ImportFailed, ParsedComment, ParsedThread

TITLE_PREFIX = "# "
UNKNOWN_AUTHOR = "anonymous"  # transcripts carry no names
SHORT_TITLE_LENGTH = 80


def parse(text: str, *, name: str, title: str | None = None) -> ParsedThread:
    lines = text.splitlines()
    heading, first_comment_index = _heading(lines)
    comments: list[ParsedComment] = []
    seen: set[str] = set()
    repeats = 0
    chain: list[str] = []  # source ids of the latest comment at each level
    for index in range(first_comment_index, len(lines)):
        line = lines[index].rstrip()
        if not line.strip():
            continue
        where = f"{name}:{index + 1}"
        level, body = _split_indent(line, where)
        if level > len(chain):
            raise ImportFailed(
                f"{where}: indented {level} levels, but the line above is at level "
                f"{len(chain) - 1}; a reply goes one level deeper than its parent"
            )
        if len(body) > limits.COMMENT_MAX_LENGTH:
            raise ImportFailed(
                f"{where}: comment is {len(body):,} characters long, "
                f"over the limit of {limits.COMMENT_MAX_LENGTH:,}"
            )
        del chain[level:]
        parent_id = chain[-1] if chain else None
        source_id = _comment_key(parent_id, body)
        chain.append(source_id)
        if source_id in seen:
            repeats += 1
            continue
        seen.add(source_id)
        comments.append(
            ParsedComment(
                source_id=source_id,
                parent_source_id=parent_id,
                body=body,
                author_name=UNKNOWN_AUTHOR,
            )
        )
    if not comments:
        raise ImportFailed(f"{name}: no comments found (the file is empty)")
    thread_title = heading or (title or "").strip() or _shorten(comments[0].body)
    if len(thread_title) > limits.THREAD_TITLE_MAX_LENGTH:
        raise ImportFailed(
            f"{name}:1: title is {len(thread_title)} characters long, "
            f"over the limit of {limits.THREAD_TITLE_MAX_LENGTH}"
        )
    return ParsedThread(
        source=_thread_key(thread_title),
        title=thread_title,
        author_name=UNKNOWN_AUTHOR,
        comments=comments,
        repeats=repeats,
    )


def _heading(lines: list[str]) -> tuple[str, int]:
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith(TITLE_PREFIX):
            return line[len(TITLE_PREFIX) :].strip(), index + 1
        return "", index
    return "", len(lines)


def _split_indent(line: str, where: str) -> tuple[int, str]:
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    spaces = indent.count(" ")
    if spaces % 2:
        raise ImportFailed(f"{where}: indented by {spaces} spaces; use two spaces per level")
    return indent.count("\t") + spaces // 2, body


def _comment_key(parent_id: str | None, body: str) -> str:
    """Same parent and same text give the same key, so repeats collapse into one comment."""
    digest = hashlib.sha1(f"{parent_id or ''}\n{body}".encode(), usedforsecurity=False)
    return digest.hexdigest()


def _thread_key(title: str) -> str:
    key = f"transcript:{title}"
    if len(key) <= 255:
        return key
    return "transcript:sha1:" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()


def _shorten(text: str) -> str:
    if len(text) <= SHORT_TITLE_LENGTH:
        return text
    cut = text[: SHORT_TITLE_LENGTH - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"
