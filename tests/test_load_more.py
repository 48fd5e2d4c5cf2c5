"""Big threads: a first page within the budget, then "load more comments (N)" links that
reach every comment exactly once, as pages without the script and as HTML with it."""

import re
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_user
from threads import limits, services
from threads.importers import ParsedComment, ParsedThread
from threads.models import Comment

pytestmark = pytest.mark.django_db

ARTICLE = re.compile(r'<article class="comment[^"]*" id="c(\d+)"')
MORE = re.compile(r'<p class="more"><a href="([^"]+)" data-more>load more comments \((\d+)\)')


@pytest.fixture
def small_budget(monkeypatch):
    """Pages of 5 comments, so small trees show the big-thread behaviour."""
    monkeypatch.setattr(limits, "PAGE_BUDGET", 5)


def import_tree(shape: dict[str, str | None], *, votes=None) -> list[Comment]:
    """A thread from ``{id: parent id}`` (parents first), bulk-written like an import."""
    votes = votes or {}
    parsed = ParsedThread(
        source="load-more",
        title="A big thread",
        comments=[
            ParsedComment(
                source_id=key,
                parent_source_id=parent,
                body=f"text of {key}",
                upvotes=votes.get(key, 0),
                score=votes.get(key, 0),
            )
            for key, parent in shape.items()
        ],  # fmt: skip
    )
    thread = services.thread_import(parsed=parsed).thread
    return thread, {c.source_id: c.pk for c in Comment.objects.filter(thread=thread)}


def crawl(client, url) -> tuple[list[int], list[int]]:
    """Follow every "load more" link from ``url``; the comment ids seen, and the counts the
    links promised."""
    seen, promised, todo = [], [], [url]
    while todo:
        response = client.get(todo.pop())
        assert response.status_code == 200
        html = response.content.decode()
        seen += [int(pk) for pk in ARTICLE.findall(html)]
        for href, count in MORE.findall(html):
            todo.append(unescape(href))
            promised.append(int(count))
    return seen, promised


def test_first_page_keeps_to_the_budget_and_links_the_rest(client, small_budget):
    shape = {f"r{i}": None for i in range(6)} | {f"k{i}": f"r{i}" for i in range(6)}
    thread, ids = import_tree(shape)
    html = client.get(thread.get_absolute_url()).content.decode()
    shown = [int(pk) for pk in ARTICLE.findall(html)]
    assert shown == [ids[k] for k in ("r0", "k0", "r1", "k1", "r2")]  # 5: the budget
    r2 = Comment.objects.get(pk=ids["r2"])
    assert MORE.findall(html) == [
        (f"/c/{r2.pk}/more/?sort=best&amp;after={r2.lft}&amp;depth=1", "1"),  # r2's reply
        (f"/thread/{thread.pk}/more/?sort=best&amp;offset=3", "6"),  # the other top-level
    ]

    rest = client.get(f"/thread/{thread.pk}/more/?sort=best&offset=3")
    assert rest.status_code == 200
    html = rest.content.decode()
    assert [int(pk) for pk in ARTICLE.findall(html)] == [
        ids[k] for k in ("r3", "k3", "r4", "k4", "r5")
    ]
    assert [count for _, count in MORE.findall(html)] == ["1"]  # r5's reply; no more siblings
    r2_reply = client.get(f"/c/{r2.pk}/more/?sort=best&after={r2.lft}&depth=1").content.decode()
    assert [int(pk) for pk in ARTICLE.findall(r2_reply)] == [ids["k2"]]
    assert "A big thread" in html  # a normal page, with the way back


def test_best_sorted_top_level_comments_come_first(client, small_budget):
    shape = {f"r{i}": None for i in range(8)}
    thread, ids = import_tree(shape, votes={"r7": 9, "r5": 4})
    html = client.get(thread.get_absolute_url()).content.decode()
    assert [int(pk) for pk in ARTICLE.findall(html)][:2] == [ids["r7"], ids["r5"]]


def test_every_comment_is_reachable_exactly_once(client, small_budget):
    """A deep, wide subtree bigger than the budget is cut along a path; the links of the
    cut and of the remaining siblings together reach every comment once."""
    shape = {"a": None, "b": None}
    for i in range(30):  # under "a": a bushy tree 6 levels deep
        parent = "a" if i < 3 else f"a{(i - 3) // 2}"
        shape[f"a{i}"] = parent
    for i in range(4):
        shape[f"b{i}"] = "b"
    thread, ids = import_tree(shape)
    assert max(Comment.objects.filter(thread=thread).values_list("level", flat=True)) < 8
    for sort in ("best", "new", "old"):
        url = f"{thread.get_absolute_url()}?sort={sort}"
        seen, _ = crawl(client, url)
        assert sorted(seen) == sorted(ids.values()), sort
        first_page = client.get(url).content.decode()
        shown, links = ARTICLE.findall(first_page), MORE.findall(first_page)
        assert len(shown) == 5
        assert len(shown) + sum(int(count) for _, count in links) == len(ids)


def test_script_gets_the_batch_as_html(client, small_budget):
    shape = {f"r{i}": None for i in range(7)}
    thread, ids = import_tree(shape)
    response = client.get(
        f"/thread/{thread.pk}/more/?offset=5", headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert [int(pk) for pk in ARTICLE.findall(html)] == [ids["r5"], ids["r6"]]
    assert "<html" not in html


def test_logged_in_viewer_sees_their_votes_in_a_batch(client, small_budget):
    thread, ids = import_tree({f"r{i}": None for i in range(7)})
    voter = make_user("voter")
    services.vote_cast(user=voter, item=Comment.objects.get(pk=ids["r6"]), value=-1)
    client.force_login(voter)
    html = client.get(f"/thread/{thread.pk}/more/?sort=old&offset=5").content.decode()
    assert html.count('class="down on"') == 1


@pytest.mark.parametrize("query", ["offset=x", "after=-1", "depth=1.5"])
def test_bad_batch_parameters_get_a_clear_400(client, a_thread, a_comment, query):
    for url in (f"/thread/{a_thread.pk}/more/?{query}", f"/c/{a_comment.pk}/more/?{query}"):
        response = client.get(url)
        assert response.status_code == 400
        assert (
            response.content.decode() == "after, offset and depth are whole numbers of at least 0."
        )


def test_unknown_thread_or_comment_is_404(client, db):
    assert client.get("/thread/999/more/").status_code == 404
    assert client.get("/c/999/more/").status_code == 404


def test_permalink_of_a_big_subtree_is_cut_and_continued(client, small_budget):
    shape = {"a": None} | {f"a{i}": "a" for i in range(12)}
    thread, ids = import_tree(shape)
    seen, promised = crawl(client, f"/c/{ids['a']}/")
    assert sorted(seen) == sorted(ids.values())
    assert promised == [8, 3]  # 8 after the cut; that batch of 5 links the last 3


def test_a_budget_cut_at_the_display_depth_limit_renders(client, monkeypatch):
    """The cut's "load more" link can land exactly at depth 8, where replies turn into
    "continue this thread" links; the page must still render (it once raised a 500)."""
    chain = {"0": None, **{str(i): str(i - 1) for i in range(1, 8)}}
    chain.update({"x": "7", "y": "7", "z": "7"})  # three replies at depth 8
    monkeypatch.setattr(limits, "PAGE_BUDGET", 8)  # the cut falls right before them
    thread, ids = import_tree(chain)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert [int(pk) for pk in ARTICLE.findall(html)] == [ids[str(i)] for i in range(8)]
    assert "load more comments (3)" in html


CONTINUE = re.compile(r'<p class="continue"><a href="([^"]+)">continue this thread')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parents=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40),
    deep=st.integers(min_value=0, max_value=12),
    budget=st.integers(min_value=1, max_value=12),
    sort=st.sampled_from(["best", "new", "old", "top", "controversial"]),
)
def test_every_comment_is_reachable_from_the_first_page(parents, deep, budget, sort):
    """Any shape, any budget, any sort: every page answers, and following "load more" and
    "continue this thread" links from the thread page reaches every comment."""
    from django.test import Client

    from threads.models import Thread

    Thread.objects.filter(source="load-more").delete()  # the previous example's thread
    shape: dict[str, str | None] = {}
    for i, pick in enumerate(parents):
        shape[str(i)] = None if i == 0 or pick % 4 == 0 else str(pick % i)
    for j in range(deep):  # one chain that goes past the display depth
        shape[f"d{j}"] = f"d{j - 1}" if j else "0"
    original = limits.PAGE_BUDGET
    limits.PAGE_BUDGET = budget
    try:
        thread, ids = import_tree(shape)
        client = Client()
        seen, todo, done = set(), [f"{thread.get_absolute_url()}?sort={sort}"], set()
        while todo:
            url = todo.pop()
            if url in done:
                continue
            done.add(url)
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            seen.update(int(pk) for pk in ARTICLE.findall(html))
            todo += [unescape(href) for href, _ in MORE.findall(html)]
            todo += [unescape(href) for href in CONTINUE.findall(html)]
        assert seen == set(ids.values())
    finally:
        limits.PAGE_BUDGET = original
