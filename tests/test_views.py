import re
from datetime import timedelta
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_thread, make_tree, make_user
from threads import limits, services
from threads.models import Comment, Thread, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, a_user):
    """A browser session logged in as alice."""
    client.force_login(a_user)
    return client


def comment_ids_in_page(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', html)]


def test_front_page_lists_threads_with_counts(client, a_thread, a_comment):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello forum" in html
    assert "1 comment<" in html
    assert a_thread.get_absolute_url() in html


# Three threads whose hot, new and top orders all differ. Hot (Lemmy's rank) puts the
# busy two-hour-old thread above the quiet one-hour-old one (1422 against 660), and the
# famous day-old thread last (53).
FRONT_PAGE_THREADS = [
    ("quiet and fresh", 0, 1),
    ("busy today", 50, 2),
    ("famous yesterday", 500, 30),
]
HOT = ["busy today", "quiet and fresh", "famous yesterday"]
NEW = ["quiet and fresh", "busy today", "famous yesterday"]
TOP = ["famous yesterday", "busy today", "quiet and fresh"]


@pytest.mark.parametrize(
    ("query", "titles", "tab"),
    [
        ("?sort=hot", HOT, "hot"),
        ("?sort=new", NEW, "new"),
        ("?sort=top", TOP, "top"),
        ("?sort=bogus", HOT, "hot"),  # an unknown sort falls back to hot
        ("?sort=", HOT, "hot"),
        ("", HOT, "hot"),
    ],
)
def test_front_page_sorts(client, db, query, titles, tab):
    now = timezone.now()
    for title, score, hours in FRONT_PAGE_THREADS:
        make_thread(title=title, score=score, created_at=now - timedelta(hours=hours))
    response = client.get(f"/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    shown = re.findall(r'<h2><a href="/t/[^"]*">([^<]*)</a>', html)
    assert shown == titles
    current = re.findall(r'<a href="\?sort=(\w+)" aria-current="page">', html)
    assert current == [tab]


def test_front_page_paginates(client, db):
    for i in range(31):
        make_thread(title=f"thread number {i}")
    first = client.get("/?sort=new").content.decode()
    second = client.get("/?sort=new&page=2").content.decode()
    assert "thread number 30" in first and "thread number 0<" not in first
    assert "thread number 0<" in second
    assert 'rel="next" class="more" href="?sort=new&amp;page=2"' in first
    assert "page 2<" in second and 'rel="next"' not in second
    assert 'rel="prev" href="?sort=new&amp;page=1"' in second
    beyond = client.get("/?sort=new&page=9").content.decode()
    assert "No threads this far back." in beyond and "thread number" not in beyond


def test_thread_page_shows_nested_tree_in_order(client, a_thread):
    top = make_comment(a_thread, body="top")
    child = make_comment(a_thread, parent=top, body="child")
    grandchild = make_comment(a_thread, parent=child, body="grandchild")
    second = make_comment(a_thread, body="second top")
    html = client.get(a_thread.get_absolute_url() + "?sort=old").content.decode()
    assert comment_ids_in_page(html) == [top.pk, child.pk, grandchild.pk, second.pk]
    # The grandchild's article sits inside the child's, inside the top comment's.
    top_block = html[html.index(f'id="c{top.pk}"') : html.index(f'id="c{second.pk}"')]
    assert f'id="c{child.pk}"' in top_block and f'id="c{grandchild.pk}"' in top_block
    assert html.count("<article") == html.count("</article>")
    assert html.count("<details") == html.count("</details>")


def test_thread_page_escapes_markup_and_keeps_line_breaks(client, a_thread):
    make_comment(a_thread, body="<script>alert('x')</script>\nsecond line <b>b</b>")
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<br>\nsecond line &lt;b&gt;b&lt;/b&gt;" in html


def test_markdown_links_get_rel(client, a_thread):
    make_comment(a_thread, body="[x](https://example.com) and https://b.example/p")
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert '<a href="https://example.com" rel="nofollow ugc noopener">x</a>' in html
    assert '<a href="https://b.example/p" rel="nofollow ugc noopener">' in html


def test_javascript_links_are_dropped(client, a_thread):
    make_comment(a_thread, body="[click](javascript:alert(1))")
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert 'href="javascript' not in html


def test_wrong_slug_redirects_to_canonical(client, a_thread):
    response = client.get(f"/t/{a_thread.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == a_thread.get_absolute_url()
    assert client.get(f"/t/{a_thread.pk}/").status_code == 301
    kept = client.get(f"/t/{a_thread.pk}/?sort=new&reply=7")
    assert kept["Location"] == f"{a_thread.get_absolute_url()}?sort=new&reply=7"


def test_missing_pages_are_404(client, db):
    assert client.get("/t/999/x/").status_code == 404
    assert client.get("/c/999/").status_code == 404
    assert client.get("/u/nobody/").status_code == 404


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("logged_in", [False, True])
def test_thread_page_queries_do_not_grow(client, django_assert_max_num_queries, size, logged_in):
    thread = make_thread()
    make_tree(thread, size=size)
    if logged_in:
        viewer = make_user()
        client.force_login(viewer)
        for comment in Comment.objects.all()[:5]:
            services.vote_cast(user=viewer, item=comment, value=1)
    # A member's page: session, user, thread, their comment order, the roots, the rows
    # (their comment votes joined in), their thread vote, the unread count, their ban.
    with django_assert_max_num_queries(9):
        response = client.get(thread.get_absolute_url())
    assert len(comment_ids_in_page(response.content.decode())) == size


def test_comment_controls_for_author_and_others(client, a_thread, a_reply, a_user, a_comment):
    client.force_login(a_user)
    html = client.get(a_thread.get_absolute_url()).content.decode()
    mine = html[html.index(f'id="c{a_reply.pk}"') :]
    assert f"/c/{a_reply.pk}/edit/" in mine
    assert f"/c/{a_reply.pk}/delete/" in mine
    assert f"/c/{a_comment.pk}/edit/" not in html
    assert f'href="#c{a_comment.pk}">parent</a>' in html
    assert f'href="/c/{a_reply.pk}/">permalink</a>' in html


def test_viewer_vote_is_highlighted(client, a_thread, a_comment, a_user):
    services.vote_cast(user=a_user, item=a_comment, value=1)
    client.force_login(a_user)
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert 'class="up on" aria-pressed="true"' in html


def test_collapse_shows_hidden_reply_count(client, a_thread, a_comment, a_reply):
    make_comment(a_thread, parent=a_reply)
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert "<details open>" in html
    assert "(2 replies hidden)" in html


def test_continue_this_thread_below_depth_eight(client, a_thread):
    parent = None
    chain = []
    for _ in range(10):
        parent = make_comment(a_thread, parent=parent)
        chain.append(parent)
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert comment_ids_in_page(html) == [c.pk for c in chain[:8]]
    assert f'<a href="/c/{chain[7].pk}/">continue this thread →</a>' in html
    page = client.get(f"/c/{chain[7].pk}/").content.decode()
    assert comment_ids_in_page(page)[-3:] == [c.pk for c in chain[7:]]


def test_permalink_page_shows_context_and_replies(client, a_thread, a_comment, a_reply):
    deeper = make_comment(a_thread, parent=a_reply, body="deeper")
    response = client.get(f"/c/{a_reply.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "show context (1 parent)" in html
    assert "first!" in html
    assert comment_ids_in_page(html) == [a_comment.pk, a_reply.pk, deeper.pk]
    assert f'href="{a_thread.get_absolute_url()}#c{a_reply.pk}"' in html


def test_sort_control_is_kept_in_urls(client, a_thread, a_comment):
    html = client.get(a_thread.get_absolute_url() + "?sort=new").content.decode()
    assert '<a href="?sort=new" aria-current="page">new</a>' in html
    assert f"?sort=new&amp;reply={a_comment.pk}#c{a_comment.pk}" in html


def test_reply_link_opens_form_under_the_comment(client, alice_client, a_thread, a_comment):
    html = alice_client.get(a_thread.get_absolute_url() + f"?reply={a_comment.pk}").content.decode()
    block = html[html.index(f'id="c{a_comment.pk}"') :]
    assert f'action="/c/{a_comment.pk}/reply/"' in block
    assert client.get(f"/c/{a_comment.pk}/reply/").status_code == 302


def test_reply_posts_and_shows_in_place(alice_client, a_thread, a_comment):
    response = alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": "I *agree*"})
    reply = Comment.objects.get(body="I *agree*")
    assert response.status_code == 302
    assert response["Location"] == f"{a_thread.get_absolute_url()}#c{reply.pk}"
    html = alice_client.get(response["Location"]).content.decode()
    assert comment_ids_in_page(html) == [a_comment.pk, reply.pk]
    assert "<em>agree</em>" in html


def test_top_level_reply(alice_client, a_thread):
    response = alice_client.post(f"/thread/{a_thread.pk}/reply/", {"body": "top"})
    assert response.status_code == 302
    assert Comment.objects.get().parent is None


def test_reply_with_js_returns_the_new_comment_html(alice_client, a_thread, a_comment):
    response = alice_client.post(
        f"/c/{a_comment.pk}/reply/", {"body": "fetch reply"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["id"] == Comment.objects.get(body="fetch reply").pk
    assert f'id="c{data["id"]}"' in data["html"] and "fetch reply" in data["html"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "This field is required."), ("x" * 10_001, "at most 10000 characters")],
)
def test_bad_reply_shows_form_error(alice_client, a_thread, a_comment, body, message):
    response = alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 1


def test_reply_to_comment_of_another_thread_is_a_form_error(alice_client, a_comment):
    other = make_thread(title="Other")
    response = alice_client.post(
        f"/thread/{other.pk}/reply/", {"body": "x", "parent": a_comment.pk}
    )
    assert response.status_code == 400
    assert "You can only reply to a comment in the same thread." in response.content.decode()
    assert other.comments.count() == 0


def test_reply_to_missing_parent_is_a_clear_400(alice_client, a_thread):
    response = alice_client.post(f"/thread/{a_thread.pk}/reply/", {"body": "x", "parent": "99"})
    assert response.status_code == 400
    assert b"does not exist" in response.content


def test_anonymous_actions_go_to_login_and_back(client, a_thread, a_comment):
    response = client.post(f"/c/{a_comment.pk}/reply/", {"body": "hi"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert response["Location"].endswith(f"?next=/c/{a_comment.pk}/reply/")  # its reply form
    response = client.post(f"/c/{a_comment.pk}/vote/", {"value": "1"})
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/submit/")["Location"] == "/accounts/login/?next=/submit/"
    assert Comment.objects.count() == 1 and Vote.objects.count() == 0


def test_login_returns_to_where_you_were(client, a_user, a_thread):
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "pw-for-tests-1", "next": a_thread.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == a_thread.get_absolute_url()


def test_posts_need_csrf_token(a_user, a_thread, a_comment):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(a_user)
    assert strict.post(f"/c/{a_comment.pk}/reply/", {"body": "x"}).status_code == 403
    assert strict.post(f"/c/{a_comment.pk}/vote/", {"value": "1"}).status_code == 403
    assert Comment.objects.count() == 1


def test_vote_without_js_returns_to_the_comment(alice_client, a_thread, a_comment):
    response = alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{a_thread.get_absolute_url()}#c{a_comment.pk}"
    a_comment.refresh_from_db()
    assert a_comment.score == 1


def test_vote_with_js_returns_score(alice_client, a_comment):
    fetch = {"X-Requested-With": "fetch"}
    up = alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "1"}, headers=fetch)
    assert up.json() == {"vote": 1, "score": 1, "shown": "1 point"}
    down = alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "-1"}, headers=fetch)
    assert down.json() == {"vote": -1, "score": -1, "shown": "-1 point"}
    back = alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "-1"}, headers=fetch)
    assert back.json() == {"vote": 0, "score": 0, "shown": "0 points"}


def test_bad_vote_value_is_400(alice_client, a_comment):
    assert alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "9"}).status_code == 400
    assert alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "up"}).status_code == 400


def test_cannot_vote_own_words(alice_client, a_thread, a_reply):
    assert alice_client.post(f"/c/{a_reply.pk}/vote/", {"value": "1"}).status_code == 403
    assert alice_client.post(f"/thread/{a_thread.pk}/vote/", {"value": "1"}).status_code == 403


def test_thread_vote(client, another_user, a_thread):
    client.force_login(another_user)
    response = client.post(f"/thread/{a_thread.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert 'aria-label="Upvote thread"' in html
    assert f'data-thread-score="{a_thread.pk}">1<' in html


def test_locked_thread_shows_notice_and_refuses(alice_client, a_thread, a_comment):
    Thread.objects.filter(pk=a_thread.pk).update(is_locked=True)
    html = alice_client.get(a_thread.get_absolute_url()).content.decode()
    assert "This thread is locked" in html
    assert "/reply/" not in html and "/vote/" not in html
    assert alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": "x"}).status_code == 403
    assert alice_client.post(f"/c/{a_comment.pk}/vote/", {"value": "1"}).status_code == 403
    assert Comment.objects.count() == 1


def test_edit_own_comment(alice_client, a_thread, a_reply):
    assert alice_client.get(f"/c/{a_reply.pk}/edit/").status_code == 200
    response = alice_client.post(f"/c/{a_reply.pk}/edit/", {"body": "better words"})
    assert response.status_code == 302
    html = alice_client.get(a_thread.get_absolute_url()).content.decode()
    assert "better words" in html
    assert 'class="edited" title="edited ' in html


def test_edit_with_empty_text_is_a_form_error(alice_client, a_reply):
    response = alice_client.post(f"/c/{a_reply.pk}/edit/", {"body": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Comment.objects.get(pk=a_reply.pk).body == "a reply"


def test_cannot_edit_or_delete_others_comment(alice_client, a_comment):
    assert alice_client.get(f"/c/{a_comment.pk}/edit/").status_code == 403
    assert alice_client.post(f"/c/{a_comment.pk}/edit/", {"body": "x"}).status_code == 403
    assert alice_client.post(f"/c/{a_comment.pk}/delete/").status_code == 403
    assert Comment.objects.get(pk=a_comment.pk).body == "first!"


def test_delete_own_comment_keeps_replies(client, another_user, a_thread, a_comment, a_reply):
    client.force_login(another_user)
    assert client.get(f"/c/{a_comment.pk}/delete/").status_code == 200
    assert client.post(f"/c/{a_comment.pk}/delete/").status_code == 302
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert "[deleted]" in html and "first!" not in html
    assert comment_ids_in_page(html) == [a_comment.pk, a_reply.pk]


def test_removed_comment_shows_placeholder(client, a_thread, a_comment, a_reply):
    Comment.objects.filter(pk=a_comment.pk).update(is_removed=True)
    html = client.get(a_thread.get_absolute_url()).content.decode()
    assert "[removed by moderator]" in html and "first!" not in html
    assert "a reply" in html


def test_new_thread_form(alice_client):
    assert alice_client.get("/submit/").status_code == 200
    response = alice_client.post(
        "/submit/", {"title": "My topic", "url": "https://example.org", "body": "Hello *all*"}
    )
    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert "<em>all</em>" in html and 'href="https://example.org"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 301}, "at most 300 characters"),
        ({"title": "t", "url": "ftp://example.org/file"}, "Enter a valid URL."),
        ({"title": "t", "url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_new_thread_errors(alice_client, data, message):
    response = alice_client.post("/submit/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Thread.objects.count() == 0


def test_signup_logs_in_and_returns(client, db, a_thread):
    response = client.post(
        f"/accounts/signup/?next={a_thread.get_absolute_url()}",
        {
            "username": "newbie",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "next": a_thread.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == a_thread.get_absolute_url()
    assert "newbie" in client.get("/").content.decode()


def test_signup_rejects_weak_password_and_offsite_next(client, db):
    response = client.post(
        "/accounts/signup/", {"username": "xavier", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 400
    assert "This password is too short." in response.content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "yolanda",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("threads:thread-list")


def test_logout(alice_client):
    assert alice_client.post("/accounts/logout/").status_code == 302
    assert "Log in" in alice_client.get("/").content.decode()


def test_user_page_lists_activity_and_karma(client, a_user, a_thread, a_reply, another_user):
    services.vote_cast(user=another_user, item=a_reply, value=1)
    services.vote_cast(user=another_user, item=a_thread, value=1)
    response = client.get("/u/alice/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 karma" in html
    assert html.index('class="comment-row"') < html.index('class="thread-row"')  # newest first
    assert "a reply" in html


def test_feeds(client, a_thread, a_comment):
    threads = client.get("/feed/")
    assert threads.status_code == 200
    assert threads["Content-Type"].startswith("application/atom+xml")
    assert "Hello forum" in threads.content.decode()
    comments = client.get(f"/thread/{a_thread.pk}/feed/")
    assert "first!" in comments.content.decode()


def test_vote_without_js_returns_to_the_page_it_came_from(alice_client, a_comment):
    permalink = f"http://testserver/c/{a_comment.pk}/?sort=new"
    response = alice_client.post(
        f"/c/{a_comment.pk}/vote/", {"value": "1"}, headers={"Referer": permalink + "#top"}
    )
    assert response["Location"] == f"{permalink}#c{a_comment.pk}"
    offsite = alice_client.post(
        f"/c/{a_comment.pk}/vote/", {"value": "1"}, headers={"Referer": "https://evil.example/"}
    )
    assert offsite["Location"] == f"{a_comment.thread.get_absolute_url()}#c{a_comment.pk}"


def test_in_a_thread_bigger_than_a_page_a_new_reply_opens_on_its_own_page(
    alice_client, a_thread, a_comment, monkeypatch
):

    monkeypatch.setattr(limits, "PAGE_BUDGET", 1)
    make_comment(a_thread)
    assert alice_client.get(f"/c/{a_comment.pk}/reply/")["Location"] == (
        f"/c/{a_comment.pk}/?reply={a_comment.pk}#c{a_comment.pk}"
    )
    response = alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": "deep in a big thread"})
    reply = Comment.objects.get(body="deep in a big thread")
    assert response["Location"] == f"/c/{reply.pk}/#c{reply.pk}"
    html = alice_client.get(response["Location"]).content.decode()
    assert "deep in a big thread" in html and "show context (1 parent)" in html


def test_a_refused_reply_without_the_script_comes_back_with_its_text_and_why(
    alice_client, a_comment
):
    too_long = "word " * (limits.COMMENT_MAX_LENGTH // 5 + 1)
    response = alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": too_long})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("word word word") and escape(a_comment.body) in html  # what it answers
    assert "at most 10000 characters" in html
    assert f'action="/c/{a_comment.pk}/reply/"' in html  # and the form, to send it again
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_deleted_meanwhile_keeps_its_text(alice_client, a_comment):
    services.comment_delete(user=a_comment.author, comment=a_comment)
    response = alice_client.post(f"/c/{a_comment.pk}/reply/", {"body": "my careful answer"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "my careful answer" in html and "takes no replies" in html
