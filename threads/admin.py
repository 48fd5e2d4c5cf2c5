"""The admin: threads and comments, the comment list indented as the tree it is."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from threads.models import Comment, Thread, Vote

INDENT_EM_PER_LEVEL = 1.5


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "shown_author", "created_at", "score", "comment_count", "is_locked"]
    list_filter = ["is_locked", "created_at"]
    search_fields = ["title", "author__username", "author_name"]
    readonly_fields = ["score", "upvotes", "downvotes", "comment_count", "source"]
    raw_id_fields = ["author"]
    date_hierarchy = "created_at"

    @admin.display(description="author")
    def shown_author(self, thread):
        return thread.shown_author


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["indented_text", "shown_author", "thread", "score", "created_at", "state"]
    list_filter = ["is_deleted", "is_removed", "created_at"]
    search_fields = ["body", "author__username", "author_name"]
    list_select_related = ["author", "thread"]
    ordering = ["thread", "tree_id", "lft"]
    raw_id_fields = ["author", "parent", "thread"]
    readonly_fields = ["score", "upvotes", "downvotes", "source_id", "edited_at"]
    exclude = ["lft", "rght", "tree_id", "level"]

    @admin.display(description="comment")
    def indented_text(self, comment):
        snippet = Truncator(comment.body or "[deleted]").chars(80)
        return format_html(
            '<span style="padding-left:{}em">{}</span>',
            comment.level * INDENT_EM_PER_LEVEL,
            snippet,
        )

    @admin.display(description="author")
    def shown_author(self, comment):
        return comment.shown_author

    @admin.display(description="state")
    def state(self, comment):
        if comment.is_removed:
            return "removed"
        if comment.is_deleted:
            return "deleted"
        return "visible"


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["user", "value", "comment", "thread", "created_at"]
    raw_id_fields = ["user", "comment", "thread"]
