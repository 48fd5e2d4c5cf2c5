"""What is written here: threads and their comment trees, and what the two share.

Each top-level comment is the root of its own MPTT tree whose ``tree_id`` is the root's
own primary key, so a reply renumbers only its own top-level subtree and a new
top-level comment never has to read a table-wide ``MAX(tree_id)``. Each comment also keeps
its ``descendant_count``, the number the page budget reads for top-level comments.
``threads.tree`` is the one place that numbers trees; the parts of django-mptt that
would renumber or delete behind its back refuse to run here (see ``threads.tree``).
Votes and moderation point at these models and live beside them (``votes``, ``moderation``).
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
