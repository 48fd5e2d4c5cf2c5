"""What every admin module builds on: the reason and ban forms, the two ways an action
runs its service per object (``run_action``, and ``action_with_form`` when it must ask for a
reason first), the delete confirmation for deletes a service does, and the read-only
mixins. Kept apart so each admin module takes them from one place and none imports another.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from threads import limits


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
