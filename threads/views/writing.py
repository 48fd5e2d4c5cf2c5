"""Pages that write: new threads, replies (with and without the script, with their
previews and the text kept through a login), votes, edits, deletes and reports. Each
calls one service; a refusal is answered by ``threads.views.answers``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threads import drafts, services, writing_aids
from threads.forms import CommentForm, ThreadForm
from threads.models import Comment, Thread
from threads.params import whole_number
from threads.presentation import comment_score_text
from threads.views.answers import (
    back_to,
    comment_url,
    kept_reply,
    refusal,
    refusals_answered,
    wants_json,
)
from threads.views.navigation import local_next
from threads.views.reading import single_comment_html, thread_detail

PARENT_MISSING = "The comment you replied to does not exist."


@refusals_answered
def thread_create(request):
    """Start a new thread; what was sent before logging in comes back in the form."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            drafts.thread_keep(request.session, request.POST)
        return redirect_to_login(request.get_full_path())
    if writing_aids.wants_preview(request):
        form = ThreadForm(initial={k: request.POST.get(k, "") for k in ("title", "url", "body")})
        context = {"form": form, "preview": request.POST.get("body", "")}
        return render(request, "threads/thread_form.html", context)
    kept = drafts.thread_take(request.session) if request.method != "POST" else {}
    form = ThreadForm(request.POST or None, initial=kept)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(thread)
    return render(request, "threads/thread_form.html", {"form": form, "kept": bool(kept)})


@refusals_answered
@require_POST
def thread_reply(request, pk):
    """A new comment on the thread: top-level, or under the comment named by ``parent``."""
    thread = get_object_or_404(Thread, pk=pk)
    parent_id = request.POST.get("parent", "")
    parent = None
    if parent_id:
        parent = Comment.objects.filter(pk=whole_number(parent_id) or 0).first()
        if parent is None:
            raise ValidationError(PARENT_MISSING)
    return _post_reply(request, thread, parent=parent)


@refusals_answered
def comment_reply(request, pk):
    """A reply to a comment. GET opens the reply form under the comment, or, when text
    sent before logging in was kept, a page with that text in the form."""
    parent = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    if request.method == "POST":
        return _post_reply(request, parent.thread, parent=parent)
    kept = kept_reply(request, parent.thread_id, parent.pk)
    if not kept:
        return redirect(_reply_form_url(parent, parent.thread))
    context = {
        "comment": parent,
        "thread": parent.thread,
        "form": CommentForm(initial={"body": kept}),
        "back": comment_url(parent, parent.thread),
        "kept": True,
    }
    return render(request, "threads/comment_reply.html", context)


def _reply_preview(request, thread, parent):
    """The reply form again, holding the typed text, with its preview above it: the
    thread's page for a new comment, the reply page for a reply to a comment."""
    body = request.POST.get("body", "")
    form = CommentForm(initial={"body": body})
    if parent is None:
        return thread_detail(request, thread.pk, thread.slug, form=form, preview=body)
    return _reply_page(request, thread, parent, form=form, preview=body)


def _reply_page(request, thread, parent, *, form, preview=None, status=200):
    """The reply page of ``parent`` with ``form`` as it came back: its text, and its
    errors or preview."""
    context = {"comment": parent, "thread": thread, "form": form, "preview": preview,
               "back": comment_url(parent, thread)}  # fmt: skip
    return render(request, "threads/comment_reply.html", context, status=status)


def _reply_form_url(parent: Comment, thread: Thread) -> str:
    page, anchor = comment_url(parent, thread).split("#")
    return f"{page}?reply={parent.pk}#{anchor}"


def _post_reply(request, thread, *, parent):
    if writing_aids.wants_preview(request):  # anyone may look; posting still needs an account
        return _reply_preview(request, thread, parent)
    if not request.user.is_authenticated:
        # Keep the text and come back to a form that holds it: the thread's own form, or
        # the reply page of the comment.
        drafts.reply_keep(
            request.session,
            thread_id=thread.pk,
            parent_id=parent.pk if parent else None,
            body=request.POST.get("body", ""),
        )
        back = reverse("threads:comment-reply", args=[parent.pk]) if parent else None
        return redirect_to_login(back or thread.get_absolute_url())
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user, thread=thread, parent=parent, body=form.cleaned_data["body"],
                distinguish=form.cleaned_data["distinguish"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("body", error)
        else:
            if wants_json(request):
                return JsonResponse(
                    {"id": comment.pk, "html": single_comment_html(request, thread, comment)},
                    status=201,
                )
            return redirect(comment_url(comment, thread))
    if wants_json(request):
        return refusal(ValidationError(form.errors.get("body", [])))
    if parent is not None:
        # The reply page, not the thread's: the comment answered may be past the thread
        # page's budget, and its form there could not hold the text.
        return _reply_page(request, thread, parent, form=form, status=400)
    return thread_detail(request, thread.pk, thread.url_slug, form=form, status=400)


def _vote(request, item, anchor):
    if not request.user.is_authenticated:
        return redirect_to_login(anchor)
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 0  # no vote at all: the service refuses it in its own words
    vote = services.vote_cast(user=request.user, item=item, value=value)
    if wants_json(request):
        item.refresh_from_db(fields=["score", "upvotes", "downvotes"])
        shown = item.score if isinstance(item, Thread) else comment_score_text(item)
        return JsonResponse({"vote": vote, "score": item.score, "shown": str(shown)})
    return redirect(anchor)


@refusals_answered
def comment_vote(request, pk):
    """Up or down vote on a comment (again to take it back); GET goes back to the comment."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    if request.method != "POST":
        return redirect(comment_url(comment, comment.thread))
    return _vote(request, comment, back_to(request, comment, comment.thread))


@refusals_answered
def thread_vote(request, pk):
    """Up or down vote on a thread."""
    thread = get_object_or_404(Thread, pk=pk)
    if request.method != "POST":
        return redirect(thread)
    return _vote(request, thread, _next_page(request) or thread.get_absolute_url())


def _next_page(request) -> str:
    """Where a form asks to go back to (the front page's vote arrows), if it is this site."""
    return local_next(request, request.POST.get("next"))


@refusals_answered
@login_required
def comment_edit(request, pk):
    """The author edits their comment."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    services.ensure_author_can_change(request.user, comment)
    if writing_aids.wants_preview(request):
        form = CommentForm(initial={"body": request.POST.get("body", "")})
        context = {"form": form, "comment": comment, "preview": request.POST.get("body", "")}
        return render(request, "threads/comment_edit.html", context)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                user=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return redirect(f"{comment.thread.get_absolute_url()}#c{comment.pk}")
    return render(request, "threads/comment_edit.html", {"form": form, "comment": comment})


@refusals_answered
@login_required
def comment_delete(request, pk):
    """The author deletes their comment; GET asks first on a page of its own (the script
    asks in place and posts here)."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    services.ensure_author_can_change(request.user, comment)
    if request.method == "POST":
        services.comment_delete(user=request.user, comment=comment)
        if wants_json(request):
            return JsonResponse({"deleted": comment.pk})
        return redirect(f"{comment.thread.get_absolute_url()}#c{comment.pk}")
    return render(request, "threads/comment_delete.html", {"comment": comment})
