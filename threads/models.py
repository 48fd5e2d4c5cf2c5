"""Threads, their comment trees and votes.

Each top-level comment is the root of its own MPTT tree whose ``tree_id`` is the root's
own primary key, so a reply renumbers only its own top-level subtree and a new
top-level comment never has to read a table-wide ``MAX(tree_id)``.
Never call ``Comment.objects.rebuild()``: it renumbers every tree from 1.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

DELETED_AUTHOR = "[deleted]"


class ThreadQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-created_at", "-id")

    def with_author(self):
        return self.select_related("author")


class Thread(models.Model):
    title = models.CharField(max_length=settings.THREAD_TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    url = models.URLField(
        max_length=2000, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    body = models.TextField(blank=True, help_text="The text as written (Markdown).")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered, sanitized.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    author_name = models.CharField(
        max_length=150, blank=True, help_text="Shown name of an imported author without account."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_locked = models.BooleanField(default=False, help_text="Locked threads take no replies.")
    score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Import key: the same source imported again updates this thread.",
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="thread_unique_source"
            ),
        ]
        indexes = [models.Index(fields=["-score", "-created_at"], name="thread_top_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:80].strip("-") or "thread"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("threads:thread-detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def shown_author(self) -> str:
        return shown_author(self.author, self.author_name)


class CommentQuerySet(TreeQuerySet):
    def for_thread(self, thread):
        return self.filter(thread=thread)

    def visible(self):
        return self.filter(is_deleted=False, is_removed=False)

    def in_tree_order(self):
        return self.order_by("tree_id", "lft")


class CommentManager(TreeManager.from_queryset(CommentQuerySet)):
    pass


class Comment(MPTTModel):
    # No single-column indexes on thread and author: the composite indexes below start
    # with them, and every index is rewritten for each row a reply renumbers.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    body = models.TextField(help_text="The text as written (Markdown).")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered, sanitized.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
    )
    author_name = models.CharField(
        max_length=150, blank=True, help_text="Shown name of an imported author without account."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author.")
    is_removed = models.BooleanField(default=False, help_text="Removed by a moderator.")
    score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    source_id = models.CharField(
        max_length=100, blank=True, help_text="The comment's id in the source it was imported from."
    )

    objects = CommentManager()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["thread", "tree_id", "lft"], name="comment_thread_tree_idx"),
            # Covers the one query that picks a page's top-level comments, so a thread of
            # 100,000 comments reads its roots from the index alone, never the table.
            models.Index(
                fields=[
                    "thread",
                    "tree_id",
                    "lft",
                    "rght",
                    "upvotes",
                    "downvotes",
                    "score",
                    "created_at",
                    "level",
                ],
                condition=Q(level=0),
                name="comment_roots_idx",
            ),  # fmt: skip
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.thread_id}"

    def get_absolute_url(self):
        return reverse("threads:comment-detail", kwargs={"pk": self.pk})

    @property
    def shown_author(self) -> str:
        return shown_author(self.author, self.author_name)


def shown_author(author, author_name: str) -> str:
    """Accounts show their username; imported names show as given; deleted accounts vanish."""
    if author is not None:
        return author.get_username()
    return author_name or DELETED_AUTHOR


class Vote(models.Model):
    UP = 1
    DOWN = -1

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField(choices=[(UP, "up"), (DOWN, "down")])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="vote_one_per_user_comment",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="vote_one_per_user_thread",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, thread__isnull=True)
                | Q(comment__isnull=True, thread__isnull=False),
                name="vote_on_exactly_one_item",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_up_or_down"),
        ]

    def __str__(self):
        item = f"comment {self.comment_id}" if self.comment_id else f"thread {self.thread_id}"
        return f"{self.user_id} {'+1' if self.value > 0 else '-1'} on {item}"
