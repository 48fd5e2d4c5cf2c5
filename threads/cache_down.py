"""When Redis, the cache every app process shares, stops answering.

Most readers never notice: the page cache and the rate limits let requests through and
log it (``threads.page_cache``, ``threads.ratelimits``), and sessions fall back to the
database. What cannot go on without it (logging in, whose failed attempts are counted
there) answers 503 with ``Retry-After`` and a page that says so, keeping any text that was
sent, never a 500.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.shortcuts import render
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

CACHE_DOWN = (
    "This could not be done just now: a part of the site it needs is not answering. "
    "Please try again in a minute."
)
RETRY_AFTER_SECONDS = 60


def unavailable(request, error: RedisError):
    """503 with ``Retry-After``: JSON for the script, else the page that says so."""
    log.error("The shared cache did not answer for %s: %s", request.path, error)
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"error": CACHE_DOWN}, status=503)
    else:
        kept = request.POST.get("body", "") if request.method == "POST" else ""
        context = {"message": CACHE_DOWN, "kept": kept}
        response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SharedCacheDownMiddleware:
    """Turns a view's :class:`RedisError` into :func:`unavailable`. (The middleware
    that reads the cache before a view, ``threads.ratelimits``, answers the same way.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request, exception) if isinstance(exception, RedisError) else None
