"""Account names: what a new one may be, and why a refused one was refused.

A name is ASCII letters, digits, ``_`` and ``-``, 3 to 20 characters, and no two accounts
share a name without regard to case. Reddit and Lemmy allow the same set, and for the
same reason: a name made only of these characters cannot look like another one written
with letters of another script (``аlice`` with a Cyrillic "а" beside ``alice``). Accounts
made before the rule keep their names; ``manage.py list_nonconforming_names`` lists them.

Imported authors are not accounts: their names are shown as their source wrote them,
with the source beside them (``threads.presentation.author_label``).
"""

from __future__ import annotations

import re
import unicodedata

NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 20
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")

NAME_RULE = (
    f"{NAME_MIN_LENGTH}–{NAME_MAX_LENGTH} characters: letters A–Z and a–z, digits, _ and -. "
    "Names are the same without regard to case, so “Alice” and “alice” are one name."
)
NAME_REQUIRED = "Choose a name."
NAME_TOO_SHORT = f"A name has at least {NAME_MIN_LENGTH} characters."
NAME_TOO_LONG = f"A name has at most {NAME_MAX_LENGTH} characters."
NAME_BAD_CHARACTER = (
    "A name may use only the letters A–Z and a–z, digits, _ and -: “{char}” ({what}) is not "
    "one of them."
)
NAME_LOOKALIKE = (
    "“{char}” ({what}) looks like the letter “{ascii}” but is not it: names use only the "
    "letters A–Z and a–z, digits, _ and -, so no name can pass for another."
)
NAME_TAKEN = "The name “{name}” is taken (names are the same without regard to case)."


def _described(char: str) -> str:
    if char.isspace():
        return "a space" if char == " " else "a blank character"
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


def _ascii_twin(char: str) -> str | None:
    """The ASCII letter or digit ``char`` passes for, if any: a Latin letter with marks
    (``é``), a full-width one (``Ａ``), or a letter of another script named like one
    (Cyrillic ``а``, Greek ``ο``)."""
    folded = unicodedata.normalize("NFKD", char)
    base = folded[0] if folded else ""
    if base.isascii() and base.isalnum():
        return base
    name = unicodedata.name(char, "")
    match = re.search(r"(?:CAPITAL|SMALL) LETTER ([A-Z])$", name)
    if match and ("CYRILLIC" in name or "GREEK" in name or "LATIN" in name):
        letter = match.group(1)
        return letter if "CAPITAL" in name else letter.lower()
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a new account's name (format only), or None if it can."""
    if not name:
        return NAME_REQUIRED
    for char in name:
        if NAME_PATTERN.fullmatch(char):
            continue
        twin = _ascii_twin(char)
        if twin is not None:
            return NAME_LOOKALIKE.format(char=char, what=_described(char), ascii=twin)
        return NAME_BAD_CHARACTER.format(char=char, what=_described(char))
    if len(name) < NAME_MIN_LENGTH:
        return NAME_TOO_SHORT
    if len(name) > NAME_MAX_LENGTH:
        return NAME_TOO_LONG
    return None


def name_key(name: str) -> str:
    """What two names must not share: the name without regard to case."""
    return name.casefold()
