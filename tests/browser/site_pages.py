"""Every page type of the forum, in one list, for the page-level browser checks.

The content-security-policy test (``test_csp_browser.py``) and the XSS corpus test
(``test_xss_browser.py``) both load each page here, as the role named: to check a new
page (an inbox, a search page), add one ``SitePage`` to ``PAGES`` and, when it needs an
object of its own, a field to ``Subjects``. ``shows_user_content`` marks the pages the
XSS test reads for injected markup (all of them but the empty forms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

ANONYMOUS, MEMBER, MODERATOR = "anonymous", "member", "moderator"
PASSWORD = "pw-for-tests-1"  # tests.factories.make_user's


@dataclass
class Subjects:
    """The objects the pages are about; the test that builds them fills these in."""

    thread: object
    comment: object  # a comment in ``thread``
    author: object  # a member with a user page worth reading
    member: object  # who the member pages are seen as
    moderator: object  # who the admin pages are seen as


@dataclass(frozen=True)
class SitePage:
    name: str
    path: Callable[[Subjects], str]
    role: str = ANONYMOUS
    shows_user_content: bool = True
    feed: bool = False  # Atom: read as a feed reader would (its entries' HTML)


def _admin(model: str, suffix: str = "") -> Callable[[Subjects], str]:
    return lambda s: reverse(f"admin:threads_{model}_changelist") + suffix


PAGES: list[SitePage] = [
    SitePage("front page", lambda s: reverse("threads:thread-list")),
    SitePage("front page, new", lambda s: reverse("threads:thread-list") + "?sort=new"),
    SitePage("thread", lambda s: s.thread.get_absolute_url()),
    SitePage("thread as member", lambda s: s.thread.get_absolute_url(), MEMBER),
    SitePage(
        "thread with reply form",
        lambda s: f"{s.thread.get_absolute_url()}?reply={s.comment.pk}",
        MEMBER,
    ),
    SitePage("thread as moderator", lambda s: s.thread.get_absolute_url(), MODERATOR),
    SitePage("permalink", lambda s: reverse("threads:comment-detail", args=[s.comment.pk])),
    SitePage("user page", lambda s: reverse("threads:user-detail", args=[s.author.username])),
    SitePage("moderation log", lambda s: reverse("threads:moderation-log")),
    SitePage("login", lambda s: reverse("login"), shows_user_content=False),
    SitePage("signup", lambda s: reverse("threads:signup"), shows_user_content=False),
    SitePage("submit", lambda s: reverse("threads:thread-create"), MEMBER, False),
    SitePage(
        "report form",
        lambda s: reverse("threads:comment-report", args=[s.comment.pk]),
        MEMBER,
    ),
    SitePage("threads feed", lambda s: reverse("threads:feed-threads"), feed=True),
    SitePage(
        "thread comments feed",
        lambda s: reverse("threads:feed-thread-comments", args=[s.thread.pk]),
        feed=True,
    ),
    SitePage("admin index", lambda s: reverse("admin:index"), MODERATOR),
    SitePage("admin threads", _admin("thread"), MODERATOR),
    SitePage(
        "admin thread",
        lambda s: reverse("admin:threads_thread_change", args=[s.thread.pk]),
        MODERATOR,
    ),
    SitePage("admin comments", _admin("comment"), MODERATOR),
    SitePage(
        "admin comments of a thread",
        lambda s: _admin("comment", f"?thread={s.thread.pk}")(s),
        MODERATOR,
    ),
    SitePage(
        "admin comment",
        lambda s: reverse("admin:threads_comment_change", args=[s.comment.pk]),
        MODERATOR,
    ),
    SitePage("admin report queue", _admin("reportedcomment"), MODERATOR),
    SitePage("admin reports", _admin("report"), MODERATOR),
    SitePage("admin users", lambda s: reverse("admin:auth_user_changelist"), MODERATOR),
    SitePage(
        "admin user", lambda s: reverse("admin:auth_user_change", args=[s.author.pk]), MODERATOR
    ),
    SitePage("admin bans", _admin("ban"), MODERATOR),
    SitePage("admin moderation log", _admin("moderationlog"), MODERATOR),
]


def log_in(page, base_url: str, user) -> None:
    """Log ``page``'s browser context in as ``user`` through the login form."""
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit], main form button[type=submit]")
    page.wait_for_load_state()
