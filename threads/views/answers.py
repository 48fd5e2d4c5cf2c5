"""What every view module shares: the answers to a refused action (JSON for the script,
the page otherwise), where a comment is to be found after one, and the reply text kept
through a login."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from threads import drafts, limits
from threads.models import Comment, Thread

NOT_ALLOWED = "You can't do that here."


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


def kept_reply(request, thread_id: int, parent_id: int | None) -> str:
    """Reply text kept while its writer logged in, given back once they have."""
    if not request.user.is_authenticated:
        return ""
    return drafts.reply_take(request.session, thread_id=thread_id, parent_id=parent_id)
