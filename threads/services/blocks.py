"""Blocking a member: private to the blocker, undone at any time.

A block folds the blocked member's comments and threads away for the blocker (with a
"blocked" note; they can still be opened) and keeps their replies and mentions out of
the blocker's inbox (``services.inbox``): neither new ones nor those already there. The
blocked member is never told.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from threads.models import Block, InboxItem
from threads.services.permissions import LOGIN_REQUIRED

BLOCK_SELF = "You can't block yourself."


def user_block(*, user, blocked) -> Block:
    """``user`` blocks ``blocked``; blocking again changes nothing."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(LOGIN_REQUIRED)
    if blocked.pk == user.pk:
        raise ValidationError(BLOCK_SELF, code="self")
    try:
        with transaction.atomic():
            block, _ = Block.objects.get_or_create(blocker=user, blocked=blocked)
            _forget_their_items(user, blocked)
    except IntegrityError:  # a second request that raced this one made it first
        block = Block.objects.get(blocker=user, blocked=blocked)
    return block


def _forget_their_items(user, blocked) -> None:
    """What the blocked member's words already put in the inbox goes too."""
    InboxItem.objects.filter(
        Q(comment__author=blocked) | Q(comment__isnull=True, thread__author=blocked),
        recipient=user,
    ).delete()


def user_unblock(*, user, blocked) -> bool:
    """Lift ``user``'s block of ``blocked``; False when there was none."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(LOGIN_REQUIRED)
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=user, blocked=blocked).delete()
    return bool(deleted)
