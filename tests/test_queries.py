"""Every page costs the same number of SQL queries at 10 comments as at 2,000.

The big thread is written in bulk through ``services.thread_import`` (the import path)
with the benchmark's realistic shape: a quarter top level, a 50-deep chain, one subtree
that draws a tenth of the replies.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_user
from threads import services
from threads.importers.synthetic import synthetic_parsed_thread
from threads.models import Comment, Thread, Vote
from threads.selectors import THREAD_SORTS
from threads.sorting import COMMENT_SORTS

pytestmark = pytest.mark.django_db

SIZES = (10, 2_000)


@pytest.fixture
def writer(db):
    """The member who wrote every comment of both threads."""
    return make_user("writer")


@pytest.fixture
def viewer(db):
    """A member who voted on comments of both threads."""
    return make_user("viewer")


@pytest.fixture
def threads_by_size(writer, viewer):
    """One thread of 10 comments and one of 2,000, with the viewer's votes on each."""
    threads = {}
    for size in SIZES:
        parsed = synthetic_parsed_thread(comments=size, source=f"queries:{size}")
        thread = services.thread_import(parsed=parsed).thread
        comments = Comment.objects.filter(thread=thread)
        comments.update(author=writer)
        Vote.objects.bulk_create(
            Vote(user=viewer, comment_id=pk, value=1 if pk % 2 else -1)
            for pk in comments.values_list("pk", flat=True)[::3]
        )
        threads[size] = thread
    assert Comment.objects.filter(thread=threads[2_000]).count() == 2_000
    return threads


def _count(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def _clients(client, viewer):
    anonymous = client.__class__()
    client.force_login(viewer)
    return {"anonymous": anonymous, "viewer with votes": client}


def _biggest_root(thread) -> Comment:
    roots = Comment.objects.filter(thread=thread, level=0)
    return max(roots, key=lambda c: c.rght - c.lft)


def _assert_same_counts(client, viewer, url_for):
    for who, browser in _clients(client, viewer).items():
        counts = {size: _count(browser, url_for(size))[0] for size in SIZES}
        assert counts[10] == counts[2_000], (who, url_for(SIZES[-1]), counts)


@pytest.mark.parametrize("sort", COMMENT_SORTS)
def test_thread_page_queries_do_not_grow(client, viewer, threads_by_size, sort):
    threads = threads_by_size
    _assert_same_counts(client, viewer, lambda n: f"{threads[n].get_absolute_url()}?sort={sort}")
    _, html = _count(client, f"{threads[2_000].get_absolute_url()}?sort={sort}")
    assert "load more comments (" in html
    assert 'class="up on"' in html or 'class="down on"' in html  # the viewer's votes show


@pytest.mark.parametrize("sort", COMMENT_SORTS)
def test_permalink_page_queries_do_not_grow(client, viewer, threads_by_size, sort):
    roots = {n: _biggest_root(t) for n, t in threads_by_size.items()}
    assert roots[2_000].rght - roots[2_000].lft > 100
    _assert_same_counts(client, viewer, lambda n: f"/c/{roots[n].pk}/?sort={sort}")


@pytest.mark.parametrize("sort", COMMENT_SORTS)
def test_load_more_queries_do_not_grow(client, viewer, threads_by_size, sort):
    threads = threads_by_size
    roots = {n: _biggest_root(t) for n, t in threads_by_size.items()}

    def thread_more(n):
        return f"{reverse('threads:thread-more', args=[threads[n].pk])}?sort={sort}&offset=1"

    def comment_more(n):
        url = reverse("threads:comment-more", args=[roots[n].pk])
        return f"{url}?sort={sort}&after={roots[n].lft}"

    _assert_same_counts(client, viewer, thread_more)
    _assert_same_counts(client, viewer, comment_more)
    for browser in _clients(client, viewer).values():  # and as the script asks for it
        counts = {n: _count(browser, thread_more(n), X_Requested_With="fetch")[0] for n in SIZES}
        assert counts[10] == counts[2_000]


@pytest.mark.parametrize("sort", THREAD_SORTS)
def test_front_page_queries_do_not_grow(client, viewer, writer, sort):
    def front_page_with(n):
        for i in range(n - Thread.objects.count()):
            services.thread_create(author=writer, title=f"Thread {i}")
        return _count(client, f"/?sort={sort}")[0]

    assert front_page_with(3) == front_page_with(45)  # 45: two pages of threads


def test_user_page_queries_do_not_grow(client, viewer, writer, threads_by_size):
    small = make_user("small-writer")
    Comment.objects.filter(pk__in=Comment.objects.filter(thread=threads_by_size[10])
                           .values("pk")[:4]).update(author=small)  # fmt: skip
    for browser in _clients(client, viewer).values():
        few = _count(browser, f"/u/{small.username}/")[0]
        many, html = _count(browser, f"/u/{writer.username}/")
        assert few == many
        assert "permalink" in html


@pytest.mark.parametrize("sort", THREAD_SORTS)
def test_front_page_rows_cost_the_same_for_every_viewer(client, viewer, writer, sort):
    """Pins, removed threads, a link post's domain and the viewer's votes on the rows: the
    same count at 3 threads as at 45, for a visitor, a voter and a moderator."""
    from tests.factories import make_moderator

    moderator = make_moderator("queries-mod")

    def front_page_with(n, browser):
        for i in range(n - Thread.objects.count()):
            thread = services.thread_create(
                author=writer, title=f"Thread {i}", url=f"https://example.com/{i}"
            )
            services.vote_cast(user=viewer, item=thread, value=1 if i % 2 else -1)
            if i == 1:
                services.thread_pin(moderator=moderator, thread=thread)
            if i == 2:
                services.thread_remove(moderator=moderator, thread=thread, reason="spam")
        return _count(browser, f"/?sort={sort}")

    voter = client.__class__()
    voter.force_login(viewer)
    mod = client.__class__()
    mod.force_login(moderator)
    for browser in (client, voter, mod):
        Thread.objects.all().delete()
        few, _ = front_page_with(3, browser)
        many, html = front_page_with(45, browser)
        assert few == many, (sort, few, many)
        assert "(example.com)" in html and 'class="badge pinned"' in html


@pytest.mark.parametrize("sort", THREAD_SORTS)
def test_front_page_is_two_indexed_queries_on_the_first_and_fiftieth_page(sort, writer):
    """The pinned ids (a handful), then the page's rows: the same on page 50 as on page 1."""
    Thread.objects.bulk_create(
        Thread(title=f"Thread {i}", author=writer, score=i % 7, hot_rank=i / 3, slug="t",
               pinned_position=1 if i == 7 else None)
        for i in range(50 * 30 + 5)
    )  # fmt: skip
    anonymous = Client()
    for page in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get("/", {"sort": sort, "page": page})
        assert response.status_code == 200
        assert len(queries) == 2, [q["sql"] for q in queries]
        assert response.content.decode().count('class="thread-row') == 30
    with CaptureQueriesContext(connection) as queries:
        anonymous.get("/", {"sort": sort, "page": 50})
    assert len(queries) == 0  # served from the page cache


def test_a_cached_anonymous_page_costs_no_query(threads_by_size):
    url = threads_by_size[2_000].get_absolute_url()
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response["X-Page-Cache"] == "hit" and len(queries) == 0


# The inbox (issue 12): its page and the header's unread count cost the same at any size.


@pytest.fixture
def inboxes(writer):
    """Two members whose inboxes hold 10 and 2,000 items (half of them unread), from
    replies to their threads, plus as many saved comments."""
    from threads.models import InboxItem, SavedItem

    members = {}
    for size in SIZES:
        member = make_user(f"reader{size}")
        thread = Thread.objects.create(author=member, title=f"Inbox of {size}")
        parsed = synthetic_parsed_thread(comments=size, source=f"inbox:{size}")
        imported = services.thread_import(parsed=parsed).thread
        comments = list(Comment.objects.filter(thread=imported).values_list("pk", flat=True))
        InboxItem.objects.bulk_create(
            InboxItem(
                recipient=member,
                kind="thread_reply",
                thread=thread,
                comment_id=pk,
                is_read=bool(n % 2),
            )  # fmt: skip
            for n, pk in enumerate(comments)
        )
        SavedItem.objects.bulk_create(SavedItem(user=member, comment_id=pk) for pk in comments)
        members[size] = member
    assert InboxItem.objects.filter(recipient=members[2_000]).count() == 2_000
    return members


def test_inbox_and_saved_pages_queries_do_not_grow(client, inboxes):
    for url in ("/inbox/", "/inbox/?page=2", "/saved/"):
        counts = {}
        for size, member in inboxes.items():
            client.force_login(member)
            counts[size], html = _count(client, url)
            assert 'class="inbox-item' in html or 'class="comment-row saved-item' in html
        assert counts[10] == counts[2_000], (url, counts)


def test_the_header_count_is_one_query_at_any_size(client, inboxes):
    """The header's unread count is one query on every page a member sees, whether the
    inbox holds 10 items or 2,000, and the page costs the same at both sizes."""
    totals = {}
    for size, member in inboxes.items():
        client.force_login(member)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/moderation/").content.decode()
        counting = [q for q in queries if "threads_inboxitem" in q["sql"]]
        assert len(counting) == 1, size
        assert f'<span class="count">{size // 2}</span>' in html
        totals[size] = len(queries)
    assert totals[10] == totals[2_000]
    visitor = client.__class__()
    with CaptureQueriesContext(connection) as queries:
        visitor.get("/moderation/")
    assert not [q for q in queries if "threads_inboxitem" in q["sql"]]
