"""Moderation: bans, readers' reports, the admin's report queues and the public log of
every moderator action. Kept apart from the contributions they act on, which they only
point at (and, for the report queues, proxy)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from threads import limits
from threads.models.contributions import Comment, Thread

MODERATORS_GROUP = "Moderators"


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None):
        """Bans in force: not lifted, and either permanent or not yet over."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=now))


class Ban(models.Model):
    """A ban on writing. Lifting keeps the row, so a user's bans stay on record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans"
    )
    reason = models.TextField()
    until = models.DateTimeField(
        null=True, blank=True, help_text="When the ban ends; empty means permanent."
    )
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a moderator unbans or the ban is replaced."
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(lifted_at__isnull=True),
                name="ban_one_unlifted_per_user",
            ),
        ]

    def __str__(self):
        return f"Ban of {self.user_id} {self.term}"

    @property
    def term(self) -> str:
        if self.until is None:
            return "permanently"
        return f"until {self.until:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > now)


class Report(models.Model):
    """A reader's report of one comment or one thread; one open report per reader per item."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        REMOVED = "removed", "removed"
        DISMISSED = "dismissed", "dismissed"

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=limits.REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(status="open"),
                name="report_one_open_per_user_comment",
            ),
            models.UniqueConstraint(
                fields=["thread", "reporter"],
                condition=Q(status="open", thread__isnull=False),
                name="report_one_open_per_user_thread",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, thread__isnull=True)
                | Q(comment__isnull=True, thread__isnull=False),
                name="report_on_exactly_one_item",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "comment"], name="report_status_comment_idx"),
            models.Index(
                fields=["status", "thread"],
                condition=Q(thread__isnull=False),
                name="report_status_thread_idx",
            ),
        ]

    def __str__(self):
        item = f"comment {self.comment_id}" if self.comment_id else f"thread {self.thread_id}"
        return f"Report by {self.reporter_id} on {item} ({self.status})"


class ReportedComment(Comment):
    """The report queue in the admin: comments with open reports, most reported first."""

    class Meta:
        proxy = True
        verbose_name = "reported comment"
        verbose_name_plural = "report queue"


class ReportedThread(Thread):
    """The report queue's threads in the admin: threads with open reports."""

    class Meta:
        proxy = True
        verbose_name = "reported thread"
        verbose_name_plural = "report queue: threads"


class ModerationLog(models.Model):
    """One row per moderation action, written by the same transaction as the action."""

    class Action(models.TextChoices):
        COMMENT_REMOVE = "comment_remove", "removed comment"
        COMMENT_RESTORE = "comment_restore", "restored comment"
        THREAD_LOCK = "thread_lock", "locked thread"
        THREAD_UNLOCK = "thread_unlock", "unlocked thread"
        USER_BAN = "user_ban", "banned user"
        USER_UNBAN = "user_unban", "unbanned user"
        REPORTS_DISMISS = "reports_dismiss", "dismissed reports"
        COMMENT_PURGE = "comment_purge", "purged comment"
        ACCOUNT_REMOVE = "account_remove", "removed account"
        THREAD_REMOVE = "thread_remove", "removed thread"
        THREAD_RESTORE = "thread_restore", "restored thread"
        THREAD_PIN = "thread_pin", "pinned thread"
        THREAD_UNPIN = "thread_unpin", "unpinned thread"
        THREAD_PURGE = "thread_purge", "purged thread"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user acted on (bans).",
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(
        max_length=200, blank=True, help_text='Extra facts, e.g. "until 2030-01-01 00:00 UTC".'
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"

    def __str__(self):
        return f"{self.get_action_display()} by {self.moderator_id} at {self.created_at:%Y-%m-%d}"
