"""Rate limits: which request counts against which limit, and the answer when one is hit.

The figures live in ``settings.RATE_LIMITS`` (one block, with their sources); the
counting is django-ratelimit's, in the default cache, which must be shared (Redis) when
more than one process serves the site. Like Lobsters' Rack::Attack this sits in front of
the views, in :class:`RateLimitMiddleware`, keyed by URL name (``ROUTES``), so a limited
request is refused before anything is read or written. A view not in ``ROUTES`` (search)
takes the :func:`rate_limited` decorator.

A refused request gets 429 with ``Retry-After``: a page saying when to try again (with
the text that was sent, to copy), or for the script (``X-Requested-With: fetch``)
``{"error": ...}`` to show in place. Writes refused for speed by a service
(:class:`threads.services.TooFast`, the heated-exchange rule) get the same answer.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from threads import cache_down, login_protection, writing_aids
from threads.services.speed import TooFast, exempt_from_limits, wait_words

log = logging.getLogger(__name__)

TOO_MANY = "Too many {what} for now: please try again in {wait}."
WHAT = {
    "signup": "sign-ups from your address",
    "thread": "new threads from you",
    "comment": "comments from you",
    "vote": "votes from you",
    "report": "reports from you",
    "password_reset_address": "password reset requests from your address",
    "password_reset_account": "password reset requests for that address",
    "email_change": "address confirmation mails from you",
    "search": "searches from your address",
    "preview": "previews from your address",
    "save": "saves from you",
    "block": "blocks from you",
}
# Who each limit counts: an address, a member, or the e-mail a reset is asked for.
COUNTED_BY = {
    "signup": "address",
    "thread": "member",
    "comment": "member",
    "vote": "member",
    "report": "member",
    "password_reset_address": "address",
    "password_reset_account": "email",
    "email_change": "member",
    "search": "address",
    "preview": "address",
    "save": "member",
    "block": "member",
}
# URL name -> (limits, the method they count). Anonymous writes are sent to log in by
# the views (nothing written), so member limits count members only.
ROUTES = {
    "threads:signup": (("signup",), "POST"),
    "threads:thread-create": (("thread",), "POST"),
    "threads:thread-reply": (("comment",), "POST"),
    "threads:comment-reply": (("comment",), "POST"),
    "threads:thread-vote": (("vote",), "POST"),
    "threads:comment-vote": (("vote",), "POST"),
    "threads:comment-report": (("report",), "POST"),
    "threads:thread-report": (("report",), "POST"),
    "threads:settings-email": (("email_change",), "POST"),
    "password_reset": (("password_reset_address", "password_reset_account"), "POST"),
    "threads:search": (("search",), "GET"),
    "threads:markup-preview": (("preview",), "POST"),
    "threads:comment-save": (("save",), "POST"),
    "threads:thread-save": (("save",), "POST"),
    "threads:user-block": (("block",), "POST"),
}


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int


def _is_new(user) -> bool:
    joined = getattr(user, "date_joined", None)
    age = timedelta(hours=settings.RATE_LIMIT_NEW_ACCOUNT_HOURS)
    return joined is not None and timezone.now() - joined < age


def _rates(name: str, user) -> list[str]:
    limits = settings.RATE_LIMITS
    if user is not None and user.is_authenticated and _is_new(user) and f"{name}_new" in limits:
        return limits[f"{name}_new"]
    return limits.get(name, [])


def _counted_value(name: str, request) -> str | None:
    """What the limit counts this request as, or None when it does not apply."""
    by = COUNTED_BY[name]
    if by == "member":
        return f"user:{request.user.pk}" if request.user.is_authenticated else None
    if by == "email":
        email = request.POST.get("email", "").strip().lower()
        return f"email:{email}" if email else None
    return None  # the address: django-ratelimit's "ip" key (threads.client_ip)


def check(request, name: str) -> Refusal | None:
    """Count this request against limit ``name``; the refusal when it is over."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    by = COUNTED_BY[name]
    if by != "email" and exempt_from_limits(getattr(request, "user", None)):
        return None
    value = _counted_value(name, request)
    if by != "address" and value is None:
        return None
    key = "ip" if by == "address" else (lambda group, req: value)
    waits = []
    for rate in _rates(name, getattr(request, "user", None)):
        try:
            usage = get_usage(request, group=f"forum.{name}", key=key, rate=rate, increment=True)
        except (OSError, RedisError) as error:  # the cache is down: serve, and say so
            log.error("Rate limit %s not counted: %s", name, error)
            return None
        if usage and usage["should_limit"]:
            waits.append(usage["time_left"])
    if not waits:
        return None
    retry_after = max(1, math.ceil(max(waits)))
    return Refusal(TOO_MANY.format(what=WHAT[name], wait=wait_words(retry_after)), retry_after)


def check_all(request, names) -> Refusal | None:
    refusals = [r for r in (check(request, name) for name in names) if r is not None]
    return max(refusals, key=lambda r: r.retry_after) if refusals else None


def too_many_requests(request, message: str, retry_after: int):
    """429 with ``Retry-After``: JSON for the script, else the page saying when."""
    retry_after = max(1, math.ceil(retry_after))
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"error": message}, status=429)
    else:
        context = {
            "message": message,
            "retry_at": timezone.now() + timedelta(seconds=retry_after),
            "kept": request.POST.get("body", "") if request.method == "POST" else "",
        }
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(name: str, method: str = "GET"):
    """Limit a view by ``settings.RATE_LIMITS[name]`` (requests of ``method`` count)."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == method:
                refusal = check(request, name)
                if refusal:
                    return too_many_requests(request, refusal.message, refusal.retry_after)
            return view(request, *args, **kwargs)

        limited.rate_limited = name  # the middleware does not count it twice
        return limited

    return decorator


class RateLimitMiddleware:
    """Applies ``ROUTES`` before the view, answers :class:`TooFast` from the services,
    and slows down logins to an account under attack (``threads.login_protection``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        return login_protection.after_login(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in login_protection.LOGIN_VIEWS and request.method == "POST":
            try:
                refusal = login_protection.account_slowdown(request)
            except RedisError as error:  # logins are counted there: they wait for it
                return cache_down.unavailable(request, error)
            if refusal:
                return too_many_requests(request, *refusal)
        route = ROUTES.get(name)
        if route is None or request.method != route[1] or hasattr(view_func, "rate_limited"):
            return None
        # A form's "Preview" button posts to the form's own address: it writes nothing,
        # so it counts as a preview, never against the writes the form would make.
        names = ("preview",) if writing_aids.wants_preview(request) else route[0]
        refusal = check_all(request, names)
        if refusal:
            return too_many_requests(request, refusal.message, refusal.retry_after)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, TooFast):
            return too_many_requests(request, exception.message, exception.retry_after)
        return None
