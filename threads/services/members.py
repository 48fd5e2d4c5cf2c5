"""A member's own account: joining, their email address, their settings, leaving.

Every new account comes through ``account_create``, which holds the name rules
(``threads.names``) and the email rule: an address is optional, and when given belongs
to one account only, without regard to case. Both are checked again inside the
transaction that writes, under a lock on the name (and the address), so two sign-ups
racing for ``Alice`` and ``alice`` cannot both win. The lock is PostgreSQL's advisory
transaction lock; SQLite runs one writer at a time anyway (``forum.settings``).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from threads.models import Profile
from threads.names import NAME_TAKEN, name_key, name_problem
from threads.services.accounts import account_remove
from threads.sorting import COMMENT_SORTS

EMAIL_TAKEN = "Another account uses that email address."
EMAIL_UNCHANGED = "That is already your email address."
BAD_COMMENT_SORT = "Choose one of: {sorts}."
WRONG_PASSWORD = "That is not your password."


def _lock(*keys: str) -> None:
    """Hold, until the transaction ends, a lock per key (a name, an address), so checking
    that it is free and taking it happen as one step. Keys are taken in order, so two
    writers never wait for each other in a circle."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            number = int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def normalized_email(email: str) -> str:
    """The address as stored: trimmed, its domain in lower case (the local part is the
    mailbox owner's and kept as written)."""
    return BaseUserManager.normalize_email((email or "").strip())


def check_new_name(username: str) -> None:
    """Raise ``ValidationError`` if ``username`` cannot be a new account's name."""
    problem = name_problem(username)
    if problem:
        raise ValidationError(problem, code="bad_name")
    User = get_user_model()
    if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
        raise ValidationError(NAME_TAKEN.format(name=username), code="name_taken")


def check_email_free(email: str, *, user=None) -> None:
    """Raise ``ValidationError`` if another account than ``user`` uses ``email``."""
    if not email:
        return
    others = get_user_model().objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ValidationError(EMAIL_TAKEN, code="email_taken")


def account_create(*, username: str, password: str, email: str = ""):
    """A new member. The name follows ``threads.names``; ``email`` may be empty."""
    email = normalized_email(email)
    with transaction.atomic():
        _lock(f"name:{name_key(username)}", *([f"email:{email.casefold()}"] if email else []))
        check_new_name(username)
        check_email_free(email)
        return get_user_model().objects.create_user(
            username=username, email=email, password=password
        )


def email_change(*, user, email: str):
    """Give ``user`` the address ``email`` (confirmed by the caller: see
    ``threads.mail.email_change_confirm``); an empty one removes it."""
    email = normalized_email(email)
    with transaction.atomic():
        if email:
            _lock(f"email:{email.casefold()}")
        check_email_free(email, user=user)
        get_user_model().objects.filter(pk=user.pk).update(email=email)
        user.email = email
    return user


def comment_sort_set(*, user, sort: str) -> Profile:
    """The order ``user``'s thread pages open in when no order is asked for; blank for
    the site's default."""
    if sort and sort not in COMMENT_SORTS:
        raise ValidationError(BAD_COMMENT_SORT.format(sorts=", ".join(COMMENT_SORTS)))
    with transaction.atomic():
        profile = Profile.of(user)
        Profile.objects.filter(pk=profile.pk).update(default_comment_sort=sort)
        profile.default_comment_sort = sort
    return profile


def account_close(*, user, password: str) -> int:
    """A member removes their own account, saying their password again first."""
    if not user.check_password(password):
        raise ValidationError(WRONG_PASSWORD, code="wrong_password")
    return account_remove(user=user, by=user)
