"""A thread's own actions: its author edits and deletes it, readers report it, moderators
remove, restore and pin it. Each works without JavaScript as a form and a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads import limits, presentation, services
from threads.forms import ThreadBodyForm
from threads.models import Thread
from threads.views.answers import refusals_answered

THREAD_EDITED = "Your thread is updated."
THREAD_DELETED = "Your thread is deleted; its comments stay."
BAD_MODERATION = "Choose remove, restore, pin or unpin."
BAD_POSITION = "The pin's place is a whole number from 1 to {limit}."
MODERATED = {
    "remove": ("Thread removed.", "Thread was already removed."),
    "restore": ("Thread restored.", "Thread was not removed."),
    "pin": ("Thread pinned.", "Thread was already pinned there."),
    "unpin": ("Thread unpinned.", "Thread was not pinned."),
}


@refusals_answered
@login_required
def thread_edit(request, pk):
    """The author edits their thread's text (not its title)."""
    thread = get_object_or_404(Thread.objects.with_author(), pk=pk)
    services.ensure_author_can_change_thread(request.user, thread)
    if thread.is_deleted:
        raise ValidationError(services.THREAD_ALREADY_DELETED)
    form = ThreadBodyForm(request.POST or None, initial={"body": thread.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_edit(user=request.user, thread=thread, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        except PermissionDenied as error:  # locked or removed meanwhile: keep what was typed
            form.add_error("body", str(error))
            status = 403
        else:
            messages.success(request, THREAD_EDITED)
            return redirect(thread)
    if form.errors and status == 200:
        status = 400
    return render(
        request, "threads/thread_edit.html", {"form": form, "thread": thread}, status=status
    )


@refusals_answered
@login_required
def thread_delete(request, pk):
    """The author deletes their thread; GET asks first."""
    thread = get_object_or_404(Thread.objects.with_author(), pk=pk)
    services.ensure_author_can_change_thread(request.user, thread)
    if request.method == "POST":
        services.thread_delete(user=request.user, thread=thread)
        messages.success(request, THREAD_DELETED)
        return redirect(thread)
    return render(request, "threads/thread_delete.html", {"thread": thread})


def _position(raw: str) -> int | None:
    """The pin's place from the form: empty means last; anything else must be a number."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError(BAD_POSITION.format(limit=limits.MAX_PINNED_THREADS))
    return int(raw)


def _moderate(request, thread, action: str):
    moderator, reason = request.user, request.POST.get("reason", "")
    if action == "remove":
        return services.thread_remove(moderator=moderator, thread=thread, reason=reason)
    if action == "restore":
        return services.thread_restore(moderator=moderator, thread=thread, reason=reason)
    if action == "unpin":
        return services.thread_unpin(moderator=moderator, thread=thread, reason=reason)
    position = _position(request.POST.get("position", ""))
    return services.thread_pin(moderator=moderator, thread=thread, position=position, reason=reason)


@require_POST
def thread_moderate(request, pk):
    """A moderator removes, restores, pins or unpins a thread from its page. Refusals
    come back on a page that keeps the reason typed."""
    thread = get_object_or_404(Thread.objects.with_author(), pk=pk)
    services.ensure_moderator(request.user, "threads.change_thread")
    action = request.POST.get("action", "")
    try:
        if action not in MODERATED:
            raise ValidationError(BAD_MODERATION)
        outcome = _moderate(request, thread, action)
    except ValidationError as error:
        context = {
            "thread": thread,
            "mod_error": " ".join(error.messages),
            "mod_reason": request.POST.get("reason", ""),
            "moderator_view": presentation.sees_removed_text(request.user),
        }
        return render(request, "threads/thread_moderate.html", context, status=400)
    done, unchanged = MODERATED[action]
    messages.success(request, done if outcome.changed else unchanged)
    return redirect(thread)
