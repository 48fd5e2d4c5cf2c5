"""Numbers from query strings and form fields, read one way everywhere.

``int()`` takes far more than a form ever sends: signs, spaces, underscores, digits of
every script ("٣", and it fails on "²", which ``str.isdigit`` accepts), and numbers no
database column holds. A number here is ASCII digits only, within the 64-bit range of
the database's ids and offsets; anything else is no number (None), which each caller
answers in its own words, as a 4xx.
"""

from __future__ import annotations

import re

DB_INT_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text: object) -> int | None:
    """``text`` as a whole number from 0 to ``DB_INT_MAX``, or None."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= DB_INT_MAX else None
