"""Pages that read: the front page, a thread and its "load more" batches, a comment's own
page, a member's page and the moderation log. Each is cached whole for anonymous readers
(``threads.page_cache``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode

from threads import limits, page_cache, selectors
from threads.forms import CommentForm
from threads.models import Comment, Thread
from threads.params import whole_number
from threads.rendering import render_comment_tree
from threads.sorting import COMMENT_SORTS, DEFAULT_COMMENT_SORT
from threads.views.answers import kept_reply, wants_json


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
    kept = "" if form else kept_reply(request, thread.pk, None)
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


def single_comment_html(request, thread, comment) -> str:
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


def moderation_log(request):
    """The public moderation log, newest first: who did what to which item, and why."""
    page = Paginator(selectors.moderation_log_entries(), limits.LOG_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "threads/moderation_log.html", {"page": page})
