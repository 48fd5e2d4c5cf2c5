"""Login protection around django-axes: a cool-off that grows, an answer that says when,
and a slow-down for an account attacked from many addresses.

- axes counts failed logins per client address in the cache (``settings.AXES_*``);
  at ``LOGIN_FAILURE_LIMIT`` the address is refused for :func:`cool_off`, which doubles
  with each further lockout of that address within a day, up to
  ``LOGIN_COOLOFF_MAX_SECONDS``. The site's login and the admin's both authenticate
  through axes.
- The addresses failing for one username are counted too. Once
  ``ACCOUNT_SLOWDOWN_AFTER`` different addresses failed within an hour, the account is
  not locked (an attacker could then lock its owner out at will) but slowed down: one attempt per
  ``ACCOUNT_SLOWDOWN_SECONDS`` for everyone, except a browser that logged into it before
  (a signed cookie set at each successful login). Guessing drops to a few hundred tries
  an hour at most; the owner, at home, is not held up at all.
- Answers never say whether an account exists: every username string is counted and
  slowed alike, and the lockout speaks only of the address.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import timedelta

from axes.helpers import get_cache, get_client_cache_keys
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from threads.client_ip import client_ip
from threads.services.speed import wait_words

LOGIN_VIEWS = {"login", "admin:login"}
LOCKED_OUT = (
    "Too many failed logins from your address. For your safety, logging in from here "
    "is paused: please try again in {wait}."
)
SLOWED_DOWN = (
    "There have been many failed logins with this username, so its logins are slowed "
    "down: please try again in {wait}."
)
DAY = 24 * 3600
HOUR = 3600
DEVICE_COOKIE = "forum_known_login"
DEVICE_SALT = "threads.login_protection.device"


def _level_key(ip: str) -> str:
    return f"login:lockouts:{ip}"


def _account_key(username: str, what: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"login:account:{what}:{digest}"


def cool_off(request=None) -> timedelta:
    """How long an address stays refused: the base, doubled for each earlier lockout."""
    base = settings.LOGIN_COOLOFF_SECONDS
    level = cache.get(_level_key(client_ip(request)), 0) if request is not None else 0
    seconds = base * 2 ** max(level - 1, 0)
    return timedelta(seconds=min(seconds, max(settings.LOGIN_COOLOFF_MAX_SECONDS, base)))


@receiver(user_locked_out)
def _escalate(sender, request=None, **kwargs):
    """A new lockout of an address (not a further refused attempt in one) raises its level;
    the lockout then lasts the new cool-off."""
    if request is None:
        return
    ip = client_ip(request)
    marker = f"login:locked:{ip}"
    new_lockout = cache.add(marker, 1, timeout=int(cool_off(request).total_seconds()))
    if new_lockout and not cache.add(_level_key(ip), 1, timeout=DAY):
        cache.incr(_level_key(ip))
        cache.touch(_level_key(ip), timeout=DAY)
    seconds = int(cool_off(request).total_seconds())
    cache.touch(marker, timeout=seconds)
    axes_cache = get_cache()
    for key in get_client_cache_keys(request, getattr(request, "axes_credentials", None)):
        axes_cache.touch(key, timeout=seconds)


def lockout_response(request, original_response=None, credentials=None):
    """axes' answer to a refused address: 429, ``Retry-After``, the page or JSON."""
    from threads.ratelimits import too_many_requests

    seconds = math.ceil(cool_off(request).total_seconds())
    return too_many_requests(request, LOCKED_OUT.format(wait=wait_words(seconds)), seconds)


@receiver(user_login_failed)
def _count_account_failure(sender, credentials=None, request=None, **kwargs):
    """One more address failing for this username within the hour (each counts once),
    so failures from a single address, locked out on their own, never slow it down."""
    username = (credentials or {}).get("username") or ""
    if not username or request is None or getattr(request, "axes_locked_out", False):
        return
    seen = _account_key(f"{username}\n{client_ip(request)}", "address")
    if not cache.add(seen, 1, timeout=HOUR):
        return
    key = _account_key(username, "addresses")
    if not cache.add(key, 1, timeout=HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=HOUR)


def known_device(request, username: str) -> bool:
    known = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    return bool(known) and known == username.strip().lower()


def account_slowdown(request) -> tuple[str, int] | None:
    """(message, seconds to wait) when this login must wait for its username's next slot.
    During a lockout every refused attempt restarts the cool-off, so a lockout's
    ``Retry-After`` is the whole cool-off; a slot's is what is left of it."""
    username = request.POST.get("username", "")
    if not username or known_device(request, username):
        return None
    if cache.get(_account_key(username, "addresses"), 0) < settings.ACCOUNT_SLOWDOWN_AFTER:
        return None
    seconds = settings.ACCOUNT_SLOWDOWN_SECONDS
    slot = _account_key(username, "slot")
    if cache.add(slot, time.time() + seconds, timeout=seconds):
        return None
    wait = max(1, math.ceil(min(seconds, cache.get(slot, 0) - time.time())))
    return SLOWED_DOWN.format(wait=wait_words(wait)), wait


def after_login(request, response):
    """A successful login marks the browser as one that knows the account."""
    match = getattr(request, "resolver_match", None)
    if (
        match is not None
        and match.view_name in LOGIN_VIEWS
        and request.method == "POST"
        and response.status_code == 302
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            request.user.get_username().lower(),
            salt=DEVICE_SALT,
            max_age=365 * DAY,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def reset(*, ip: str | None = None, username: str | None = None) -> int:
    """Clear an address's lockout (and its level) and a username's slow-down."""
    cleared = 0
    if ip:
        from axes.utils import reset as axes_reset

        cleared += axes_reset(ip=ip)
        cleared += bool(cache.delete(_level_key(ip))) + bool(cache.delete(f"login:locked:{ip}"))
    if username:
        for what in ("addresses", "slot"):
            cleared += bool(cache.delete(_account_key(username, what)))
    return cleared
