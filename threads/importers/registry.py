"""Which parser reads which input: named by ``--format`` or detected from the content."""

from __future__ import annotations

from collections.abc import Callable

from threads.importers import ImportFailed, ParsedThread, transcript

Parser = Callable[..., ParsedThread]

PARSERS: dict[str, Parser] = {
    "transcript": transcript.parse,
}


def detect(text: str) -> str:
    return "transcript"


def parser_for(text: str, *, fmt: str | None, name: str) -> Parser:
    fmt = fmt or detect(text)
    try:
        return PARSERS[fmt]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise ImportFailed(f"{name}: unknown format {fmt!r} (known: {known})") from None
