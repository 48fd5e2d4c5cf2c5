"""Template context every page needs: the site's name, whether the logged-in reader is banned, their
unread inbox count, whom they block."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from threads import selectors


def site(request):
    """``site_name`` and ``site_description``: what this forum is (settings), in every
    page's title and header."""
    return {"site_name": settings.SITE_NAME, "site_description": settings.SITE_DESCRIPTION}


def moderation(request):
    """``current_ban``: the viewer's ban in force, or None; queried only if a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_ban": None}
    return {"current_ban": SimpleLazyObject(lambda: selectors.active_ban(user))}


def community(request):
    """``inbox_unread`` (the header's count) and ``blocked_ids`` (members the viewer blocks,
    for folding their threads in lists): each one query, run only if the page uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0, "blocked_ids": frozenset()}
    return {
        "inbox_unread": SimpleLazyObject(lambda: selectors.inbox_unread_count(user)),
        "blocked_ids": SimpleLazyObject(lambda: selectors.blocked_ids(user)),
    }
