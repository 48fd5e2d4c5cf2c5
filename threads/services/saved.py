"""Saved items: comments and threads a member keeps to read again, listed at ``/saved/``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from threads.models import Comment, SavedItem, Thread
from threads.services.permissions import LOGIN_REQUIRED


def _item_fields(item: Comment | Thread) -> dict:
    return {"comment": item} if isinstance(item, Comment) else {"thread": item}


def item_save(*, user, item: Comment | Thread) -> SavedItem:
    """Save a comment or thread for ``user``; saving again changes nothing."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(LOGIN_REQUIRED)
    fields = _item_fields(item)
    try:
        with transaction.atomic():
            saved, _ = SavedItem.objects.get_or_create(user=user, **fields)
    except IntegrityError:  # saved meanwhile by a second request
        saved = SavedItem.objects.get(user=user, **fields)
    return saved


def item_unsave(*, user, item: Comment | Thread) -> bool:
    """Forget a saved comment or thread; False when it was not saved."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(LOGIN_REQUIRED)
    with transaction.atomic():
        deleted, _ = SavedItem.objects.filter(user=user, **_item_fields(item)).delete()
    return bool(deleted)
