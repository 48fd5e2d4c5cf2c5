"""The admin's users and bans: Django's user admin with ban and unban actions, deletes
through ``services.account_remove``, and accounts read-only to moderators (only superusers
see passwords, staff flags, groups and permissions); the record of every ban.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from threads import services
from threads.account_forms import AdminAccountCreationForm
from threads.admin_base import (
    BanForm,
    ReadOnlyAdmin,
    action_with_form,
    deleted_by_service,
    run_action,
)
from threads.models import Ban

User = get_user_model()


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
