"""What members keep for themselves: their inbox, whom they block, what they saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class InboxItem(models.Model):
    """Someone answered or named a member: one row per recipient and comment (or thread,
    for a mention in a thread's body), written in the transaction that posted it."""

    class Kind(models.TextChoices):
        COMMENT_REPLY = "comment_reply", "replied to your comment"
        THREAD_REPLY = "thread_reply", "replied to your thread"
        MENTION = "mention", "mentioned you"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    thread = models.ForeignKey("threads.Thread", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        "threads.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The comment that answered or named the recipient; empty for a mention "
        "in the thread's own text.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_read = models.BooleanField(default=False)

    class Meta:
        ordering = ["is_read", "-created_at", "-id"]
        verbose_name = "inbox item"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(comment__isnull=False),
                name="inbox_one_per_recipient_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "thread"],
                condition=Q(comment__isnull=True),
                name="inbox_one_per_recipient_thread",
            ),
        ]
        indexes = [
            # The inbox page: a member's items, unread first, newest first.
            models.Index(
                fields=["recipient", "is_read", "-created_at", "-id"], name="inbox_page_idx"
            ),
            # The header's count reads only the unread part.
            models.Index(fields=["recipient"], condition=Q(is_read=False), name="inbox_unread_idx"),
        ]

    def __str__(self) -> str:
        state = "read" if self.is_read else "unread"
        return f"{self.get_kind_display()} for {self.recipient_id} ({state})"


class Block(models.Model):
    """``blocker`` no longer sees ``blocked``'s words unfolded nor hears from them. Private:
    only the blocker ever sees the row."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class SavedItem(models.Model):
    """A comment or a thread a member saved to read again (``/saved/``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_items"
    )
    comment = models.ForeignKey(
        "threads.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "threads.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "saved item"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="saved_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="saved_once_per_thread",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, thread__isnull=True)
                | Q(comment__isnull=True, thread__isnull=False),
                name="saved_exactly_one_item",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="saved_page_idx")]

    def __str__(self) -> str:
        item = f"comment {self.comment_id}" if self.comment_id else f"thread {self.thread_id}"
        return f"{self.user_id} saved {item}"
