"""Search: the language, filters, orders, ranking, snippets, bad queries and pages.

Every test runs on the configured database: SQLite's FTS5 by default, PostgreSQL's
tsvector with ``DATABASE_URL=postgres://…`` (both run before a merge).
"""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import limits, services
from threads.models import Comment, Thread
from threads.search import query as search_query

pytestmark = pytest.mark.django_db

RESULT = re.compile(r'<article class="search-result (\w+)-result">(.*?)</article>', re.S)
LINK = re.compile(r'<h2>.*?<a href="([^"]+)">')


def results(client, **params) -> list[tuple[str, str, str]]:
    """(kind, link, the result's HTML) of each result on the page, in order."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    found = []
    for kind, item in RESULT.findall(response.content.decode()):
        found.append((kind, LINK.search(item).group(1), item))
    return found


def links(client, **params) -> list[str]:
    return [link for _, link, _ in results(client, **params)]


def url_of(item) -> str:
    if isinstance(item, Thread):
        return item.get_absolute_url()
    return f"/c/{item.pk}/#c{item.pk}"


def message(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200, params
    found = re.search(r'role="(?:alert|status)">(.*?)</(?:ul|p)>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


@pytest.fixture
def corpus(db):
    """A small forum: two threads, comments on farms, forests, fire and floods."""
    alice, bob = make_user("alice"), make_user("bob")
    farms = make_thread(author=alice, title="Farm collectivization", body="How it went.")
    weather = make_thread(author=bob, title="Weather and land", body="Fires and floods.")
    c = {
        "collectivized": make_comment(farms, author=bob, body="The farms were collectivized."),
        "forest_fire": make_comment(weather, author=alice, body="A forest fire burned all week."),
        "fire_forest": make_comment(weather, author=bob, body="The fire reached the forest."),
        "flood": make_comment(weather, author=bob, body="Then the flood came."),
        "drought": make_comment(farms, author=alice, body="A drought ruined the harvest."),
    }
    return {"alice": alice, "bob": bob, "farms": farms, "weather": weather, **c}


def test_words_match_by_their_stem(client, corpus):
    assert set(links(client, q="collectivized")) == {
        url_of(corpus["farms"]),  # "collectivization" in the title
        url_of(corpus["collectivized"]),
    }
    assert url_of(corpus["farms"]) in links(client, q="collectivizing")


def test_a_quoted_phrase_matches_the_words_together_in_order(client, corpus):
    assert links(client, q='"forest fire"') == [url_of(corpus["forest_fire"])]
    assert set(links(client, q="forest fire")) == {
        url_of(corpus["forest_fire"]),
        url_of(corpus["fire_forest"]),
    }


def test_a_minus_leaves_out_texts_with_the_word(client, corpus):
    assert links(client, q="fire -week", type="comments") == [url_of(corpus["fire_forest"])]
    assert links(client, q="fire -week -floods") == [url_of(corpus["fire_forest"])]
    assert links(client, q='fire -"forest fire"', type="comments") == [
        url_of(corpus["fire_forest"])
    ]


def test_or_gives_alternatives(client, corpus):
    assert set(links(client, q="flood OR drought", type="comments")) == {
        url_of(corpus["flood"]),
        url_of(corpus["drought"]),
    }
    # OR binds looser than the implied AND: (forest AND week) OR drought
    assert set(links(client, q="forest week or drought")) == {
        url_of(corpus["forest_fire"]),
        url_of(corpus["drought"]),
    }


def test_the_query_reads_the_same_on_both_engines():
    parsed = search_query.parse('Forest "the big fire" -smoke OR "flood" author:Zoë thread:#7')
    assert parsed.author == "Zoë" and parsed.thread_id == 7
    assert parsed.websearch() == 'forest "the big fire" -smoke or flood'
    assert parsed.fts5() == '(("forest" AND "the big fire") NOT "smoke") OR ("flood")'
    # Operators and quotes typed inside words never reach the engines as operators.
    assert search_query.parse('a:b NEAR(x) "o""k').fts5() == '("a b" AND "near x" AND "o" AND "k")'


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "fire author:alice"}, ["forest_fire"]),
        ({"q": "fire", "author": "BOB"}, ["fire_forest", "weather"]),
        ({"q": "the", "author": "bob"}, None),  # only common words: a message
        ({"q": "drought OR flood", "type": "comments", "author": "alice"}, ["drought"]),
        ({"q": "fire", "type": "threads"}, ["weather"]),
        ({"q": "fire", "type": "comments"}, ["forest_fire", "fire_forest"]),
    ],
)
def test_filters_by_author_and_kind(client, corpus, params, expected):
    if expected is None:
        assert message(client, **params) == search_query.ONLY_COMMON_WORDS
        return
    assert set(links(client, **params)) == {url_of(corpus[name]) for name in expected}


def test_filters_by_thread_in_the_query_or_the_form(client, corpus):
    weather = corpus["weather"]
    inside = {url_of(weather), url_of(corpus["flood"])}
    assert set(links(client, q=f"flood OR floods thread:{weather.pk}")) == inside
    assert set(links(client, q="flood", thread=weather.pk)) == inside
    assert links(client, q="drought", thread=weather.pk) == []
    page = client.get(weather.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="thread" value="{weather.pk}">' in page
    assert "Search this thread" in page


def test_filters_by_date_range(client, corpus):
    old = timezone.now() - timedelta(days=400)
    Comment.objects.filter(pk=corpus["flood"].pk).update(created_at=old)
    day = old.date()
    assert links(client, q="flood", type="comments", before=str(day)) == [url_of(corpus["flood"])]
    assert links(client, q="flood", type="comments", after=str(day + timedelta(days=1))) == []
    assert links(client, q="flood", type="comments", after=str(day), before=str(day)) == [
        url_of(corpus["flood"])
    ]


def test_filters_alone_list_newest_first(client, corpus):
    assert links(client, author="alice", type="comments") == [
        url_of(corpus["drought"]),
        url_of(corpus["forest_fire"]),
    ]
    assert links(client, q="author:alice", type="comments") == [
        url_of(corpus["drought"]),
        url_of(corpus["forest_fire"]),
    ]


def test_orders_new_and_top(client, corpus):
    a, b = corpus["forest_fire"], corpus["fire_forest"]
    Comment.objects.filter(pk=a.pk).update(score=50)
    Comment.objects.filter(pk=b.pk).update(created_at=timezone.now() + timedelta(minutes=1))
    assert links(client, q="fire", type="comments", sort="new") == [url_of(b), url_of(a)]
    assert links(client, q="fire", type="comments", sort="top") == [url_of(a), url_of(b)]


def test_ranking_on_a_hand_built_corpus(client, db):
    """Relevance first (title over body, more matches over fewer), then freshness and
    votes among equal texts. Filler texts make the word rare, as on any real forum:
    SQLite's BM25 weighs a word by how rare it is in each table."""
    writer = make_user("writer")
    for i in range(8):
        filler = make_thread(author=writer, title=f"Filler {i}", body="Nothing to see.")
        make_comment(filler, author=writer, body=f"Filler comment {i}.")
    title = make_thread(author=writer, title="Bees", body="A thread.")
    many = make_thread(author=writer, title="Garden", body="bees bees bees and honey bees")
    thread = make_thread(author=writer, title="Other", body="")
    once = make_comment(thread, author=writer, body="I saw bees once in a long while, very far")
    fresh = make_comment(thread, author=writer, body="Bees in my yard")
    old = make_comment(thread, author=writer, body="Bees in my yard")
    liked = make_comment(thread, author=writer, body="Bees in my shed")
    disliked = make_comment(thread, author=writer, body="Bees in my shed")
    now = timezone.now()
    Comment.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=365))
    Comment.objects.filter(pk__in=[liked.pk, disliked.pk]).update(
        created_at=now - timedelta(days=30)
    )
    Comment.objects.filter(pk=liked.pk).update(score=40)
    Comment.objects.filter(pk=disliked.pk).update(score=-40)
    order = links(client, q="bees")
    assert order[0] == url_of(title)
    assert order.index(url_of(many)) < order.index(url_of(once))
    assert order.index(url_of(fresh)) < order.index(url_of(old))
    assert order.index(url_of(liked)) < order.index(url_of(disliked))


def test_snippets_highlight_matches_and_escape_everything_else(client, db):
    thread = make_thread(title="Markup")
    comment = make_comment(
        thread, body="Tags <script>alert('x')</script> and <mark>fake</mark> here: tagging works"
    )
    [(kind, link, html)] = results(client, q="tagging", type="comments")
    assert (kind, link) == ("comment", url_of(comment))
    assert "<script>" not in html and "<mark>fake" not in html
    assert html.count("<mark>") == html.count("</mark>") >= 1
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert {word.lower() for word in marked} <= {"tags", "tagging"}
    if connection.vendor == "sqlite":  # shows typed tags as text; ts_headline leaves them out
        assert "&lt;mark&gt;fake&lt;/mark&gt;" in html
        assert "&lt;script&gt;" in html


def test_a_writer_cannot_forge_highlights(client, db):
    from threads.presentation import highlighted_html

    assert highlighted_html("a \x02b\x03 \x03c \x02\x02d") == "a <mark>b</mark> c <mark>d</mark>"
    assert highlighted_html("<b>&\x02<i>\x03") == "&lt;b&gt;&amp;<mark>&lt;i&gt;</mark>"


def test_removed_and_deleted_comments_are_never_found(client, corpus):
    mod = make_moderator("mia")
    services.comment_remove(moderator=mod, comment=corpus["flood"], reason="spam")
    services.comment_delete(user=corpus["alice"], comment=corpus["drought"])
    for who in (None, corpus["bob"], mod):
        if who:
            client.force_login(who)
        assert links(client, q="flood OR drought", type="comments") == []


def test_moderators_find_removed_comments_in_the_admin(client, corpus):
    mod = make_moderator("mia")
    services.comment_remove(moderator=mod, comment=corpus["flood"], reason="spam")
    client.force_login(mod)
    page = client.get("/admin/threads/comment/", {"q": "floods"}).content.decode()
    assert "Then the flood came." in page
    assert "A drought ruined" not in page
    by_name = client.get("/admin/threads/comment/", {"q": "alice"}).content.decode()
    assert "A drought ruined" in by_name and "Then the flood" not in by_name
    # Not a valid query: names only, no error.
    assert client.get("/admin/threads/comment/", {"q": "-"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": ""}, search_query.EMPTY_QUERY),
        ({"q": "   "}, search_query.EMPTY_QUERY),
        ({"q": "x" * 501}, "That search is 501 characters long; the limit is 500."),
        ({"q": '- "" OR -- ()'}, search_query.NO_WORDS),
        ({"q": "-fire"}, search_query.ONLY_EXCLUSIONS),
        ({"q": "fire OR -flood"}, search_query.ONLY_EXCLUSIONS),
        ({"q": "the and of"}, search_query.ONLY_COMMON_WORDS),
        ({"q": "fire thread:abc"}, search_query.BAD_THREAD_FILTER),
        ({"q": "fire", "after": "yesterday"}, "From: Give dates as YYYY-MM-DD, as in 2026-11-26."),
        ({"q": "fire", "after": "2026-02-02", "before": "2026-01-01"}, "The range ends before"),
        ({"q": "fire", "type": "everything"}, "Find: Select a valid choice."),
        ({"q": "fire", "page": "x"}, "Page: Enter a whole number."),
    ],
)
def test_bad_queries_get_a_clear_message(client, corpus, params, expected):
    assert message(client, **params).startswith(expected.rstrip("."))


@pytest.mark.parametrize(
    "params",
    [
        {"q": "fire", "page": "999999999999999999999"},
        {"q": "fire", "thread": "99999999999999999999999"},
        {"q": "fire thread:99999999999999999"},
        {"q": "fire\tforest\n"},
        {"q": '"unclosed phrase'},
        {"q": "NEAR(a b) OR OR AND NOT * ^ :"},
        {"author": "x" * 300},
    ],
)
def test_odd_queries_never_fail(client, corpus, params):
    assert client.get("/search/", params).status_code == 200


@pytest.mark.parametrize("q", ["\x00fire", "\x02fire\x03"])
def test_control_characters_in_the_query_are_a_bad_request(client, corpus, q):
    assert client.get("/search/", {"q": q}).status_code == 400  # threads.input_guard


def test_an_empty_result_says_so_and_suggests_removing_filters(client, corpus):
    assert message(client, q="volcano").startswith("Nothing matches that search.")
    assert "remove a filter" in message(client, q="volcano", author="alice")


def test_pages_of_results(client, db):
    thread = make_thread(title="Many")
    author = make_user("writer")
    made = [make_comment(thread, author=author, body=f"needle number {i}") for i in range(25)]
    first = client.get("/search/", {"q": "needle", "sort": "new"}).content.decode()
    second = client.get("/search/", {"q": "needle", "sort": "new", "page": 2}).content.decode()
    urls = lambda html: LINK.findall("".join(h for _, h in RESULT.findall(html)))  # noqa: E731
    assert urls(first) == [url_of(c) for c in reversed(made[5:])]
    assert urls(second) == [url_of(c) for c in reversed(made[:5])]
    assert 'rel="next" href="?q=needle&amp;sort=new&amp;page=2"' in first
    assert 'rel="prev"' not in first and 'rel="next"' not in second
    assert 'rel="prev" href="?q=needle&amp;sort=new&amp;page=1"' in second
    beyond = client.get("/search/", {"q": "needle", "page": 40}).content.decode()
    assert "past the last page" in beyond
    assert limits.SEARCH_RESULTS_PER_PAGE == 20


def test_the_header_has_the_box_and_a_help_link(client, db):
    home = client.get("/").content.decode()
    assert '<form class="site-search" role="search" action="/search/">' in home
    assert 'href="/search/help/"' in home
    help_page = client.get("/search/help/").content.decode()
    for example in ('"forest fire"', "fire -forest", "fire OR flood", "author:alice", "thread:42"):
        assert example in help_page
    answer = client.get("/search/", {"q": "x y"}).content.decode()
    assert 'name="q" value="x y"' in answer


def test_removed_and_deleted_threads_are_never_found(client, corpus, a_moderator):
    services.thread_remove(moderator=a_moderator, thread=corpus["weather"], reason="off topic")
    services.thread_delete(user=corpus["alice"], thread=corpus["farms"])
    for q in ("weather", "floods", "fire", "farm", "drought"):
        assert links(client, q=q) == [], q
    client.force_login(a_moderator)  # moderators search removed content in the admin
    assert links(client, q="weather") == []


def test_a_search_result_shows_the_thread_title_through_the_visibility_rule(client, corpus):
    found = results(client, q="collectivized", type="comments")
    assert found and "Farm collectivization" in found[0][2]
