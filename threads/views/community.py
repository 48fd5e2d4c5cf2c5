"""Blocking members and saving comments and threads: the buttons, and the lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threads import selectors, services
from threads.models import Comment, Thread
from threads.views.answers import back_to, refusals_answered, wants_json

BLOCKED = (
    "You blocked {name}. Their comments and threads are folded for you, and their replies "
    "and mentions no longer reach your inbox. Only you know."
)
UNBLOCKED = "You unblocked {name}."


@refusals_answered
@require_POST
def user_block(request, username):
    """Block (``block=1``) or unblock (``block=0``) a member; only the blocker knows."""
    other = get_object_or_404(get_user_model(), username=username)
    page = reverse("threads:user-detail", kwargs={"username": other.get_username()})
    if not request.user.is_authenticated:
        return redirect_to_login(page)
    block = request.POST.get("block", "1") != "0"
    if block:
        services.user_block(user=request.user, blocked=other)
    else:
        services.user_unblock(user=request.user, blocked=other)
    if wants_json(request):
        return JsonResponse({"blocked": block})
    message = BLOCKED if block else UNBLOCKED
    messages.success(request, message.format(name=other.get_username()))
    return redirect(reverse("threads:blocked") if request.POST.get("next") == "blocked" else page)


@login_required
def blocked(request):
    """The members you block, each with an unblock button."""
    return render(
        request, "threads/blocked.html", {"blocks": selectors.blocked_users(request.user)}
    )


def _save(request, item, back: str):
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    save = request.POST.get("save", "1") != "0"
    if save:
        services.item_save(user=request.user, item=item)
    else:
        services.item_unsave(user=request.user, item=item)
    if wants_json(request):
        return JsonResponse({"saved": save})
    return redirect(back)


@refusals_answered
@require_POST
def comment_save(request, pk):
    """Save (``save=1``) or unsave (``save=0``) a comment; back to where it was."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    back = (
        reverse("threads:saved")
        if request.POST.get("next") == "saved"
        else back_to(request, comment, comment.thread)
    )
    return _save(request, comment, back)


@refusals_answered
@require_POST
def thread_save(request, pk):
    """Save or unsave a thread."""
    thread = get_object_or_404(Thread, pk=pk)
    back = (
        reverse("threads:saved")
        if request.POST.get("next") == "saved"
        else thread.get_absolute_url()
    )
    return _save(request, thread, back)


@login_required
def saved(request):
    """What the member saved, newest first; comments as the visibility rule shows them."""
    return render(
        request,
        "threads/saved.html",
        {"page": selectors.saved_page(request.user, request.GET.get("page"))},
    )
