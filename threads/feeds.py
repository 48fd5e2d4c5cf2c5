"""Atom feeds: new threads, and each thread's new comments."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from threads import limits, presentation
from threads.models import Comment, Thread

# XML 1.0 cannot hold these; an imported text may (the site's own forms refuse them).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """Text without the characters XML 1.0 cannot hold; anything else unchanged."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


class ForumFeed(Feed):
    """What every entry shares: stored HTML, the shown author, the time it was written;
    every text made fit for XML, so that no stored text can make a feed fail."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for values in (feed.feed, *feed.items):
            for key, value in values.items():
                values[key] = xml_safe(value)
        return feed

    def item_description(self, item):
        return item.body_html

    def item_author_name(self, item):
        return item.shown_author

    def item_pubdate(self, item):
        return item.created_at


class LatestThreadsFeed(ForumFeed):
    def title(self):
        return f"{settings.SITE_NAME}: new threads"

    def subtitle(self):
        return settings.SITE_DESCRIPTION or "The newest discussions."

    def link(self):
        return reverse("threads:thread-list")

    def items(self):
        # What the front page lists: no deleted or removed threads.
        return Thread.objects.listed().with_author().newest_first()[: limits.FEED_SIZE]

    def item_title(self, item):
        return presentation.thread_title_text(item)

    def item_description(self, item):
        return presentation.thread_body_html(item)


class ThreadCommentsFeed(ForumFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Thread, pk=pk)

    def title(self, obj):
        return f"New comments on {presentation.thread_title_text(obj)} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            Comment.objects.for_thread(obj)
            .visible()
            .select_related("author", "thread")  # the thread's source names imported authors
            .order_by("-created_at", "-id")[: limits.FEED_SIZE]
        )

    def item_title(self, item):
        return f"Comment by {item.shown_author}"

    def item_description(self, item):
        # Feeds are public: a feed reader must never get what a moderator removed.
        return presentation.comment_body_html(item)

    def item_updateddate(self, item):
        return item.edited_at or item.created_at
