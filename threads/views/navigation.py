"""Where a form may send the browser back to: one rule for every ``next`` field."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request, target: str | None) -> str:
    """``target`` if it is a path on this site (``/…``), else "". A bare word would be
    taken by ``redirect()`` for a URL name, and another host for an open redirect."""
    target = target or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""
