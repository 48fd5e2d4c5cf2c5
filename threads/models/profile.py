"""A member's own settings: what the forum remembers about them beyond ``auth.User``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    """A private, unguessable token for URLs that act as the member without a session."""
    return secrets.token_urlsafe(32)


class Profile(models.Model):
    """One per member, made on first need (``Profile.of``), never required to exist."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    default_comment_sort = models.CharField(
        max_length=20,
        blank=True,
        help_text="The order comments open in for this member; blank means the site's.",
    )
    feed_token = models.CharField(
        max_length=64,
        unique=True,
        default=new_feed_token,
        help_text="Secret part of the member's private inbox feed URL; rotating it revokes "
        "the old URL.",
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"

    @classmethod
    def of(cls, user) -> Profile:
        profile, _ = cls.objects.get_or_create(user=user)
        return profile
