"""A small forum that shows every kind of comment, and the pages the page-level checks visit.

The accessibility checks (``tests/browser/test_accessibility.py``) and the HTML checker
(``tests/test_html_validity.py``) look at the same pages, so a markup change is judged by
both: nested replies, a thread past the display depth ("continue this thread"), an edited,
a deleted and a removed comment, Markdown of every kind the sanitizer keeps, votes in
both directions, and a member's own comment, so edit, delete and report all render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import services
from threads.models import Comment, Thread

MARKDOWN = """A reply with **bold**, *emphasis*, `code` and a [link](https://example.com/a).

> a quote

- one
- two

1. first
2. second

```
code block
```

A bare address: https://example.org/page"""


@dataclass(frozen=True)
class SampleSite:
    thread: Thread
    member: object  # the viewer of the logged-in pages: alice
    own: Comment  # alice's comment (edit and delete render)
    reply: Comment  # bob's reply to it, two levels deep (report renders)
    own_thread: Thread  # alice's thread, pinned and edited (its edit and delete render)
    moderator: object  # mia, who pinned it and removed carol's spam thread

    def pages(self) -> dict[str, tuple[str, bool]]:
        """Every page to check: name -> (path, seen as the logged-in member)."""
        thread_url = self.thread.get_absolute_url()
        return {
            "front": (reverse("threads:thread-list"), False),
            "thread": (thread_url, False),
            "thread-member": (thread_url, True),
            "thread-reply-form": (f"{thread_url}?reply={self.reply.pk}", True),
            "permalink": (reverse("threads:comment-detail", args=[self.reply.pk]), False),
            "permalink-member": (reverse("threads:comment-detail", args=[self.own.pk]), True),
            "signup": (reverse("threads:signup"), False),
            "login": (reverse("login"), False),
            "moderation-log": (reverse("threads:moderation-log"), False),
            "settings": (reverse("threads:settings"), True),
            "account-delete": (reverse("threads:account-delete"), True),
            "password-reset": (reverse("password_reset"), False),
            "password-reset-done": (reverse("password_reset_done"), False),
            "password-reset-bad-link": (
                reverse("password_reset_confirm", args=["MQ", "set-password"]),
                False,
            ),
            "front-member": (reverse("threads:thread-list"), True),
            "own-thread-member": (self.own_thread.get_absolute_url(), True),
            "thread-edit": (reverse("threads:thread-edit", args=[self.own_thread.pk]), True),
            "thread-delete": (reverse("threads:thread-delete", args=[self.own_thread.pk]), True),
            "thread-report": (reverse("threads:thread-report", args=[self.thread.pk]), True),
            # The member's own pages (issue 12): alice saved, blocked and was answered.
            "inbox": (reverse("threads:inbox"), True),
            "saved": (reverse("threads:saved"), True),
            "blocked": (reverse("threads:blocked"), True),
            "user-member": (reverse("threads:user-detail", args=["dan"]), True),
            "search": (f"/search/?q=spaces+OR+tabs&thread={self.thread.pk}", False),
            "search-refused": (f"{reverse('threads:search')}?q=-tabs", False),
            "search-help": (reverse("threads:search-help"), False),
        }


def make_sample_site() -> SampleSite:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    moderator = make_moderator("mia")
    thread = services.thread_create(
        author=bob, title="Tabs or spaces?", url="https://example.com/style",
        body="Settle it *once*.",
    )  # fmt: skip
    quiet = make_thread(author=carol, title="A quiet thread")

    top = make_comment(thread, author=bob, body="Tabs, obviously.")
    own = make_comment(thread, parent=top, author=alice, body=MARKDOWN)
    reply = make_comment(thread, parent=own, author=bob, body="Spaces, because *diffs*.")
    make_comment(thread, parent=reply, author=carol, body="Both, in the same file.")
    services.comment_edit(user=bob, comment=reply, body="Spaces, because *diffs* line up.")

    deleted = make_comment(thread, parent=top, author=carol, body="regret")
    make_comment(thread, parent=deleted, author=bob, body="What did it say?")
    services.comment_delete(user=carol, comment=deleted)
    removed = make_comment(thread, author=carol, body="buy cheap pills")
    make_comment(thread, parent=removed, author=alice, body="Reported it.")
    services.comment_remove(moderator=moderator, comment=removed, reason="spam")

    deep = make_comment(thread, author=carol, body="How deep can this go?")
    for depth in range(10):  # past the display depth: "continue this thread"
        deep = make_comment(thread, parent=deep, author=(bob, carol)[depth % 2], body="Deeper.")

    services.vote_cast(user=alice, item=top, value=1)
    services.vote_cast(user=alice, item=reply, value=-1)
    services.vote_cast(user=alice, item=thread, value=1)
    own_thread = services.thread_create(author=alice, title="Welcome, read me", body="Hi.")
    services.thread_edit(user=alice, thread=own_thread, body="Hi, *all*.")
    services.thread_pin(moderator=moderator, thread=own_thread)
    removed_thread = make_thread(author=carol, title="Spam thread")
    services.thread_remove(moderator=moderator, thread=removed_thread, reason="spam")
    # alice's own marks: a saved comment and thread, and dan blocked (his words fold).
    make_comment(quiet, author=bob, body="@alice, what do you think?")
    services.item_save(user=alice, item=reply)
    services.item_save(user=alice, item=thread)
    dan = make_user("dan")
    make_comment(thread, author=dan, body="Whatever dan says.")
    make_thread(author=dan, title="Dan's thread")  # folded on alice's front page
    services.user_block(user=alice, blocked=dan)
    return SampleSite(
        thread=thread, member=alice, own=own, reply=reply, own_thread=own_thread,
        moderator=moderator,
    )  # fmt: skip
