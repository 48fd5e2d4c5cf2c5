"""Views: parse the request, check who is asking, call one service or selector, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from threads import drafts, limits, page_cache, selectors, services, writing_aids
from threads.forms import CommentForm, ReportForm, ThreadForm
from threads.models import Comment, Thread
from threads.params import whole_number
from threads.presentation import comment_score_text
from threads.rendering import render_comment_tree
from threads.sorting import COMMENT_SORTS, DEFAULT_COMMENT_SORT
from threads.views.navigation import local_next

REPORT_SENT = "Thanks: your report went to the moderators."


NOT_ALLOWED = "You can't do that here."
PARENT_MISSING = "The comment you replied to does not exist."


def wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def refusal(error: PermissionDenied | ValidationError) -> JsonResponse:
    """A refused action, for the script: the service's own words, 403 or 400."""
    if isinstance(error, PermissionDenied):
        return JsonResponse({"error": str(error) or NOT_ALLOWED}, status=403)
    return JsonResponse({"error": " ".join(error.messages)}, status=400)


def refusals_answered(view):
    """The script (``X-Requested-With: fetch``) hears why an action was refused, as
    ``{"error": ...}``, so it can say so in place and keep what was typed; a plain
    request keeps its pages: the 403 page, or a 400 that says what was wrong."""

    @wraps(view)
    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, ValidationError) as error:
            if wants_json(request):
                return refusal(error)
            if isinstance(error, ValidationError):
                return HttpResponseBadRequest(" ".join(error.messages))
            raise

    return answered


def comment_url(comment: Comment, thread: Thread) -> str:
    """Where ``comment`` is surely on the page: its place in the thread when the whole
    thread fits one page, else its own page (with its parents above it)."""
    if thread.comment_count <= limits.PAGE_BUDGET:
        return f"{thread.get_absolute_url()}#c{comment.pk}"
    return f"{comment.get_absolute_url()}#c{comment.pk}"


def back_to(request, comment: Comment, thread: Thread) -> str:
    """The page the form was on (a batch, a permalink, a sort), at the comment."""
    referer = request.headers.get("Referer", "").split("#")[0]
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return f"{referer}#c{comment.pk}"
    return comment_url(comment, thread)


@page_cache.anonymous_page(page_cache.by_site)
def thread_list(request):
    """The front page: threads by hot, new or top."""
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.THREAD_SORTS else "hot"
    front = selectors.front_page(sort, page_number=request.GET.get("page"), viewer=request.user)
    context = {"threads": front.threads, "page": front.page, "sort": sort,
               "sorts": selectors.THREAD_SORTS}  # fmt: skip
    return render(request, "threads/thread_list.html", context)


def _comment_sort(request, *, preferred: bool = False) -> str:
    """The order asked for in ``?sort=``; else, on a page that opens a thread
    (``preferred``), the member's chosen order (settings); else the site's."""
    sort = request.GET.get("sort")
    if sort in COMMENT_SORTS:
        return sort
    return selectors.preferred_comment_sort(request.user) if preferred else DEFAULT_COMMENT_SORT


def _reply_to(request) -> int | None:
    return whole_number(request.GET.get("reply"))


@page_cache.anonymous_page(page_cache.by_thread)
def thread_detail(request, pk, slug=None, *, form=None, status=200, preview=None):
    """A thread with its comment tree (a big one up to the page budget)."""
    marked = Thread.objects.with_author().annotate(**selectors.thread_marks(request.user))
    thread = get_object_or_404(marked, pk=pk)
    if slug != thread.url_slug and request.method == "GET":
        query = request.GET.urlencode()
        canonical = thread.get_absolute_url() + (f"?{query}" if query else "")
        return redirect(canonical, permanent=True)
    sort = _comment_sort(request, preferred=True)
    tree = selectors.comment_batch(thread, viewer=request.user, sort=sort)
    reply_to = _reply_to(request)
    kept = "" if form else _kept_reply(request, thread.pk, None)
    context = {
        "thread": thread,
        "sort": sort,
        "sorts": COMMENT_SORTS,
        "comment_count": tree.total,
        "thread_vote": selectors.thread_vote(thread, request.user),
        "tree_html": _tree_html(request, thread, tree, reply_to, sort),
        "form": form or CommentForm(initial={"body": kept}),
        "kept": bool(kept),
        "reply_to": reply_to,
        "marks": {"saved": thread.viewer_saved, "blocked": thread.viewer_blocks},
        "preview": preview,
    }
    return render(request, "threads/thread_detail.html", context, status=status)


def _tree_html(request, thread, tree, reply_to, sort, *, query=None):
    return render_comment_tree(
        tree,
        viewer=request.user,
        csrf_token=get_token(request),
        locked=not thread.is_open,
        reply_to=reply_to,
        query_prefix=f"?{urlencode({'sort': sort, **(query or {})})}&",
        op_id=thread.author_id,
    )


BAD_BATCH = "after, offset and depth are whole numbers of at least 0."


def _batch_params(request) -> dict[str, int] | None:
    params = {k: whole_number(request.GET.get(k, "0")) for k in ("after", "offset", "depth")}
    return None if None in params.values() else params


def _more(request, thread, parent):
    params = _batch_params(request)
    if params is None:
        return HttpResponseBadRequest(BAD_BATCH)
    sort = _comment_sort(request)
    tree = selectors.comment_batch(thread, parent=parent, viewer=request.user, sort=sort, **params)
    html = _tree_html(request, thread, tree, _reply_to(request), sort, query=params)
    if wants_json(request):
        return JsonResponse({"html": html})
    context = {"thread": thread, "parent": parent, "sort": sort, "sorts": COMMENT_SORTS,
               "tree_html": html}  # fmt: skip
    return render(request, "threads/comment_more.html", context)


@page_cache.anonymous_page(page_cache.by_thread)
def thread_more(request, pk):
    """The next batch of a big thread's top-level comments, as a page or (for the script)
    as HTML to put in place of the "load more" link."""
    return _more(request, get_object_or_404(Thread, pk=pk), None)


@page_cache.anonymous_page(page_cache.by_comment)
def comment_more(request, pk):
    """The next batch of replies to one comment, as a page or as HTML for the script."""
    parent = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    return _more(request, parent.thread, parent)


def _single_comment_html(request, thread, comment) -> str:
    """A just-posted comment, for the script to put in place without a reload."""
    tree = selectors.single_comment_tree(comment)
    return _tree_html(request, thread, tree, None, DEFAULT_COMMENT_SORT)


@page_cache.anonymous_page(page_cache.by_comment)
def comment_detail(request, pk):
    """One comment's own page: its parents above for context, its replies below."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    sort = _comment_sort(request, preferred=True)
    page = selectors.comment_page(comment, viewer=request.user, sort=sort)
    context = {
        "thread": comment.thread,
        "comment": comment,
        "ancestors": page.ancestors,
        "sort": sort,
        "sorts": COMMENT_SORTS,
        "tree_html": _tree_html(request, comment.thread, page.tree, _reply_to(request), sort),
    }
    return render(request, "threads/comment_detail.html", context)


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
    kept = _kept_reply(request, parent.thread_id, parent.pk)
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


def _kept_reply(request, thread_id: int, parent_id: int | None) -> str:
    """Reply text kept while its writer logged in, given back once they have."""
    if not request.user.is_authenticated:
        return ""
    return drafts.reply_take(request.session, thread_id=thread_id, parent_id=parent_id)


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
                    {"id": comment.pk, "html": _single_comment_html(request, thread, comment)},
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


@page_cache.anonymous_page(page_cache.by_site)
def user_detail(request, username):
    """A person's page: what they wrote, newest first, and their karma."""
    user = selectors.member_named(username)
    if user is None:
        raise Http404("No member has that name.")
    if user.username != username:  # written in another case: the page has one address
        return redirect("threads:user-detail", username=user.username, permanent=True)
    page = Paginator(selectors.user_activity(user), limits.USER_ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"profile": user, "page": page, "karma": selectors.user_karma(user),
               "blocking": selectors.blocks(request.user, user)}  # fmt: skip
    return render(request, "threads/user_detail.html", context)


@login_required
def comment_report(request, pk):
    """A reader reports a comment to the moderators, with a short reason."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "author"), pk=pk)
    services.ensure_can_write(request.user)  # a banned reader learns why before typing
    back = f"{comment.thread.get_absolute_url()}#c{comment.pk}"
    if comment.is_gone:  # nothing left to report; the page must not show removed text
        context = {"comment": comment, "back": back, "gone": services.REPORT_GONE_COMMENT}
        return render(request, "threads/comment_report.html", context, status=404)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, REPORT_SENT)
            return redirect(back)
    status = 400 if form.errors else 200
    context = {"form": form, "comment": comment, "back": back}
    return render(request, "threads/comment_report.html", context, status=status)


def moderation_log(request):
    """The public moderation log, newest first: who did what to which item, and why."""
    page = Paginator(selectors.moderation_log_entries(), limits.LOG_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "threads/moderation_log.html", {"page": page})
