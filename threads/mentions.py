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
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q

from threads import limits
from threads.names import name_key

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


def members_named(names: list[str]) -> dict[str, tuple[str, int]]:
    """``name as written -> (username, user id)`` for the names that are active members.

    A name matches without regard to case, as names are unique that way
    (``threads.names.name_key``): "@Alice" names alice. One query when every name is
    written as registered, a second for the others, none for no names.
    """
    if not names:
        return {}
    members = get_user_model().objects.filter(is_active=True)
    found = {
        name: (name, pk)
        for name, pk in members.filter(username__in=names).values_list("username", "pk")
    }
    rest = [name for name in names if name not in found]
    if rest:
        anycase = reduce(or_, (Q(username__iexact=name) for name in rest))
        by_key = {
            name_key(name): (name, pk)
            for name, pk in members.filter(anycase).values_list("username", "pk")
        }
        found.update({name: by_key[name_key(name)] for name in rest if name_key(name) in by_key})
    return found
