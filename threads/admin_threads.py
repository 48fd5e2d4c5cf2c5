"""The admin's threads: remove, restore, pin and unpin them, their report queue, and the
superuser's delete, every one through the services (``threads.services.thread_moderation``
and ``thread_purge``), which log it. Loaded from the end of ``threads.admin``.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.text import Truncator

from threads import limits, presentation, services
from threads.admin import ThreadAdmin
from threads.admin_base import (
    ReadOnlyDetailMixin,
    ReasonForm,
    action_with_form,
    deleted_by_service,
    run_action,
)
from threads.admin_comments import OpenReportsQueueMixin, ReportAdmin
from threads.models import Report, ReportedThread, Thread

THREAD_PURGE_REASON = "thread deleted for good from the admin by a superuser"


class PinForm(forms.Form):
    position = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=limits.MAX_PINNED_THREADS,
        label="Place",
        help_text=f"1 is the top; empty puts them last. At most {limits.MAX_PINNED_THREADS} "
        "threads are pinned.",
    )
    reason = forms.CharField(
        required=False,
        max_length=limits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Optional; shown on the public moderation log.",
    )


def describe_thread(thread) -> str:
    title = presentation.thread_title_text(thread, moderator_view=True)
    return f"#{thread.pk} “{Truncator(title).chars(80)}” by {thread.shown_author}"


class ThreadStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("visible", "visible"), ("deleted", "deleted"), ("removed", "removed"),
                ("pinned", "pinned")]  # fmt: skip

    def queryset(self, request, queryset):
        chosen = {
            "visible": Q(is_deleted=False, is_removed=False),
            "deleted": Q(is_deleted=True),
            "removed": Q(is_removed=True),
            "pinned": Q(pinned_position__isnull=False),
        }.get(self.value())
        return queryset if chosen is None else queryset.filter(chosen)


class ThreadActionsMixin:
    """Remove (asks for a reason) and restore, shared by threads and their report queue."""

    @admin.action(description="Remove selected threads (asks for a reason)", permissions=["change"])
    def remove_threads(self, request, queryset):
        def remove(thread, data):
            return services.thread_remove(
                moderator=request.user, thread=thread, reason=data["reason"]
            )

        return action_with_form(
            self,
            request,
            queryset.select_related("author"),
            action="remove_threads",
            form_class=ReasonForm,
            title="Remove threads",
            submit="Remove",
            describe=describe_thread,
            apply=remove,
            done="Removed {count} thread{s}; their open reports are resolved.",
        )

    @admin.action(description="Restore selected threads", permissions=["change"])
    def restore_threads(self, request, queryset):
        def restore(thread):
            return services.thread_restore(moderator=request.user, thread=thread)

        run_action(self, request, queryset, restore, done="Restored {count} thread{s}.")

    @admin.display(description="title")
    def shown_title(self, thread):
        return Truncator(presentation.thread_title_text(thread, moderator_view=True)).chars(120)

    @admin.display(description="state")
    def state(self, thread):
        if thread.is_removed:
            return "removed"
        if thread.is_deleted:
            return "deleted"
        return f"pinned ({thread.pinned_position})" if thread.pinned_position else "visible"


class ForumThreadAdmin(ThreadActionsMixin, ThreadAdmin):
    list_display = ["shown_title", "shown_author", "created_at", "score", "comment_count",
                    "is_locked", "state"]  # fmt: skip
    list_filter = [ThreadStateFilter, *ThreadAdmin.list_filter]
    actions = [*ThreadAdmin.actions, "remove_threads", "restore_threads", "pin_threads",
               "unpin_threads"]  # fmt: skip

    @admin.action(description="Pin selected threads to the front page", permissions=["change"])
    def pin_threads(self, request, queryset):
        def pin(thread, data):
            place = data["position"]
            if place is not None:  # several at once stand in the order they were chosen
                place = min(place + chosen.index(thread.pk), limits.MAX_PINNED_THREADS)
            return services.thread_pin(
                moderator=request.user, thread=thread, position=place, reason=data["reason"]
            )

        queryset = queryset.select_related("author").order_by("pk")
        chosen = list(queryset.values_list("pk", flat=True))
        return action_with_form(
            self, request, queryset, action="pin_threads", form_class=PinForm,
            title="Pin threads", submit="Pin", describe=describe_thread, apply=pin,
            done="Pinned {count} thread{s}.",
        )  # fmt: skip

    @admin.action(description="Unpin selected threads", permissions=["change"])
    def unpin_threads(self, request, queryset):
        def unpin(thread):
            return services.thread_unpin(moderator=request.user, thread=thread)

        run_action(self, request, queryset, unpin, done="Unpinned {count} thread{s}.")

    def has_delete_permission(self, request, obj=None):
        # Only a superuser purges; moderators remove, which keeps the text for the record.
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.thread_purge(moderator=request.user, thread=obj, reason=THREAD_PURGE_REASON)

    def get_deleted_objects(self, objs, request):
        return deleted_by_service(super().get_deleted_objects(objs, request))

    def delete_queryset(self, request, queryset):
        for thread in queryset:
            services.thread_purge(moderator=request.user, thread=thread, reason=THREAD_PURGE_REASON)


admin.site.unregister(Thread)
admin.site.register(Thread, ForumThreadAdmin)


@admin.register(ReportedThread)
class ThreadReportQueueAdmin(
    OpenReportsQueueMixin, ThreadActionsMixin, ReadOnlyDetailMixin, admin.ModelAdmin
):
    """Threads with open reports, most reported first, with what the reporters said."""

    list_display = ["shown_title", "open_reports", "reasons", "shown_author", "state"]
    search_fields = ["title", "body", "author__username"]
    actions = ["remove_threads", "dismiss_reports"]

    queue_select_related = ["author"]

    @admin.display(description="author")
    def shown_author(self, thread):
        return thread.shown_author

    @admin.action(description="Dismiss the reports of selected threads", permissions=["change"])
    def dismiss_reports(self, request, queryset):
        def dismiss(thread):
            return services.thread_reports_dismiss(moderator=request.user, thread=thread)

        run_action(
            self, request, queryset, dismiss, done="Dismissed the reports of {count} thread{s}."
        )


class ForumReportAdmin(ReportAdmin):
    """Every report, of a comment or of a thread."""

    list_display = ["created_at", "reporter", "comment", "thread", "reason", "status",
                    "resolved_by"]  # fmt: skip
    list_select_related = ["reporter", "comment", "thread", "resolved_by"]


admin.site.unregister(Report)
admin.site.register(Report, ForumReportAdmin)
