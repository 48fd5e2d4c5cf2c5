"""Which parser reads which input: named by ``--format`` or detected from the content.

Text that starts with ``{`` or ``[`` is JSON, decoded once here and handed to the JSON
format whose shape it has; anything else is a transcript.
"""

from __future__ import annotations

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


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def detect_json(data, *, name: str) -> str:
    """The JSON format whose top-level shape ``data`` has."""
    if isinstance(data, list):
        return "reddit"
    if isinstance(data, dict):
        if data.get("format") == forum_json.FORMAT_NAME:
            return "forum-json"
        if "post_view" in data:
            return "lemmy"
        if "children" in data and "id" in data:
            return "hackernews"
        keys = ", ".join(sorted(map(str, data))[:5]) or "none"
        raise ImportFailed(
            f"{name}: JSON object of no known format (keys: {keys}); expected forum JSON "
            f'("format": "{forum_json.FORMAT_NAME}"), Lemmy ("post_view") or Hacker News '
            '("id" and "children")'
        )
    raise ImportFailed(
        f"{name}: JSON {values.type_name(data)} at the top level; expected an object or list"
    )


def parse(text: str, *, fmt: str | None, name: str, title: str | None) -> list[ParsedThread]:
    """Parse ``text`` as ``fmt`` (detected when None) into one or more threads."""
    if fmt is not None and fmt not in PARSERS:
        known = ", ".join(sorted(PARSERS))
        raise ImportFailed(f"{name}: unknown format {fmt!r} (known: {known})")
    if fmt in TEXT_PARSERS or (fmt is None and not looks_like_json(text)):
        return [TEXT_PARSERS[fmt or "transcript"](text, name=name, title=title)]
    data = values.load_json(text, name=name)
    fmt = fmt or detect_json(data, name=name)
    parsed = JSON_PARSERS[fmt](data, name=name, title=title)
    return parsed if isinstance(parsed, list) else [parsed]
