"""The inbox, saved-items and blocked-members pages, their buttons (without the script
and as the script sends them), the inbox feed, the header count and the badges."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import limits, presentation, services
from threads.models import Block, Comment, InboxItem, Profile, SavedItem

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def scene(db):
    """alice's thread; bob answered it and named carl."""
    alice, bob, carl = make_user("alice"), make_user("bob"), make_user("carl")
    thread = make_thread(author=alice, title="Alice asks")
    answer = make_comment(thread, author=bob, body="bob answers @carl")
    return {"alice": alice, "bob": bob, "carl": carl, "thread": thread, "answer": answer}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def item_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="inbox-item[^"]*" id="item-(\d+)"', html)]


# Login required


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "threads:inbox", []),
        ("get", "threads:saved", []),
        ("get", "threads:blocked", []),
        ("post", "threads:inbox-item-read", [1]),
        ("post", "threads:inbox-read-all", []),
        ("post", "threads:inbox-feed-rotate", []),
        ("post", "threads:user-block", ["bob"]),
        ("post", "threads:comment-save", ["ANSWER"]),
        ("post", "threads:thread-save", ["THREAD"]),
    ],
)
def test_visitors_are_sent_to_log_in(client, scene, method, name, args):
    args = [{"ANSWER": scene["answer"].pk, "THREAD": scene["thread"].pk}.get(a, a) for a in args]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert InboxItem.objects.filter(is_read=True).count() == 0
    assert Block.objects.count() == SavedItem.objects.count() == 0


# The inbox page


def test_the_inbox_shows_the_comment_its_thread_and_a_link_in_context(scene):
    html = logged_in(scene["alice"]).get(reverse("threads:inbox")).content.decode()
    answer = scene["answer"]
    assert "replied to your thread" in html and "Alice asks" in html
    assert "bob answers" in html
    assert f'href="{scene["thread"].get_absolute_url()}#c{answer.pk}"' in html
    assert "mark read" in html and 'class="badge new"' in html


def test_the_inbox_lists_unread_first_then_newest_and_pages(scene, monkeypatch):
    alice, bob, thread = scene["alice"], scene["bob"], scene["thread"]
    for n in range(4):
        make_comment(thread, author=bob, body=f"more {n}")
    items = list(InboxItem.objects.filter(recipient=alice).order_by("id"))
    base = timezone.now() - timedelta(hours=1)
    for n, item in enumerate(items):
        InboxItem.objects.filter(pk=item.pk).update(created_at=base + timedelta(minutes=n))
    services.inbox_item_mark_read(user=alice, item_id=items[-1].pk)  # the newest, read
    monkeypatch.setattr(limits, "INBOX_ITEMS_PER_PAGE", 3)
    client = logged_in(alice)
    first = item_ids(client.get(reverse("threads:inbox")).content.decode())
    second = client.get(reverse("threads:inbox"), {"page": 2}).content.decode()
    expected = [i.pk for i in reversed(items[:-1])] + [items[-1].pk]
    assert first + item_ids(second) == expected
    assert "page 2 of 2" in second


def test_the_inbox_follows_the_visibility_rule(scene):
    mod = make_moderator("mia")
    services.comment_remove(moderator=mod, comment=scene["answer"], reason="rude")
    html = logged_in(scene["alice"]).get(reverse("threads:inbox")).content.decode()
    assert presentation.REMOVED_PLACEHOLDER in html and "bob answers" not in html


def test_the_inbox_is_private(scene):
    html = logged_in(scene["bob"]).get(reverse("threads:inbox")).content.decode()
    assert item_ids(html) == [] and "Nothing here yet" in html


# Mark read


def test_mark_read_without_the_script_comes_back_to_the_inbox(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = logged_in(scene["alice"])
    back = reverse("threads:inbox") + f"?page=1#item-{item.pk}"
    response = client.post(reverse("threads:inbox-item-read", args=[item.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert InboxItem.objects.get(pk=item.pk).is_read
    html = client.get(reverse("threads:inbox")).content.decode()
    assert "mark read" not in html and 'class="badge new"' not in html


def test_mark_read_for_the_script_answers_json_with_the_new_count(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = logged_in(scene["alice"])
    answer = client.post(reverse("threads:inbox-item-read", args=[item.pk]), headers=FETCH)
    assert answer.json() == {"id": item.pk, "read": True, "unread": 0}


def test_mark_read_never_leaves_the_site(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = logged_in(scene["alice"])
    url = reverse("threads:inbox-item-read", args=[item.pk])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("threads:inbox")


def test_other_members_cannot_mark_your_items(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = logged_in(scene["bob"])
    url = reverse("threads:inbox-item-read", args=[item.pk])
    assert client.post(url).status_code == 403
    answer = client.post(url, headers=FETCH)
    assert answer.status_code == 403 and answer.json() == {"error": services.NOT_YOUR_ITEM}
    assert client.post(reverse("threads:inbox-read-all")).status_code == 302
    assert InboxItem.objects.get(pk=item.pk).is_read is False


def test_mark_read_takes_only_post(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = logged_in(scene["alice"])
    assert client.get(reverse("threads:inbox-item-read", args=[item.pk])).status_code == 405
    assert client.get(reverse("threads:inbox-read-all")).status_code == 405


def test_mark_all_read(scene):
    make_comment(scene["thread"], author=scene["carl"])
    client = logged_in(scene["alice"])
    response = client.post(reverse("threads:inbox-read-all"), follow=True)
    assert "Marked 2 items read." in response.content.decode()
    assert not InboxItem.objects.filter(recipient=scene["alice"], is_read=False).exists()
    answer = client.post(reverse("threads:inbox-read-all"), headers=FETCH).json()
    assert answer == {"marked": 0, "unread": 0}


def test_forms_need_their_csrf_token(scene):
    item = InboxItem.objects.get(recipient=scene["alice"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene["alice"])
    for url in (
        reverse("threads:inbox-item-read", args=[item.pk]),
        reverse("threads:inbox-read-all"),
        reverse("threads:inbox-feed-rotate"),
        reverse("threads:user-block", args=["bob"]),
        reverse("threads:comment-save", args=[scene["answer"].pk]),
    ):
        assert client.post(url).status_code == 403, url
    assert not InboxItem.objects.filter(is_read=True).exists()
    assert Block.objects.count() == SavedItem.objects.count() == 0


# The header


def test_the_header_shows_the_unread_count_on_every_page(scene):
    client = logged_in(scene["alice"])
    unread = re.compile(r'data-unread-count> <span class="count">(\d+)</span>')
    for url in ("/", scene["thread"].get_absolute_url(), "/u/bob/", reverse("threads:saved")):
        assert unread.findall(client.get(url).content.decode()) == ["1"], url
    client.post(reverse("threads:inbox-read-all"))
    html = client.get("/").content.decode()
    assert "data-unread-count hidden>" in html  # there, for the script, but not shown


def test_visitors_see_no_inbox_link(client, scene):
    assert "data-unread-count" not in client.get("/").content.decode()


# The feed


def test_the_inbox_feed_lives_at_a_secret_address(client, scene):
    token = Profile.of(scene["alice"]).feed_token
    response = client.get(reverse("threads:inbox-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "bob replied to your thread on Alice asks" in feed and "bob answers" in feed
    assert client.get(reverse("threads:inbox-feed", args=["no-such-token"])).status_code == 404


def test_the_inbox_page_offers_the_feed_and_rotating_revokes_it(scene):
    client = logged_in(scene["alice"])
    old = Profile.of(scene["alice"]).feed_token
    assert reverse("threads:inbox-feed", args=[old]) in client.get("/inbox/").content.decode()
    response = client.post(reverse("threads:inbox-feed-rotate"), follow=True)
    assert "Your inbox feed has a new address" in response.content.decode()
    new = Profile.objects.get(user=scene["alice"]).feed_token
    assert Client().get(reverse("threads:inbox-feed", args=[old])).status_code == 404
    assert Client().get(reverse("threads:inbox-feed", args=[new])).status_code == 200
    answer = client.post(reverse("threads:inbox-feed-rotate"), headers=FETCH).json()
    assert answer["feed_url"].endswith(Profile.objects.get(user=scene["alice"]).feed_token + "/")


def test_the_feed_of_a_deactivated_member_is_gone(client, scene):
    token = Profile.of(scene["alice"]).feed_token
    scene["alice"].is_active = False
    scene["alice"].save()
    assert client.get(reverse("threads:inbox-feed", args=[token])).status_code == 404


# Blocks


def test_block_and_unblock_from_the_members_page(scene):
    client = logged_in(scene["alice"])
    url = reverse("threads:user-block", args=["bob"])
    assert ">Block</button>" in client.get("/u/bob/").content.decode()
    response = client.post(url, {"block": "1"}, follow=True)
    html = response.content.decode()
    assert "You blocked bob." in html and ">Unblock</button>" in html
    assert Block.objects.filter(blocker=scene["alice"], blocked=scene["bob"]).exists()
    assert "bob" in client.get(reverse("threads:blocked")).content.decode()
    assert client.post(url, {"block": "0"}, headers=FETCH).json() == {"blocked": False}
    assert not Block.objects.exists()


def test_blocking_is_private(scene):
    services.user_block(user=scene["alice"], blocked=scene["bob"])
    as_bob = logged_in(scene["bob"])
    assert "You block" not in as_bob.get("/u/bob/").content.decode()
    assert "alice" not in as_bob.get(reverse("threads:blocked")).content.decode().split("<main")[1]
    assert "You block" not in Client().get("/u/bob/").content.decode()


def test_nobody_blocks_themselves_and_no_button_says_so(scene):
    client = logged_in(scene["alice"])
    assert "block-form" not in client.get("/u/alice/").content.decode()
    response = client.post(reverse("threads:user-block", args=["alice"]), headers=FETCH)
    assert response.status_code == 400 and response.json() == {"error": services.BLOCK_SELF}
    assert client.post(reverse("threads:user-block", args=["nobody"])).status_code == 404


def test_a_blocked_members_comments_are_folded_with_a_note(scene):
    services.user_block(user=scene["alice"], blocked=scene["bob"])
    answer = scene["answer"]
    html = logged_in(scene["alice"]).get(scene["thread"].get_absolute_url()).content.decode()
    article = html[html.index(f'id="c{answer.pk}"') - 40 :]
    assert '<article class="comment blocked"' in article
    assert "<details>" in article.split("</summary>")[0]  # closed, not open
    assert "blocked (you blocked this member)" in article
    others = logged_in(scene["carl"]).get(scene["thread"].get_absolute_url()).content.decode()
    assert "blocked" not in others.split('id="tree"')[1]


def test_a_blocked_members_threads_are_folded_with_a_note(scene):
    services.user_block(user=scene["bob"], blocked=scene["alice"])
    client = logged_in(scene["bob"])
    front = client.get("/").content.decode()
    assert (
        f'<article class="thread-row blocked" id="t{scene["thread"].pk}">' in front
        and "a thread by a member you blocked" in front
    )
    page = client.get(scene["thread"].get_absolute_url()).content.decode()
    assert "blocked: you blocked alice" in page


# Saved items


def test_save_a_comment_and_find_it_at_saved(scene):
    client = logged_in(scene["carl"])
    answer = scene["answer"]
    thread_page = scene["thread"].get_absolute_url()
    url = reverse("threads:comment-save", args=[answer.pk])
    response = client.post(
        url, {"save": "1"}, headers={"Referer": f"http://testserver{thread_page}"}
    )
    assert response["Location"] == f"http://testserver{thread_page}#c{answer.pk}"
    html = client.get(thread_page).content.decode()
    assert f'formaction="{url}" name="save" value="0" class="link save-button">unsave<' in html
    saved = client.get(reverse("threads:saved")).content.decode()
    assert "bob answers" in saved and f"/c/{answer.pk}/" in saved
    assert client.post(url, {"save": "0"}, headers=FETCH).json() == {"saved": False}
    assert "Nothing saved yet" in client.get(reverse("threads:saved")).content.decode()


def test_save_a_thread_and_unsave_it_from_the_list(scene):
    client = logged_in(scene["carl"])
    url = reverse("threads:thread-save", args=[scene["thread"].pk])
    assert client.post(url, {"save": "1"}, headers=FETCH).json() == {"saved": True}
    assert ">unsave</button>" in client.get(scene["thread"].get_absolute_url()).content.decode()
    saved = client.get(reverse("threads:saved")).content.decode()
    assert "Alice asks" in saved
    response = client.post(url, {"save": "0", "next": "saved"})
    assert response["Location"] == reverse("threads:saved")
    assert not SavedItem.objects.exists()


def test_saved_items_follow_the_visibility_rule_and_page(scene, monkeypatch):
    carl = scene["carl"]
    services.item_save(user=carl, item=scene["answer"])
    services.comment_remove(moderator=make_moderator("mia"), comment=scene["answer"], reason="x")
    for n in range(3):
        services.item_save(user=carl, item=make_comment(scene["thread"], body=f"kept {n}"))
    monkeypatch.setattr(limits, "SAVED_ITEMS_PER_PAGE", 2)
    client = logged_in(carl)
    pages = [client.get(reverse("threads:saved"), {"page": n}).content.decode() for n in (1, 2)]
    assert "kept 2" in pages[0] and "kept 1" in pages[0] and "page 1 of 2" in pages[0]
    assert presentation.REMOVED_PLACEHOLDER in pages[1] and "bob answers" not in pages[1]


def test_saved_items_are_private(scene):
    services.item_save(user=scene["carl"], item=scene["answer"])
    assert "bob answers" not in logged_in(scene["alice"]).get("/saved/").content.decode()


# Badges


def test_op_badge_on_the_thread_authors_comments(scene):
    mine = make_comment(
        scene["thread"], parent=scene["answer"], author=scene["alice"], body="op here"
    )
    html = Client().get(scene["thread"].get_absolute_url()).content.decode()
    op = '<span class="badge op" title="the thread\'s author">OP</span>'
    assert html.count(op) == 1
    assert html.index(op) > html.index(f'id="c{mine.pk}"')


def test_a_moderator_speaks_as_one_from_the_reply_form(scene):
    mia = make_moderator("mia")
    client = logged_in(mia)
    page = client.get(scene["thread"].get_absolute_url()).content.decode()
    assert page.count(presentation.DISTINGUISH_BOX) == 2  # the top form and the script's
    url = reverse("threads:thread-reply", args=[scene["thread"].pk])
    client.post(url, {"body": "Be kind.", "distinguish": "1"})
    client.post(url, {"body": "Just me."})
    said = dict(Comment.objects.filter(author=mia).values_list("body", "distinguished"))
    assert said == {"Be kind.": "moderator", "Just me.": ""}
    html = Client().get(scene["thread"].get_absolute_url()).content.decode()
    assert html.count('title="said as a moderator">mod</span>') == 1


def test_members_get_no_moderator_box_and_cannot_forge_it(scene):
    client = logged_in(scene["carl"])
    page = client.get(scene["thread"].get_absolute_url()).content.decode()
    assert "distinguish" not in page
    url = reverse("threads:thread-reply", args=[scene["thread"].pk])
    response = client.post(url, {"body": "I am a mod", "distinguish": "1"}, headers=FETCH)
    assert response.status_code == 403 and response.json() == {"error": services.NOT_A_MODERATOR}
    assert not Comment.objects.filter(body="I am a mod").exists()


# A reply through the site reaches the inbox


def test_a_reply_posted_on_the_site_reaches_the_inbox(scene):
    client = logged_in(scene["carl"])
    url = reverse("threads:comment-reply", args=[scene["answer"].pk])
    client.post(url, {"body": "carl to bob, cc @alice"})
    bob = logged_in(scene["bob"]).get(reverse("threads:inbox")).content.decode()
    assert "replied to your comment" in bob and "carl to bob" in bob
    alice = logged_in(scene["alice"]).get(reverse("threads:inbox")).content.decode()
    assert "mentioned you" in alice
