"""The admin: where moderators keep order.

Every moderation change goes through an action that calls a service in
``threads.services``, which writes the log entry in the same transaction and says
whether anything changed. The change forms of threads, comments and users are
read-only for that reason (content belongs to its author; the flags that matter are
flipped by logged actions). Deletes go through services too: a superuser's delete of
comments is ``services.comment_purge`` (tree and counts kept right, logged), of users
``services.account_remove`` (votes withdrawn, words kept as "[deleted]"); moderators
delete nothing. Moderators cannot touch passwords, staff flags, groups or permissions:
only superusers see and edit those.

The code lives in one module per concern, all loaded from here so that Django's
autodiscovery of ``threads.admin`` registers everything; the names stay importable from here:

- ``threads.admin_base``: the reason forms, the action runners, the read-only mixins
- ``threads.admin_comments``: comments, their report queue, and every report
- ``threads.admin_users``: users (with ban and unban) and bans
- ``threads.admin_threads``: threads' removal, pins, report queue and purge
- this module: threads' locks, the moderation log and votes
"""

from django.contrib import admin
from django.db import models

from threads import presentation, services
from threads.admin_base import (
    BanForm,
    ReadOnlyAdmin,
    ReadOnlyDetailMixin,
    ReasonForm,
    action_with_form,
    deleted_by_service,
    run_action,
)
from threads.admin_comments import (
    INDENT_LEVELS,
    PURGE_REASON,
    THREAD_FILTER_CHOICES,
    CommentActionsMixin,
    CommentAdmin,
    CommentStateFilter,
    OpenReportsQueueMixin,
    ReportAdmin,
    ReportQueueAdmin,
    ThreadFilter,
    describe_comment,
    moderator_text,
)
from threads.admin_users import BanAdmin, BannedFilter, ForumUserAdmin, User
from threads.models import ModerationLog, Thread, Vote

__all__ = [
    "INDENT_LEVELS",
    "PURGE_REASON",
    "THREAD_FILTER_CHOICES",
    "BanAdmin",
    "BanForm",
    "BannedFilter",
    "CommentActionsMixin",
    "CommentAdmin",
    "CommentStateFilter",
    "ForumUserAdmin",
    "ModerationLogAdmin",
    "OpenReportsQueueMixin",
    "ReadOnlyAdmin",
    "ReadOnlyDetailMixin",
    "ReasonForm",
    "ReportAdmin",
    "ReportQueueAdmin",
    "ThreadAdmin",
    "ThreadFilter",
    "User",
    "VoteAdmin",
    "action_with_form",
    "deleted_by_service",
    "describe_comment",
    "moderator_text",
    "run_action",
]


# Threads


@admin.register(Thread)
class ThreadAdmin(ReadOnlyDetailMixin, admin.ModelAdmin):
    list_display = ["title", "shown_author", "created_at", "score", "comment_count", "is_locked"]
    list_filter = ["is_locked", "created_at"]
    search_fields = ["title", "author__username", "author_name"]
    list_select_related = ["author"]
    date_hierarchy = "created_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["lock_threads", "unlock_threads"]

    @admin.display(description="author")
    def shown_author(self, thread):
        return thread.shown_author

    @admin.action(description="Lock selected threads", permissions=["change"])
    def lock_threads(self, request, queryset):
        def lock(thread):
            return services.thread_lock(moderator=request.user, thread=thread)

        run_action(self, request, queryset, lock, done="Locked {count} thread{s}.")

    @admin.action(description="Unlock selected threads", permissions=["change"])
    def unlock_threads(self, request, queryset):
        def unlock(thread):
            return services.thread_unlock(moderator=request.user, thread=thread)

        run_action(self, request, queryset, unlock, done="Unlocked {count} thread{s}.")


# The log


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "moderator", "action", "target", "reason", "detail"]
    list_filter = ["action", "created_at"]
    search_fields = ["reason", "moderator__username"]
    list_select_related = ["moderator", "thread", "comment", "user"]
    date_hierarchy = "created_at"

    @admin.display(description="on")
    def target(self, entry):
        if entry.comment_id:
            return f"comment #{entry.comment_id}"
        if entry.thread_id:
            title = presentation.thread_title_text(entry.thread, moderator_view=True)
            return f"thread “{title}”"
        if entry.user_id:
            return f"user {entry.user}"
        return "—"


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Votes change only through ``services.vote_cast``, which keeps the counts in step."""

    list_display = ["user", "value", "comment", "thread", "created_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "comment", "thread"]


# Threads' removal, pins, report queue and purge: a module of their own.
from threads import admin_threads  # noqa: E402, F401
