"""A member's page and standing: what they wrote, their karma, their ban in force."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import CharField, Sum, Value

from threads.models import Ban, Comment, Thread


def member_named(username: str):
    """The account called ``username``, or written in another case ("Alice" for alice:
    names are unique without regard to case); None when there is none."""
    members = get_user_model().objects
    exact = members.filter(username=username).first()
    return exact or members.filter(username__iexact=username).order_by("pk").first()


def active_ban(user) -> Ban | None:
    """The ban in force on ``user``, if any (anonymous visitors have none)."""
    if user is None or not user.is_authenticated:
        return None
    return Ban.objects.active().filter(user=user).first()


def user_karma(user) -> int:
    threads = Thread.objects.filter(author=user).aggregate(total=Sum("score"))["total"] or 0
    comments = Comment.objects.filter(author=user).aggregate(total=Sum("score"))["total"] or 0
    return threads + comments


def user_activity(user):
    """What a person wrote, newest first, as (created_at, kind, id) ready to paginate."""
    threads = (
        Thread.objects.filter(author=user)
        .order_by()
        .annotate(kind=Value("thread", output_field=CharField()))
        .values_list("created_at", "kind", "id")
        .order_by()  # SQLite refuses ORDER BY (the Meta ordering) inside a UNION part
    )
    comments = (
        Comment.objects.filter(author=user)
        .order_by()
        .annotate(kind=Value("comment", output_field=CharField()))
        .values_list("created_at", "kind", "id")
        .order_by()
    )
    return ActivityList(threads, comments)


class ActivityList:
    """Pages of a user's activity, each page's objects fetched in two queries."""

    def __init__(self, threads, comments):
        self.parts = (threads, comments)
        # The parts lose their default orderings: SQLite refuses ORDER BY inside a UNION.
        self.keys = threads.order_by().union(comments.order_by(), all=True).order_by("-created_at")

    def count(self):
        # Counted apart: SQLite refuses COUNT over an ordered UNION.
        return sum(part.count() for part in self.parts)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        keys = list(self.keys[index])
        threads = Thread.objects.in_bulk([pk for _, kind, pk in keys if kind == "thread"])
        comments = Comment.objects.select_related("thread").in_bulk(
            [pk for _, kind, pk in keys if kind == "comment"]
        )
        items = []
        for _, kind, pk in keys:
            obj = threads.get(pk) if kind == "thread" else comments.get(pk)
            if obj is not None:
                items.append((kind, obj))
        return items
