"""Typed reads from decoded JSON, shared by the JSON formats.

Each reader takes the value, where it sits (``"path: comment 't1_abc'"``) and the field
name, and returns a clean Python value or raises :class:`ImportFailed` with one line that
names the file, the item and the field. Nothing here touches the database.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from threads import limits
from threads.importers import ImportFailed
from threads.models import Distinguished

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # what an IntegerField holds on every database


def load_json(text: str, *, name: str):
    """Decoded JSON, or one line with the line and column of the first error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"{name}:{error.lineno}:{error.colno}: invalid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise ImportFailed(f"{name}: invalid JSON (nested too deeply to read)") from None


def type_name(value) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "a list" if isinstance(value, list) else "an object"
    )


def obj(value, where: str, what: str) -> dict:
    if not isinstance(value, dict):
        raise ImportFailed(f"{where}: {what} must be an object, not {type_name(value)}")
    return value


def array(value, where: str, what: str) -> list:
    if not isinstance(value, list):
        raise ImportFailed(f"{where}: {what} must be a list, not {type_name(value)}")
    return value


def text(value, where: str, what: str, *, limit: int | None = None, null_ok=True) -> str:
    """A string (``null`` reads as empty unless ``null_ok`` is false), at most ``limit``."""
    if value is None and null_ok:
        return ""
    if not isinstance(value, str):
        raise ImportFailed(f"{where}: {what} must be a string, not {type_name(value)}")
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise ImportFailed(f"{where}: {what} contains a NUL character")
    if limit is not None and len(value) > limit:
        raise ImportFailed(
            f"{where}: {what} is {len(value):,} characters long, over the limit of {limit:,}"
        )
    return value


def body(value, where: str, what: str = "text") -> str:
    return text(value, where, what, limit=limits.COMMENT_MAX_LENGTH)


def author(value, where: str, what: str = "author") -> str:
    return text(value, where, what, limit=limits.AUTHOR_NAME_MAX_LENGTH)


def title(value, where: str, what: str = "title") -> str:
    value = text(value, where, what, limit=limits.THREAD_TITLE_MAX_LENGTH).strip()
    if not value:
        raise ImportFailed(f"{where}: {what} is empty")
    return value


def source_id(value, where: str, what: str = "id") -> str:
    """A comment id: a non-empty string or a whole number, kept as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise ImportFailed(
            f"{where}: {what} must be a non-empty string or number, not {type_name(value)}"
        )
    if len(value) > limits.SOURCE_ID_MAX_LENGTH:
        raise ImportFailed(
            f"{where}: {what} is longer than {limits.SOURCE_ID_MAX_LENGTH} characters"
        )
    return value


def integer(value, where: str, what: str, *, minimum: int = INT_MIN, null_ok=True) -> int:
    if value is None and null_ok:
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ImportFailed(f"{where}: {what} must be a whole number, not {type_name(value)}")
    if not minimum <= value <= INT_MAX:
        raise ImportFailed(f"{where}: {what} {value} is outside {minimum}..{INT_MAX}")
    return value


def count(value, where: str, what: str) -> int:
    return integer(value, where, what, minimum=0)


def flag(value, where: str, what: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ImportFailed(f"{where}: {what} must be true or false, not {type_name(value)}")
    return value


def timestamp(value, where: str, what: str) -> datetime | None:
    """ISO 8601 text (no zone means UTC), or Unix seconds; ``null`` means unknown."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise ImportFailed(f"{where}: {what} {value} is not a valid time") from None
    if not isinstance(value, str):
        raise ImportFailed(f"{where}: {what} must be a date and time, not {type_name(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ImportFailed(
            f"{where}: {what} {value[:40]!r} is not an ISO 8601 date and time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def edited(value, where: str, what: str = "edited") -> tuple[datetime | None, bool]:
    """``(edited_at, edited_time_unknown)``: ``null``/``false`` is not edited, ``true`` is
    edited at an unknown time (Reddit says only that for old edits), else a time."""
    if value is None or value is False:
        return None, False
    if value is True:
        return None, True
    return timestamp(value, where, what), False


def distinguished(value, where: str, what: str = "distinguished") -> str:
    """``null`` or one of ``models.Distinguished`` (``"moderator"``, ``"admin"``)."""
    if value is None:
        return ""
    if value not in Distinguished.values:
        known = ", ".join(f'"{choice}"' for choice in Distinguished.values)
        shown = repr(value[:40]) if isinstance(value, str) else type_name(value)
        raise ImportFailed(f"{where}: {what} must be null, {known}, not {shown}")
    return value


def url(value, where: str, what: str = "url") -> str:
    """An http(s) address or empty: anything else could run script from a link."""
    value = text(value, where, what, limit=limits.URL_MAX_LENGTH).strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise ImportFailed(f"{where}: {what} {value[:60]!r} is not an http(s) address")
    return value
