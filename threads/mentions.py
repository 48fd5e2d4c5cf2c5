"""``@username`` in a text: which names it mentions, and which of them are members.

The markup (``threads.markup``) links each mention of an existing member to their page
when a text is saved, and the inbox (``threads.services.inbox``) tells them; both read
the names found here, so a name is linked exactly when it is told. At most
``limits.MENTIONS_PER_TEXT`` different names count per text, the first ones written;
further names stay plain text, so one comment cannot page the whole forum.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from threads import limits

# "@" not glued to a word or an address before it (alice@example.com is no mention), then
# a username (Django's characters but "@"), ending on a letter, digit or "_" so that
# "thanks @bob." names "bob".
MENTION = re.compile(r"(?<![\w@/.+-])@([\w.+-]*\w)")


def mentioned_names(texts: Iterable[str]) -> list[str]:
    """The distinct names mentioned in ``texts``, in order, at most the limit."""
    names: list[str] = []
    for text in texts:
        for match in MENTION.finditer(text):
            name = match.group(1)
            if name not in names:
                if len(names) >= limits.MENTIONS_PER_TEXT:
                    return names
                names.append(name)
    return names


def members_named(names: list[str]) -> dict[str, int]:
    """``username -> user id`` for the names that are members; one query, none for none."""
    if not names:
        return {}
    rows = get_user_model().objects.filter(username__in=names, is_active=True)
    return dict(rows.values_list("username", "pk"))
