"""Every page type of the forum, in one list, for the page-level browser checks.

The content-security-policy test (``test_csp_browser.py``) and the XSS corpus test
(``test_xss_browser.py``) both load each page here, as the role named. To check a new
page (an inbox, a search page), add one ``SitePage`` to ``PAGES``; when it is about an
object of its own, add a list of them to ``Subjects`` and fill it in both tests'
``subjects()``. ``shows_user_content`` marks the pages the XSS test reads for injected
markup (all but the empty forms); a page about "each thread" is loaded once per thread.

The XSS corpus (``tests/xss_corpus.plant``) replies to the member's comment with every
payload, so an inbox page seen as ``MEMBER`` holds them all; a search page can ask for
``?q=alert``, which nearly every payload contains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ANONYMOUS, MEMBER, MODERATOR = "anonymous", "member", "moderator"
PASSWORD = "pw-for-tests-1"  # tests.factories.make_user's


@dataclass
class Subjects:
    """The objects the pages are about; the test that builds them fills these in. The
    first of each list is the one pages seen by every role are about."""

    threads: list
    comments: list  # comments of the first thread first
    authors: list  # members with a user page worth reading
    member: object  # who the member pages are seen as
    moderator: object  # who the admin pages are seen as
    extra: dict = field(default_factory=dict)  # for pages added later


@dataclass(frozen=True)
class SitePage:
    name: str
    paths: Callable[[Subjects], list[str]]
    role: str = ANONYMOUS
    shows_user_content: bool = True
    feed: bool = False  # Atom: read as a feed reader would (its entries' HTML)


def one(path: Callable[[Subjects], str]) -> Callable[[Subjects], list[str]]:
    return lambda s: [path(s)]


def _admin(model: str, suffix: str = "") -> Callable[[Subjects], list[str]]:
    return one(lambda s: reverse(f"admin:threads_{model}_changelist") + suffix)


def _feed_token(user) -> str:
    from threads.models import Profile

    return Profile.of(user).feed_token


def _comment_page(name: str) -> Callable[[Subjects], list[str]]:
    return lambda s: [reverse(name, args=[c.pk]) for c in s.comments]


PAGES: list[SitePage] = [
    SitePage("front page", one(lambda s: reverse("threads:thread-list"))),
    SitePage(
        "front page, new, 2", one(lambda s: reverse("threads:thread-list") + "?sort=new&page=2")
    ),  # fmt: skip
    SitePage("front page, top", one(lambda s: reverse("threads:thread-list") + "?sort=top")),
    SitePage("thread", lambda s: [t.get_absolute_url() for t in s.threads]),
    SitePage("thread as member", one(lambda s: s.threads[0].get_absolute_url()), MEMBER),
    SitePage(
        "thread with reply form",
        one(lambda s: f"{s.threads[0].get_absolute_url()}?reply={s.comments[0].pk}"),
        MEMBER,
    ),
    SitePage("thread as moderator", one(lambda s: s.threads[0].get_absolute_url()), MODERATOR),
    SitePage("permalink", _comment_page("threads:comment-detail")),
    SitePage("permalink as moderator", _comment_page("threads:comment-detail"), MODERATOR),
    SitePage(
        "user page",
        lambda s: [reverse("threads:user-detail", args=[a.username]) for a in s.authors],
    ),
    SitePage("moderation log", one(lambda s: reverse("threads:moderation-log"))),
    SitePage("login", one(lambda s: reverse("login")), shows_user_content=False),
    SitePage("signup", one(lambda s: reverse("threads:signup")), shows_user_content=False),
    SitePage("submit", one(lambda s: reverse("threads:thread-create")), MEMBER),
    SitePage("report form", _comment_page("threads:comment-report"), MEMBER),
    SitePage("threads feed", one(lambda s: reverse("threads:feed-threads")), feed=True),
    SitePage(
        "thread comments feed",
        lambda s: [reverse("threads:feed-thread-comments", args=[t.pk]) for t in s.threads],
        feed=True,
    ),
    # A member's own pages (the inbox holds every payload: they all reply to the member).
    SitePage("inbox", one(lambda s: reverse("threads:inbox")), MEMBER),
    SitePage("saved items", one(lambda s: reverse("threads:saved")), MEMBER),
    SitePage("blocked members", one(lambda s: reverse("threads:blocked")), MEMBER),
    SitePage("settings", one(lambda s: reverse("threads:settings")), MEMBER),
    SitePage(
        "inbox feed",
        one(lambda s: reverse("threads:inbox-feed", args=[_feed_token(s.member)])),
        feed=True,
    ),
    SitePage(
        "thread report form",
        lambda s: [reverse("threads:thread-report", args=[t.pk]) for t in s.threads],
        MEMBER,
    ),
    SitePage("search", one(lambda s: reverse("threads:search") + "?q=alert")),
    SitePage(
        "search in a thread",
        one(lambda s: reverse("threads:search") + f"?q=alert&thread={s.threads[0].pk}"),
        MEMBER,
    ),
    SitePage(
        "search help", one(lambda s: reverse("threads:search-help")), shows_user_content=False
    ),
    SitePage("admin index", one(lambda s: reverse("admin:index")), MODERATOR),
    SitePage("admin threads", _admin("thread"), MODERATOR),
    SitePage(
        "admin thread",
        one(lambda s: reverse("admin:threads_thread_change", args=[s.threads[0].pk])),
        MODERATOR,
    ),
    SitePage("admin comments", _admin("comment"), MODERATOR),
    SitePage(
        "admin comments of a thread",
        one(lambda s: reverse("admin:threads_comment_changelist") + f"?thread={s.threads[0].pk}"),
        MODERATOR,
    ),
    SitePage(
        "admin comment",
        one(lambda s: reverse("admin:threads_comment_change", args=[s.comments[0].pk])),
        MODERATOR,
    ),
    SitePage("admin report queue", _admin("reportedcomment"), MODERATOR),
    SitePage("admin thread report queue", _admin("reportedthread"), MODERATOR),
    SitePage("admin reports", _admin("report"), MODERATOR),
    SitePage("admin users", one(lambda s: reverse("admin:auth_user_changelist")), MODERATOR),
    SitePage(
        "admin user",
        one(lambda s: reverse("admin:auth_user_change", args=[s.authors[0].pk])),
        MODERATOR,
    ),
    SitePage("admin bans", _admin("ban"), MODERATOR),
    SitePage("admin moderation log", _admin("moderationlog"), MODERATOR),
]


def log_in(page, base_url: str, user) -> None:
    """Log ``page``'s browser context in as ``user`` through the login form."""
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def role_pages(browser, base_url: str, subjects: Subjects, init_script: str = "") -> dict:
    """One logged-in page (own browser context) per role."""
    pages = {}
    for role, user in ((ANONYMOUS, None), (MEMBER, subjects.member),
                       (MODERATOR, subjects.moderator)):  # fmt: skip
        context = browser.new_context()
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            log_in(page, base_url, user)
        pages[role] = page
    return pages
