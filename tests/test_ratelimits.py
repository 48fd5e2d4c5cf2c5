"""Rate limits on the real Redis: each test sets its own figures, under a key prefix of
its own (``real_redis_cache``), so no test meets another's counters."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_moderator, make_superuser, make_thread, make_user
from threads import ratelimits
from threads.models import Comment, Report, Thread, Vote

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
LIMITS = {
    "signup": ["3/h"],
    "thread": ["2/m", "4/d"],
    "thread_new": ["1/m", "2/d"],
    "comment": ["3/m", "5/d"],
    "comment_new": ["2/m", "3/d"],
    "vote": ["4/m"],
    "report": ["2/h"],
    "password_reset_address": ["3/h"],
    "password_reset_account": ["2/h"],
    "search": ["2/m"],
    "email_change": ["2/h"],
    "preview": ["3/m"],
    "save": ["2/m"],
    "block": ["2/m"],
}


@pytest.fixture
def limits_on(db, settings, real_redis_cache):
    """The limits above, counted in the real Redis; the heated rule off unless asked."""
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {name: list(rates) for name, rates in LIMITS.items()}
    settings.HEATED_REPLY_SECONDS = 0
    return settings


def established(user):
    """An account older than a day: the ordinary limits, not the new accounts' ones."""
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=2)
    )
    user.refresh_from_db()
    return user


def reply(client, thread, body, **headers):
    return client.post(reverse("threads:thread-reply", args=[thread.pk]), {"body": body}, **headers)


def test_a_comment_flood_is_refused_after_the_limit_with_nothing_half_written(
    limits_on, client, a_thread, a_user
):
    client.force_login(established(a_user))
    answers = [reply(client, a_thread, f"flood {i}", **FETCH) for i in range(10)]
    assert [a.status_code for a in answers] == [201] * 3 + [429] * 7
    refused = answers[3]
    assert refused.json()["error"].startswith("Too many comments from you for now: please try")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Comment.objects.filter(thread=a_thread).count() == 3
    a_thread.refresh_from_db()
    assert a_thread.comment_count == 3


def test_a_limited_form_post_gets_the_page_that_says_when_and_keeps_the_text(
    limits_on, client, a_thread, a_user
):
    client.force_login(established(a_user))
    for i in range(3):
        assert reply(client, a_thread, f"ok {i}").status_code == 302
    page = reply(client, a_thread, "my carefully typed <answer>")
    assert page.status_code == 429
    assert page["Retry-After"].isdigit()
    html = page.content.decode()
    assert "<h1>Slow down</h1>" in html
    assert "Too many comments from you for now: please try again in" in html
    assert "You can try again at <time datetime=" in html
    assert "my carefully typed &lt;answer&gt;</textarea>" in html


def test_the_per_day_window_holds_after_the_minute_one(limits_on, client, a_thread, a_user):
    limits_on.RATE_LIMITS["comment"] = ["100/m", "5/d"]
    client.force_login(established(a_user))
    statuses = [reply(client, a_thread, f"c{i}", **FETCH).status_code for i in range(7)]
    assert statuses == [201] * 5 + [429] * 2
    assert int(reply(client, a_thread, "again", **FETCH)["Retry-After"]) > 60


def test_accounts_younger_than_a_day_have_the_stricter_limits(limits_on, client, a_thread):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    statuses = [reply(client, a_thread, f"n{i}", **FETCH).status_code for i in range(4)]
    assert statuses == [201, 201, 429, 429]


def test_moderators_and_the_superuser_are_exempt_from_content_limits(limits_on, client, a_thread):
    for person in (make_moderator("mia"), make_superuser("root")):
        client.force_login(person)
        statuses = {reply(client, a_thread, f"m{i}", **FETCH).status_code for i in range(8)}
        assert statuses == {201}


def test_limits_count_each_member_apart(limits_on, client, a_thread, a_user, another_user):
    client.force_login(established(a_user))
    for i in range(3):
        reply(client, a_thread, f"a{i}", **FETCH)
    assert reply(client, a_thread, "one more", **FETCH).status_code == 429
    client.force_login(established(another_user))
    assert reply(client, a_thread, "bob's first", **FETCH).status_code == 201


def test_comment_reply_url_counts_against_the_same_limit(limits_on, client, a_comment, a_user):
    client.force_login(established(a_user))
    url = reverse("threads:comment-reply", args=[a_comment.pk])
    statuses = [client.post(url, {"body": f"r{i}"}, **FETCH).status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]


def test_new_threads_are_limited_per_member(limits_on, client, a_user):
    client.force_login(established(a_user))
    url = reverse("threads:thread-create")
    statuses = [client.post(url, {"title": f"T{i}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert Thread.objects.filter(author=a_user).count() == 2
    assert client.get(url).status_code == 200  # the form itself is never limited


def test_votes_are_limited_per_member_per_minute(limits_on, client, a_thread, a_user):
    client.force_login(established(a_user))
    comments = [make_comment(a_thread, body=f"v{i}") for i in range(6)]
    statuses = [
        client.post(reverse("threads:comment-vote", args=[c.pk]), {"value": "1"}, **FETCH)
        for c in comments
    ]
    assert [s.status_code for s in statuses] == [200] * 4 + [429] * 2
    assert statuses[4].json()["error"].startswith("Too many votes from you for now")
    assert Vote.objects.filter(user=a_user).count() == 4


def test_reports_are_limited_per_member_per_hour(limits_on, client, a_thread, a_user):
    client.force_login(established(a_user))
    comments = [make_comment(a_thread, body=f"r{i}") for i in range(3)]
    statuses = [
        client.post(reverse("threads:comment-report", args=[c.pk]), {"reason": "spam"}).status_code
        for c in comments
    ]
    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2


def test_reports_of_threads_count_against_the_same_limit(limits_on, client, a_thread, a_user):
    client.force_login(established(a_user))
    others = [make_thread(title=f"other {i}") for i in range(2)]
    comment = make_comment(a_thread, body="reported")
    statuses = [
        client.post(reverse("threads:comment-report", args=[comment.pk]), {"reason": "spam"}),
        client.post(reverse("threads:thread-report", args=[others[0].pk]), {"reason": "spam"}),
        client.post(reverse("threads:thread-report", args=[others[1].pk]), {"reason": "spam"}),
    ]
    assert [s.status_code for s in statuses] == [302, 302, 429]
    assert Report.objects.count() == 2


def test_address_confirmation_mails_are_limited_per_member(limits_on, client, a_user):
    client.force_login(established(a_user))
    url = reverse("threads:settings-email")
    statuses = [client.post(url, {"email": f"new{i}@example.com"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def signup(client, name, address="10.1.1.1"):
    data = {"username": name, "password1": "a-Long-pass-481", "password2": "a-Long-pass-481"}
    return client.post(reverse("threads:signup"), data, REMOTE_ADDR=address)


def test_signups_are_limited_per_address(limits_on, client):
    statuses = [signup(client, f"new{i}").status_code for i in range(5)]
    client.logout()
    assert statuses == [302, 302, 302, 429, 429]
    assert signup(client, "elsewhere", address="10.1.1.2").status_code == 302
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert names == {"new0", "new1", "new2", "elsewhere"}


def test_password_reset_mails_are_limited_per_address_and_per_account(limits_on, client):
    make_user("alice", email="alice@example.com")
    url = reverse("password_reset")

    def ask(email, address):
        return client.post(url, {"email": email}, REMOTE_ADDR=address).status_code

    assert [ask("Alice@example.com", "10.2.0.1"), ask("alice@example.com", "10.2.0.2")] == [302] * 2
    assert ask("alice@example.com", "10.2.0.3") == 429  # the account's limit, any address
    assert len(mail.outbox) == 2
    assert ask("nobody@example.com", "10.2.0.4") == 302  # same answer: nobody is told who exists
    assert [ask(f"x{i}@example.com", "10.2.0.9") for i in range(4)] == [302] * 3 + [429]


def test_the_search_page_is_limited_per_address(limits_on, client):
    statuses = [
        client.get("/search/", {"q": "fire"}, REMOTE_ADDR="10.3.1.1").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert client.get("/search/", {"q": "fire"}, REMOTE_ADDR="10.3.1.2").status_code == 200


def test_search_decorator_limits_per_address(limits_on):
    @ratelimits.rate_limited("search")
    def search(request):
        return HttpResponse("results")

    factory = RequestFactory()
    answers = [search(factory.get("/search/?q=x", REMOTE_ADDR="10.3.0.1")) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"].isdigit()
    assert search(factory.get("/search/?q=x", REMOTE_ADDR="10.3.0.2")).status_code == 200


def test_previews_are_limited_per_address(limits_on, client):
    def preview(address):
        return client.post("/preview/", {"body": "*hello*"}, REMOTE_ADDR=address, **FETCH)

    answers = [preview("10.4.0.1") for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 3 + [429]
    assert answers[3].json()["error"].startswith("Too many previews from your address")
    assert preview("10.4.0.2").json() == {"html": "<p><em>hello</em></p>\n"}


def test_a_forms_preview_button_counts_as_a_preview_not_as_a_comment(
    limits_on, client, a_thread, a_user
):
    client.force_login(established(a_user))
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    previews = [client.post(url, {"body": "draft", "preview": "1"}) for _ in range(4)]
    assert [p.status_code for p in previews] == [200] * 3 + [429]
    assert "Too many previews" in previews[3].content.decode()
    assert "draft" in previews[3].content.decode()  # the text comes back to copy
    assert [reply(client, a_thread, f"sent {i}", **FETCH).status_code for i in range(3)] == [
        201
    ] * 3
    assert Comment.objects.filter(thread=a_thread).count() == 3


def test_saves_and_blocks_are_limited_per_member(limits_on, client, a_thread, a_comment, a_user):
    client.force_login(established(a_user))
    saves = [
        client.post(reverse("threads:comment-save", args=[a_comment.pk]), {"save": "1"}, **FETCH),
        client.post(reverse("threads:thread-save", args=[a_thread.pk]), {"save": "1"}, **FETCH),
        client.post(reverse("threads:comment-save", args=[a_comment.pk]), {"save": "0"}, **FETCH),
    ]
    assert [s.status_code for s in saves] == [200, 200, 429]
    assert saves[2].json()["error"].startswith("Too many saves from you")
    make_user("zed")
    block = reverse("threads:user-block", args=["zed"])
    blocks = [client.post(block, {"block": value}, **FETCH) for value in ("1", "0", "1")]
    assert [b.status_code for b in blocks] == [200, 200, 429]
    assert blocks[2].json()["error"].startswith("Too many blocks from you")
    client.force_login(established(make_user("yves")))  # another member counts apart
    assert client.post(block, {"block": "1"}, **FETCH).status_code == 200


def test_nothing_is_limited_when_the_limits_are_off(limits_on, client, a_thread, a_user):
    limits_on.RATE_LIMITS_ENABLED = False
    client.force_login(a_user)
    assert {reply(client, a_thread, f"x{i}", **FETCH).status_code for i in range(6)} == {201}


def test_a_cache_that_does_not_answer_lets_requests_through_and_says_so(
    limits_on, client, a_thread, a_user, caplog
):
    client.force_login(established(a_user))
    limits_on.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                    "LOCATION": "redis://127.0.0.1:1/0"}}  # fmt: skip
    assert {reply(client, a_thread, f"d{i}", **FETCH).status_code for i in range(4)} == {201}
    assert "Rate limit comment not counted" in caplog.text
