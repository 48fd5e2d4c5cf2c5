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
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from threads import limits, presentation, services
from threads.account_forms import AdminAccountCreationForm
from threads.models import (
    Ban,
    Comment,
    ModerationLog,
    Report,
    ReportedComment,
    Thread,
    Vote,
)
from threads.params import whole_number
from threads.search import admin as search_admin

# A comment's depth shows as an indent class (static/threads/admin.css): an inline style
# would break the content security policy. Deeper comments share the deepest indent.
INDENT_LEVELS = 12
PURGE_REASON = "deleted for good from the admin by a superuser"
THREAD_FILTER_CHOICES = 30
User = get_user_model()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=limits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown on the public moderation log.",
    )


class BanForm(ReasonForm):
    until = forms.DateTimeField(
        required=False,
        label="Banned until",
        help_text="UTC, e.g. 2030-01-31 18:00. Leave empty for a permanent ban.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def run_action(modeladmin, request, objects, apply, *, done: str) -> None:
    """Call ``apply`` per object (a service returning an ``Outcome``); report how many
    changed and why any were refused."""
    changed = 0
    for obj in objects:
        try:
            changed += apply(obj).changed
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{obj}: {_error_text(error)}", messages.ERROR)
    modeladmin.message_user(
        request, done.format(count=changed, s="" if changed == 1 else "s"), messages.SUCCESS
    )


def action_with_form(
    modeladmin, request, queryset, *, action, form_class, title, submit, describe, apply, done
):
    """An action that first asks for a reason, like Django's delete confirmation page.

    The page posts the selection back to the changelist with ``apply`` set; only then does
    the action run. ``apply(obj, cleaned_data)`` returns the service's ``Outcome``.
    """
    objects = list(queryset)
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        run_action(modeladmin, request, objects, lambda o: apply(o, form.cleaned_data), done=done)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "submit": submit,
        "form": form,
        "items": [describe(obj) for obj in objects],
        "selected": [obj.pk for obj in objects],
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/threads/moderation_action.html", context)


def deleted_by_service(found):
    """The confirmation page's list of what goes, without asking for delete permission on
    the rows a service takes along (votes, reports, bans): the superuser deleting is not
    deleting those one by one, the purge or account-removal service is."""
    deleted_objects, model_count, _perms_needed, protected = found
    return deleted_objects, model_count, set(), protected


class ReadOnlyDetailMixin:
    """Lists and actions, but no adding and a read-only detail page."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records: nobody adds, edits or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# Comments


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


# Users and bans


class BannedFilter(admin.SimpleListFilter):
    title = "banned"
    parameter_name = "banned"

    def lookups(self, request, model_admin):
        return [("yes", "banned"), ("no", "not banned")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_banned=True)
        if self.value() == "no":
            return queryset.filter(is_banned=False)
        return queryset


admin.site.unregister(User)


@admin.register(User)
class ForumUserAdmin(UserAdmin):
    """Django's user admin plus ban/unban; only superusers edit accounts themselves."""

    add_form = AdminAccountCreationForm  # new accounts follow the name rules (threads.names)
    list_display = ["username", "email", "is_staff", "is_active", "banned", "date_joined"]
    list_filter = [*UserAdmin.list_filter, BannedFilter]
    actions = ["ban_users", "unban_users"]
    moderator_fieldsets = [
        (None, {"fields": ["username"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Status", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(is_banned=Exists(Ban.objects.active().filter(user=OuterRef("pk"))))
        )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.moderator_fieldsets

    def has_change_permission(self, request, obj=None):
        # Moderators may run the ban actions but see accounts read-only.
        if obj is not None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Only superusers can change passwords.")
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.account_remove(user=obj, by=request.user)

    def get_deleted_objects(self, objs, request):
        return deleted_by_service(super().get_deleted_objects(objs, request))

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.account_remove(user=user, by=request.user)

    @admin.display(description="banned", boolean=True, ordering="is_banned")
    def banned(self, user):
        return user.is_banned

    @admin.action(description="Ban selected users (asks for a reason)", permissions=["change"])
    def ban_users(self, request, queryset):
        def ban(user, data):
            return services.user_ban(
                moderator=request.user, user=user, reason=data["reason"], until=data["until"]
            )

        return action_with_form(
            self,
            request,
            queryset,
            action="ban_users",
            form_class=BanForm,
            title="Ban users",
            submit="Ban",
            describe=lambda user: user.get_username(),
            apply=ban,
            done="Banned {count} user{s}.",
        )

    @admin.action(description="Unban selected users", permissions=["change"])
    def unban_users(self, request, queryset):
        def unban(user):
            return services.user_unban(moderator=request.user, user=user)

        run_action(self, request, queryset, unban, done="Unbanned {count} user{s}.")


@admin.register(Ban)
class BanAdmin(ReadOnlyAdmin):
    list_display = ["user", "term", "reason", "banned_by", "created_at", "lifted_at"]
    list_filter = ["created_at", "lifted_at"]
    search_fields = ["user__username", "reason"]
    list_select_related = ["user", "banned_by"]


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
