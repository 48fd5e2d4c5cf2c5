"""Template context every page needs: whether the logged-in reader is banned."""

from django.utils.functional import SimpleLazyObject

from threads import selectors


def moderation(request):
    """``current_ban``: the viewer's ban in force, or None; queried only if a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_ban": None}
    return {"current_ban": SimpleLazyObject(lambda: selectors.active_ban(user))}
