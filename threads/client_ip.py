"""The client's address: the one answer every limit and lockout counts by.

``REMOTE_ADDR`` is the address that connected. Behind proxies it is the nearest proxy's,
and the client's is in ``X-Forwarded-For``, where each proxy appends the address it got
the request from. Only the last ``TRUSTED_PROXY_COUNT`` entries were written by our own
proxies; anything left of them came from the client and can be forged. So the client is
the entry that many hops from the right, and with no trusted proxy the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"  # the key for an unreadable REMOTE_ADDR


def client_ip(request) -> str:
    """The client's address, as a normalized string."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            address = hops[-trusted]
    return _normalized(address)


def _normalized(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return UNKNOWN
