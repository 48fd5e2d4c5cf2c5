"""The inbox: replies and mentions a member got, marking them read, and its Atom feed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from threads import limits, presentation, selectors, services
from threads.models import InboxItem, Profile
from threads.views.answers import comment_url, refusals_answered, wants_json
from threads.views.navigation import local_next

FEED_ROTATED = "Your inbox feed has a new address; the old one no longer works."
ALL_READ = "Marked {count} item{s} read."


def item_link(item: InboxItem) -> str:
    """Where an item leads: its comment in context, or the thread for a thread mention."""
    if item.comment_id:
        return comment_url(item.comment, item.thread)
    return item.thread.get_absolute_url()


def _back(request) -> str:
    """The inbox page the form was sent from (``next``), else the inbox."""
    return local_next(request, request.POST.get("next")) or reverse("threads:inbox")


@login_required
def inbox(request):
    """The member's inbox: unread first, newest first."""
    page = selectors.inbox_page(request.user, request.GET.get("page"))
    for item in page.object_list:
        item.link = item_link(item)
    context = {
        "page": page,
        "feed_url": reverse(
            "threads:inbox-feed", kwargs={"token": Profile.of(request.user).feed_token}
        ),
    }
    return render(request, "threads/inbox.html", context)


@refusals_answered
@login_required
@require_POST
def inbox_item_read(request, pk):
    """Mark one item read (``read=0``: unread again)."""
    read = request.POST.get("read", "1") != "0"
    services.inbox_item_mark_read(user=request.user, item_id=pk, read=read)
    if wants_json(request):
        return JsonResponse(
            {"id": pk, "read": read, "unread": selectors.inbox_unread_count(request.user)}
        )
    return redirect(_back(request))


@refusals_answered
@login_required
@require_POST
def inbox_read_all(request):
    """Mark every unread item read."""
    count = services.inbox_mark_all_read(user=request.user)
    if wants_json(request):
        return JsonResponse({"marked": count, "unread": 0})
    messages.success(request, ALL_READ.format(count=count, s="" if count == 1 else "s"))
    return redirect(_back(request))


@refusals_answered
@login_required
@require_POST
def inbox_feed_rotate(request):
    """A new secret address for the inbox feed; the old one stops working."""
    profile = services.feed_token_rotate(user=request.user)
    url = request.build_absolute_uri(
        reverse("threads:inbox-feed", kwargs={"token": profile.feed_token})
    )
    if wants_json(request):
        return JsonResponse({"feed_url": url})
    messages.success(request, FEED_ROTATED)
    return redirect(_back(request))


class InboxFeed(Feed):
    """A member's inbox as Atom, at a secret URL (``Profile.feed_token``) for feed readers,
    which carry no session; an unknown token is a 404. Entries follow the public
    visibility rule: a feed never carries removed or deleted text."""

    feed_type = Atom1Feed

    def get_object(self, request, token):
        profile = Profile.objects.select_related("user").filter(feed_token=token).first()
        if profile is None or not profile.user.is_active:
            raise Http404("No such feed.")
        return profile.user

    def title(self, obj):
        return f"Inbox of {obj.get_username()} · {settings.SITE_NAME}"

    def link(self, obj):
        return reverse("threads:inbox")

    def items(self, obj):
        return selectors.inbox_items(obj).order_by("-created_at", "-id")[: limits.FEED_SIZE]

    def item_title(self, item):
        who = item.comment.shown_author if item.comment_id else item.thread.shown_author
        return f"{who} {item.get_kind_display()} on {item.thread.title}"

    def item_link(self, item):
        return item_link(item)

    def item_guid(self, item):
        return f"inbox-item-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        if item.comment_id:
            return presentation.comment_body_html(item.comment)
        return ""  # a mention in a thread's text: the entry links to the thread

    def item_pubdate(self, item):
        return item.created_at
