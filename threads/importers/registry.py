"""Which parser reads which input: named by ``--format`` or detected from the content.

Detection recognises each format by its own marks and refuses anything else, so a file
in no known format never becomes a junk thread. Text that starts with ``{`` or ``[``,
or is valid JSON whatever it starts with (a bare ``"string"`` or ``42``), is JSON: it is
decoded once here and handed to the JSON format whose shape it has. Other text is a
transcript unless it starts like another format (``transcript.foreign_format``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from threads.importers import (
    ImportFailed,
    ParsedThread,
    forum_json,
    hackernews,
    lemmy,
    reddit,
    transcript,
    values,
)

TEXT_PARSERS: dict[str, Callable[..., ParsedThread]] = {"transcript": transcript.parse}
JSON_PARSERS: dict[str, Callable[..., ParsedThread | list[ParsedThread]]] = {
    "forum-json": forum_json.parse_data,
    "reddit": reddit.parse_data,
    "lemmy": lemmy.parse_data,
    "hackernews": hackernews.parse_data,
}
PARSERS = {**TEXT_PARSERS, **JSON_PARSERS}
# Every refusal of an unrecognised input ends with this: the formats, each with its mark.
KNOWN_FORMATS = (
    "known formats: transcript (plain text lines), forum-json (an object with "
    f'"format": "{forum_json.FORMAT_NAME}"), reddit (a list of two Listings), lemmy (an '
    'object with "post_view"), hackernews (an object with "id" and "children")'
)


def is_json(text: str) -> bool:
    if text.lstrip()[:1] in ("{", "["):
        return True
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _is_reddit(data: list) -> bool:
    first = data[0] if data else None
    return isinstance(first, dict) and first.get("kind") == "Listing"


def detect_json(data, *, name: str) -> str:
    """The JSON format whose top-level shape ``data`` has, or a refusal naming them all."""
    if isinstance(data, list):
        if _is_reddit(data):
            return "reddit"
        what = "list that does not start with a Reddit Listing"
    elif isinstance(data, dict):
        if data.get("format") == forum_json.FORMAT_NAME:
            return "forum-json"
        if "post_view" in data:
            return "lemmy"
        if "children" in data and "id" in data:
            return "hackernews"
        keys = ", ".join(sorted(map(str, data))[:5]) or "none"
        what = f"object (keys: {keys})"
    else:
        what = f"{values.type_name(data).removeprefix('a ')} at the top level"
    raise ImportFailed(f"{name}: JSON {what} is in no known format; {KNOWN_FORMATS}")


def detect_text(text: str, *, name: str) -> None:
    """Refuse text that starts like another format; what is left is a transcript."""
    foreign = transcript.foreign_format(text)
    if foreign is not None:
        line, what = foreign
        raise ImportFailed(
            f"{name}:{line}: looks like {what}, which is in no known format; {KNOWN_FORMATS} "
            "(--format transcript reads any text as one)"
        )


def check_format(fmt: str | None) -> None:
    """A ``--format`` name must be one of ``PARSERS`` (None means detect)."""
    if fmt is not None and fmt not in PARSERS:
        raise ImportFailed(f"--format {fmt[:40]!r} is not a known format; {KNOWN_FORMATS}")


def parse(text: str, *, fmt: str | None, name: str, title: str | None) -> list[ParsedThread]:
    """Parse ``text`` as ``fmt`` (detected when None) into one or more threads."""
    check_format(fmt)
    if fmt is None and not is_json(text):
        detect_text(text, name=name)
        fmt = "transcript"
    if fmt in TEXT_PARSERS:
        return [TEXT_PARSERS[fmt](text, name=name, title=title)]
    data = values.load_json(text, name=name)
    fmt = fmt or detect_json(data, name=name)
    parsed = JSON_PARSERS[fmt](data, name=name, title=title)
    return parsed if isinstance(parsed, list) else [parsed]
