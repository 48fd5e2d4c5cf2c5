"""Small factories. Comments, moderators and bans go through the services the site uses,
so their trees and counters are right; users and threads are plain rows, as nothing
else is kept in step with them."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from threads import services
from threads.models import Comment, Thread

_numbers = itertools.count(1)


def make_user(username: str | None = None, **fields):
    username = username or f"user{next(_numbers)}"
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests-1", **fields
    )


def make_thread(*, author=None, title: str = "A thread", **fields) -> Thread:
    return Thread.objects.create(author=author, title=title, **fields)


def make_comment(
    thread: Thread, *, parent: Comment | None = None, author=None, body=None
) -> Comment:
    author = author or make_user()
    body = body or f"comment {next(_numbers)}"
    return services.comment_create(author=author, thread=thread, parent=parent, body=body)


def make_tree(thread: Thread, *, size: int, author=None, fanout: int = 3) -> list[Comment]:
    """``size`` comments: every ``fanout``-th one top-level, others replies to a recent one."""
    author = author or make_user()
    made: list[Comment] = []
    for i in range(size):
        parent = None if i % fanout == 0 or not made else made[(i * 7) % len(made)]
        made.append(make_comment(thread, parent=parent, author=author, body=f"comment {i}"))
    return made


def make_moderator(username: str = "mod", **fields):
    """Staff in the Moderators group (created by the migration), as add_moderator makes them."""
    user = make_user(username, **fields)
    services.moderator_add(user=user)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def make_superuser(username: str = "root"):
    return get_user_model().objects.create_superuser(
        username=username, password="pw-for-tests-1", email=f"{username}@example.com"
    )


def logs_in(client, username: str, password: str) -> bool:
    """Whether the login form takes these credentials, as a browser would post them (the
    test client's ``login()`` skips the login protection, which needs the request)."""
    from django.urls import reverse

    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session
