"""Threads, their comment trees and votes.

Each top-level comment is the root of its own MPTT tree whose ``tree_id`` is the root's
own primary key, so a reply renumbers only its own top-level subtree and a new
top-level comment never has to read a table-wide ``MAX(tree_id)``. Each comment also keeps
its ``descendant_count``, the number the page budget reads for top-level comments.
``threads.tree`` is the one place that numbers trees; the parts of django-mptt that
would renumber or delete behind its back refuse to run here (see ``threads.tree``).
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from threads import limits, presentation, sorting, tree

DELETED_AUTHOR = "[deleted]"


class Distinguished(models.TextChoices):
    """How a source marked an author's official voice; the label is the badge shown."""

    MODERATOR = "moderator", "mod"
    ADMIN = "admin", "admin"


class Contribution(models.Model):
    """What threads and comments share: who wrote it, its rendered text, its votes."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        db_index=False,  # each model indexes (author, -created_at) for the user page
    )
    author_name = models.CharField(
        max_length=150, blank=True, help_text="Shown name of an imported author without account."
    )
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered, sanitized.")
    score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    distinguished = models.CharField(
        max_length=10,
        blank=True,
        choices=Distinguished.choices,
        help_text="Imported: its source marked it as said by a moderator or an admin.",
    )
    is_stickied = models.BooleanField(
        default=False, help_text="Imported: pinned at its source (shown as a badge)."
    )

    class Meta:
        abstract = True

    @property
    def shown_author(self) -> str:
        return shown_author(self.author, self.author_name, self.import_source)

    @property
    def import_source(self) -> str:
        """The thread's import key (``reddit:abc``), which names where an imported author
        wrote; "" for threads written here."""
        raise NotImplementedError


# A thread is open while no moderator locked or removed it and its author did not delete
# it: only then does it take new comments, votes and edits (``presentation.thread_closed_text``).
OPEN_THREAD = {"is_locked": False, "is_removed": False, "is_deleted": False}


class ThreadQuerySet(models.QuerySet):
    def open(self):
        """Threads that take new comments and votes (``OPEN_THREAD``)."""
        return self.filter(**OPEN_THREAD)

    def listed(self, *, include_removed: bool = False):
        """Threads a listing shows: never deleted ones; removed ones to moderators only."""
        threads = self.filter(is_deleted=False)
        return threads if include_removed else threads.filter(is_removed=False)

    def newest_first(self):
        return self.order_by("-created_at", "-id")

    def with_author(self):
        return self.select_related("author")


class Thread(Contribution):
    title = models.CharField(max_length=limits.THREAD_TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    url = models.URLField(
        max_length=limits.URL_MAX_LENGTH,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    body = models.TextField(blank=True, help_text="The text as written (Markdown).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_locked = models.BooleanField(default=False, help_text="Locked threads take no replies.")
    comment_count = models.PositiveIntegerField(default=0)
    hot_rank = models.FloatField(
        default=0.0,
        help_text="Lemmy's hot rank as of the last vote, comment or re-rank "
        "(threads.services.ranking): the front page's hot order reads it from an index.",
    )
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Import key: the same source imported again updates this thread.",
    )
    missing_count = models.PositiveIntegerField(
        default=0,
        help_text="Comments the source had that the imported file left out (its 'more' "
        "placeholders), as of the latest import: the page says the thread is partial.",
    )
    # Owned by its author, kept by the moderators (threads.services.threads, .moderation);
    # what a viewer sees of a gone thread is threads.presentation's rule.
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(
        default=False, help_text="Deleted by its author: its title, link and text are gone."
    )
    is_removed = models.BooleanField(
        default=False, help_text="Removed by a moderator: off the front page, text kept."
    )
    pinned_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Pinned to the top of the front page at this place (1 is first); "
        "empty when not pinned.",
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="thread_unique_source"
            ),
        ]
        indexes = [
            # Each front-page order is read from its own index, tie-breaks included, so
            # page 50 costs what page 1 does.
            models.Index(fields=["-score", "-created_at", "-id"], name="thread_top_order_idx"),
            models.Index(fields=["-hot_rank", "-created_at", "-id"], name="thread_hot_idx"),
            models.Index(fields=["author", "-created_at"], name="thread_author_idx"),
            models.Index(
                fields=["pinned_position"],
                condition=Q(pinned_position__isnull=False),
                name="thread_pinned_idx",
            ),
        ]

    def __str__(self):
        return presentation.thread_title_text(self)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:80].strip("-") or "thread"
        if self._state.adding and not self.hot_rank:
            self.hot_rank = sorting.hot_rank(self.score, self.created_at, timezone.now())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("threads:thread-detail", kwargs={"pk": self.pk, "slug": self.url_slug})

    @property
    def url_slug(self) -> str:
        """The slug in the thread's address: a removed thread's title stays out of links."""
        return "removed" if self.is_removed else self.slug

    @property
    def is_gone(self) -> bool:
        """Deleted by its author or removed by a moderator (``presentation.thread_title_text``)."""
        return self.is_deleted or self.is_removed

    @property
    def is_open(self) -> bool:
        """Takes new comments and votes (``OPEN_THREAD``)."""
        return not (self.is_locked or self.is_gone)

    @property
    def import_source(self) -> str:
        return self.source


class CommentQuerySet(TreeQuerySet):
    def for_thread(self, thread):
        return self.filter(thread=thread)

    def visible(self):
        """Comments whose text the public may read: neither deleted nor removed."""
        return self.filter(is_deleted=False, is_removed=False)

    def delete(self):
        tree.ensure_purging("Deleting comments with a queryset")
        return super().delete()

    delete.queryset_only = True


class CommentManager(TreeManager.from_queryset(CommentQuerySet)):
    def rebuild(self, *args, **kwargs):
        raise tree.TreeGuardError(
            "rebuild() renumbers every tree from 1 and knows nothing of descendant_count; "
            "threads.integrity.tree_problems() says what is wrong instead."
        )

    def partial_rebuild(self, *args, **kwargs):
        self.rebuild()

    def move_node(self, *args, **kwargs):
        raise tree.TreeGuardError("Comments never move: a reply stays under its parent.")


class Comment(Contribution, MPTTModel):
    # No single-column indexes on thread and author: the composite indexes below start
    # with them, and each index would be one more to keep for every inserted row.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    tree_id = models.PositiveIntegerField(db_index=True, editable=False)
    descendant_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Replies below this comment, at any depth."
    )
    body = models.TextField(help_text="The text as written (Markdown).")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_time_unknown = models.BooleanField(
        default=False,
        help_text="Edited at its source at a time the source did not give (edited_at stays "
        "empty); a known time in edited_at wins.",
    )
    is_score_hidden = models.BooleanField(
        default=False, help_text="Imported: its source hides the score for now; none is shown."
    )
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author.")
    is_removed = models.BooleanField(default=False, help_text="Removed by a moderator.")
    source_id = models.CharField(
        max_length=100, blank=True, help_text="The comment's id in the source it was imported from."
    )

    objects = CommentManager()

    class Meta:
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["thread", "tree_id"], name="comment_thread_tree_idx"),
            # Covers the one query that picks a page's top-level comments, so a thread of
            # 100,000 comments reads its roots from the index alone, never the table.
            models.Index(
                fields=[
                    "thread",
                    "tree_id",
                    "descendant_count",
                    "upvotes",
                    "downvotes",
                    "score",
                    "created_at",
                    "level",
                ],
                condition=Q(level=0),
                name="comment_roots_idx",
            ),  # fmt: skip
            # Imported comments have no account; leaving them out keeps the index small
            # and spares it the rows a reply renumbers in imported threads.
            models.Index(
                fields=["author", "-created_at"],
                condition=Q(author__isnull=False),
                name="comment_author_idx",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.thread_id}"

    def save(self, *args, **kwargs):
        """Rows are numbered by ``threads.tree`` before they are saved; django-mptt's own
        numbering (a new row without numbers, a changed parent) would skip the counters."""
        if self._state.adding and not (self.lft and self.rght):
            raise tree.TreeGuardError(
                "A new comment needs its tree numbers: post it with services.comment_create."
            )
        if not self._state.adding and self.parent_id != self._mptt_cached_fields.get("parent"):
            raise tree.TreeGuardError("Comments never move: a reply stays under its parent.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("threads:comment-detail", kwargs={"pk": self.pk})

    @property
    def import_source(self) -> str:
        # Only an imported name needs its thread's key: no query for members' comments.
        return self.thread.source if self.author_name and self.author_id is None else ""

    @property
    def is_gone(self) -> bool:
        """Deleted by its author or removed by a moderator: the public sees a placeholder
        instead of the text (``threads.presentation.comment_body_html``)."""
        return self.is_deleted or self.is_removed

    def delete(self, *args, **kwargs):
        raise tree.TreeGuardError(tree.BYPASS.format(what="Comment.delete()"))


# No index may hold lft or rght. A reply shifts lft/rght of every comment after it in its
# top-level subtree; when no index holds those columns, PostgreSQL rewrites each shifted
# row in place on its page (a HOT update, helped by the table's fillfactor 50) instead of
# adding an entry to every index for it: 1,100 shifted rows cost 4 ms instead of 11.
# django-mptt adds an index on (tree_id, lft) to every tree model; the tree_id index
# serves the same lookups here, because a top-level subtree is small enough to sort.
Comment._meta.indexes = [
    index for index in Comment._meta.indexes if tuple(index.fields) != ("tree_id", "lft")
]


def shown_author(author, author_name: str, source: str = "") -> str:
    """Accounts show their username; imported names show with their source beside them
    ("alice (reddit)"); deleted accounts vanish: ``presentation.author_label``'s rule."""
    if author is not None:
        return author.get_username()
    return presentation.author_label("", author_name, source)


class VoteQuerySet(models.QuerySet):
    def tallies(self, field: str) -> dict[int, tuple[int, int, int]]:
        """``item id -> (score, upvotes, downvotes)`` by these votes; ``field`` names the
        item (``"comment_id"`` or ``"thread_id"``). One grouped query."""
        rows = self.values_list(field, "value").annotate(n=models.Count("pk")).order_by()
        tallies: dict[int, tuple[int, int, int]] = {}
        for item, value, n in rows:
            score, ups, downs = tallies.get(item, (0, 0, 0))
            if value == Vote.UP:
                tallies[item] = (score + n, ups + n, downs)
            else:
                tallies[item] = (score - n, ups, downs + n)
        return tallies


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

    objects = VoteQuerySet.as_manager()

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


# Moderation: bans, reports and the public log of every moderator action.

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


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _refuse_deleting_a_voter(sender, instance, **kwargs):
    """Deleting an account row takes its vote rows along but not the scores they moved:
    ``services.account_remove`` withdraws the votes first, so only it gets past here."""
    if Vote.objects.filter(user_id=instance.pk).exists():
        raise tree.TreeGuardError(
            "This account has votes; remove it with services.account_remove, which takes "
            "them back from the scores first."
        )


from threads.models.community import Block, InboxItem, SavedItem  # noqa: E402, F401
from threads.models.profile import Profile  # noqa: E402, F401  (a model module of its own)
