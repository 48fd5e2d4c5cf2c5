"""The admin's comments and reports: the comment list with its filters, remove and
restore (``CommentActionsMixin``), the superuser's purge, and the report queues
(``OpenReportsQueueMixin``, shared with the thread queue in ``threads.admin_threads``) with
the record of every report. Moderators read comments through ``moderator_text``.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from threads import presentation, services
from threads.admin_base import (
    ReadOnlyAdmin,
    ReadOnlyDetailMixin,
    ReasonForm,
    action_with_form,
    deleted_by_service,
    run_action,
)
from threads.models import Comment, Report, ReportedComment, Thread
from threads.params import whole_number
from threads.search import admin as search_admin

# A comment's depth shows as an indent class (static/threads/admin.css): an inline style
# would break the content security policy. Deeper comments share the deepest indent.
INDENT_LEVELS = 12
PURGE_REASON = "deleted for good from the admin by a superuser"
THREAD_FILTER_CHOICES = 30


class CommentStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("visible", "visible"), ("deleted", "deleted"), ("removed", "removed")]

    def queryset(self, request, queryset):
        if self.value() == "visible":
            return queryset.filter(is_deleted=False, is_removed=False)
        if self.value() == "deleted":
            return queryset.filter(is_deleted=True)
        if self.value() == "removed":
            return queryset.filter(is_removed=True)
        return queryset


class ThreadFilter(admin.SimpleListFilter):
    """The newest threads (and the chosen one): a full list would not fit a sidebar."""

    title = "thread"
    parameter_name = "thread"

    def lookups(self, request, model_admin):
        threads = list(Thread.objects.order_by("-created_at", "-id")[:THREAD_FILTER_CHOICES])
        chosen = whole_number(self.value())
        if chosen is not None and all(t.pk != chosen for t in threads):
            threads = list(Thread.objects.filter(pk=chosen)) + threads
        return [(str(t.pk), Truncator(t).chars(50)) for t in threads]

    def queryset(self, request, queryset):
        if self.value():  # not a thread's number: no thread's comments
            return queryset.filter(thread_id=whole_number(self.value()) or 0)
        return queryset


def moderator_text(comment) -> str:
    """What moderators read of a comment: its text, removed or not; deleted ones are gone."""
    return presentation.comment_body_text(comment, moderator_view=True)


def describe_comment(comment) -> str:
    snippet = Truncator(moderator_text(comment)).chars(80)
    return f"#{comment.pk} by {comment.shown_author} on “{comment.thread}”: {snippet}"


class CommentActionsMixin:
    """Remove (asks for a reason) and restore, shared by comments and the report queue."""

    @admin.action(
        description="Remove selected comments (asks for a reason)", permissions=["change"]
    )
    def remove_comments(self, request, queryset):
        def remove(comment, data):
            return services.comment_remove(
                moderator=request.user, comment=comment, reason=data["reason"]
            )

        return action_with_form(
            self,
            request,
            queryset.select_related("author", "thread"),
            action="remove_comments",
            form_class=ReasonForm,
            title="Remove comments",
            submit="Remove",
            describe=describe_comment,
            apply=remove,
            done="Removed {count} comment{s}; their open reports are resolved.",
        )

    @admin.action(description="Restore selected comments", permissions=["change"])
    def restore_comments(self, request, queryset):
        def restore(comment):
            return services.comment_restore(moderator=request.user, comment=comment)

        run_action(self, request, queryset, restore, done="Restored {count} comment{s}.")

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


@admin.register(Comment)
class CommentAdmin(CommentActionsMixin, ReadOnlyDetailMixin, admin.ModelAdmin):
    class Media:
        css = {"all": ["threads/admin.css"]}

    list_display = ["indented_text", "shown_author", "thread", "score", "created_at", "state"]
    list_filter = [ThreadFilter, CommentStateFilter, "created_at"]
    search_fields = ["author__username", "author_name"]  # and the words: get_search_results
    list_select_related = ["author", "thread"]
    ordering = ["thread", "tree_id", "lft"]
    exclude = ["lft", "rght", "tree_id", "level"]
    actions = ["remove_comments", "restore_comments"]

    def get_search_results(self, request, queryset, search_term):
        """Authors by name, and words through the search index (stems, "phrases",
        -exclusions, OR), removed comments included: moderators search what they judge."""
        return search_admin.comment_search_results(
            queryset, search_term, super().get_search_results(request, queryset, search_term)
        )

    def has_delete_permission(self, request, obj=None):
        # Only a superuser purges; moderators remove, which keeps the text for the record.
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.comment_purge(moderator=request.user, comment=obj, reason=PURGE_REASON)

    def get_deleted_objects(self, objs, request):
        return deleted_by_service(super().get_deleted_objects(objs, request))

    def delete_queryset(self, request, queryset):
        # Tree order: a purged parent takes its replies along, and a reply purged after its
        # parent is already gone and counts nothing.
        for comment in queryset.order_by("tree_id", "lft"):
            services.comment_purge(moderator=request.user, comment=comment, reason=PURGE_REASON)

    @admin.display(description="comment")
    def indented_text(self, comment):
        snippet = Truncator(moderator_text(comment)).chars(80)
        level = min(comment.level, INDENT_LEVELS)
        return format_html('<span class="indent indent-{}">{}</span>', level, snippet)


# Reports


class OpenReportsQueueMixin:
    """A report queue: the items with open reports, most reported first, each with what its
    reporters said; nothing in it is deleted from here (the comment and thread queues)."""

    queue_select_related: list[str] = []

    def get_queryset(self, request):
        open_reports = Report.objects.filter(status=Report.Status.OPEN).select_related("reporter")
        # Not super(): it orders by the annotation before the annotation exists.
        return (
            self.model._default_manager.annotate(
                open_reports=Count("reports", filter=Q(reports__status=Report.Status.OPEN))
            )
            .filter(open_reports__gt=0)
            .order_by(*self.get_ordering(request))
            .select_related(*self.queue_select_related)
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=open_reports.order_by("created_at", "id"),
                    to_attr="open_report_list",
                )
            )
        )

    def get_ordering(self, request):
        return ["-open_reports", "-id"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="reports", ordering="open_reports")
    def open_reports(self, item):
        return item.open_reports

    @admin.display(description="reasons")
    def reasons(self, item):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><b>{}</b>: {}</li>",
                ((r.reporter.get_username(), r.reason) for r in item.open_report_list),
            ),
        )


@admin.register(ReportedComment)
class ReportQueueAdmin(
    OpenReportsQueueMixin, CommentActionsMixin, ReadOnlyDetailMixin, admin.ModelAdmin
):
    """Comments with open reports, most reported first, with what the reporters said."""

    list_display = ["snippet", "open_reports", "reasons", "shown_author", "thread", "state"]
    search_fields = ["body", "author__username"]
    actions = ["remove_comments", "dismiss_reports"]

    queue_select_related = ["author", "thread"]

    @admin.display(description="comment")
    def snippet(self, comment):
        return Truncator(moderator_text(comment)).chars(120)

    @admin.action(description="Dismiss the reports of selected comments", permissions=["change"])
    def dismiss_reports(self, request, queryset):
        def dismiss(comment):
            return services.reports_dismiss(moderator=request.user, comment=comment)

        run_action(
            self, request, queryset, dismiss, done="Dismissed the reports of {count} comment{s}."
        )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Every report ever made, open or resolved: the record behind the queue."""

    list_display = ["created_at", "reporter", "comment", "reason", "status", "resolved_by"]
    list_filter = ["status", "created_at"]
    search_fields = ["reason", "reporter__username"]
    list_select_related = ["reporter", "comment", "resolved_by"]
