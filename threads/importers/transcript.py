"""The plain-text transcript format (see README, "Transcript format").

One comment per non-blank line, nested by indentation (two spaces or one tab per level),
with an optional ``# Title`` first line. A line whose text and parent repeat an earlier
comment *is* that comment: scraped transcripts repeat passages.

Any text could be read this way, so detection asks more of a transcript than the parser
does (:func:`foreign_format`): text that starts like another format (markup, YAML, a
CSV header) is that format, and refused, unless ``--format transcript`` says otherwise.
"""

from __future__ import annotations

import hashlib
import re
from itertools import islice

from threads import limits
from threads.importers import ImportFailed, ParsedComment, ParsedThread

TITLE_PREFIX = "# "
UNKNOWN_AUTHOR = "anonymous"  # transcripts carry no names
SHORT_TITLE_LENGTH = 80
# Characters no text line holds: C0 controls but tab, and DEL. A file with them is binary
# (and PostgreSQL text cannot store NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What the first non-blank line of other formats looks like.
_MARKUP = re.compile(r"<[A-Za-z!?/]")  # a tag, a doctype, <?xml; "<3" is still text
_YAML_START = re.compile(r"(---|\.\.\.)(\s|$)|%YAML\b")
_CSV_NAME = r'(?:"[^"\n]*"|[A-Za-z_][\w.-]*(?: [\w.-]+)*)'
# Two or more names joined by one separator with no space after it ("id,parent,body"),
# which prose never is ("Well, yes").
_CSV_HEADER = re.compile(rf"{_CSV_NAME}(?:(?P<sep>[,;\t]){_CSV_NAME})(?:(?P=sep){_CSV_NAME})*")
_YAML_KEY = re.compile(r"(?:- )?[\w-]+:(?: .*)?")  # "title: x", "- body: x", "replies:"
_YAML_BLOCK_KEY = re.compile(r"(?:- )?[\w-]+:")  # a key whose value is the deeper lines
YAML_LOOKAHEAD = 50  # lines searched for a block key: YAML shows one early


def foreign_format(text: str) -> tuple[int, str] | None:
    """``(line, what)`` when the text starts like a format that is not a transcript.

    A transcript's first non-blank line is a ``# Title`` or comment text that does not
    open with a tag (``<html>``, ``<?xml``), a YAML marker (``---``, ``%YAML``) or a CSV
    header (names joined by ``,``, ``;`` or tabs without spaces); and a text whose first
    line is ``key: value`` has no ``key:`` line with deeper lines under it (YAML).
    """
    numbered = ((n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip())
    lines = list(islice(numbered, YAML_LOOKAHEAD))
    if not lines:
        return None
    number, first = lines[0]
    if _MARKUP.match(first.lstrip()):
        return number, "XML or HTML"
    if _YAML_START.match(first):
        return number, "YAML"
    if _CSV_HEADER.fullmatch(first.strip()):
        return number, "CSV"
    if _YAML_KEY.fullmatch(first):
        for (number, line), (_, after) in zip(lines, lines[1:], strict=False):
            if _YAML_BLOCK_KEY.fullmatch(line.strip()) and _indent(after) > _indent(line):
                return number, "YAML"
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def parse(text: str, *, name: str, title: str | None = None) -> ParsedThread:
    lines = text.splitlines()
    _check_plain_text(lines, name)
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


def _check_plain_text(lines: list[str], name: str) -> None:
    for number, line in enumerate(lines, 1):
        control = _CONTROL.search(line)
        if control:
            raise ImportFailed(
                f"{name}:{number}: control character U+{ord(control.group()):04X}; a "
                "transcript is plain text (is this a binary file?)"
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
