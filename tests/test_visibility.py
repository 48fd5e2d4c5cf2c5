"""The one visibility rule, walked over every page that can show a comment.

A comment removed by a moderator shows "[removed by moderator]" to everyone, and its
text only to moderators; a deleted one shows "[deleted]" (its text is gone for good).
Every URL that can show a comment is fetched as an anonymous reader, a member, the
author and a moderator; a new page that shows comments belongs in ``pages`` below.
"""

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import presentation, services
from threads.models import InboxItem, Profile

SECRET = "REMOVED-SECRET-TEXT"
DELETED = "DELETED-ONCE-TEXT"


@pytest.fixture
def scene(db):
    """A thread with a removed and a deleted comment by alice, each with a reply."""
    alice, bob, mod = make_user("alice"), make_user("bob"), make_moderator("mia")
    thread = make_thread(author=bob, title="Visibility")
    root = make_comment(thread, author=bob, body="the root")
    removed = make_comment(thread, parent=root, author=alice, body=SECRET)
    under_removed = make_comment(thread, parent=removed, author=bob, body="answer to removed")
    deleted = make_comment(thread, parent=root, author=alice, body=DELETED)
    make_comment(thread, parent=deleted, author=bob, body="answer to deleted")
    top_removed = make_comment(thread, author=alice, body=f"{SECRET} at the top, @mia")
    for user in (alice, bob, mod):  # saved before they went, for /saved/
        for comment in (removed, deleted, top_removed):
            services.item_save(user=user, item=comment)
    services.comment_remove(moderator=mod, comment=removed, reason="rude")
    services.comment_remove(moderator=mod, comment=top_removed, reason="rude")
    services.comment_delete(user=alice, comment=deleted)
    return {
        "users": {"anonymous": None, "member": bob, "author": alice, "moderator": mod},
        "thread": thread,
        "root": root,
        "removed": removed,
        "under_removed": under_removed,
        "deleted": deleted,
    }


def pages(scene):
    """Every page that can show these comments: (name, method, url, data, moderators may
    see removed text there)."""
    t, root, removed = scene["thread"], scene["root"], scene["removed"]
    return [
        ("thread", "get", t.get_absolute_url(), None, True),
        ("thread sorted", "get", f"{t.get_absolute_url()}?sort=new", None, True),
        ("permalink", "get", f"/c/{removed.pk}/", None, True),
        ("permalink of a reply (context)", "get", f"/c/{scene['under_removed'].pk}/", None, True),
        ("top-level batch", "get", f"/thread/{t.pk}/more/", None, True),
        ("reply batch", "get", f"/c/{root.pk}/more/?after=0", None, True),
        ("batch for the script", "get", f"/c/{root.pk}/more/?after=0&xhr=1", None, True),
        ("user page", "get", "/u/alice/", None, True),
        ("thread feed", "get", f"/thread/{t.pk}/feed/", None, False),
        ("threads feed", "get", "/feed/", None, False),
        ("report form", "get", f"/c/{removed.pk}/report/", None, False),
        ("report post", "post", f"/c/{removed.pk}/report/", {"reason": "x"}, False),
        ("edit form", "get", f"/c/{removed.pk}/edit/", None, False),
        ("edit post", "post", f"/c/{removed.pk}/edit/", {"body": "new"}, False),
        ("delete page", "get", f"/c/{removed.pk}/delete/", None, False),
        ("reply form", "get", f"/c/{removed.pk}/reply/", None, True),
        # bob got replies from both, mia a mention; everyone saved both.
        ("inbox", "get", "/inbox/", None, True),
        ("saved", "get", "/saved/", None, True),
        ("bob's inbox feed", "get", _inbox_feed(scene["users"]["member"]), None, False),
        ("mia's inbox feed", "get", _inbox_feed(scene["users"]["moderator"]), None, False),
        # Search finds neither, for anyone; moderators search removed text in the admin.
        ("search", "get", "/search/?q=removed+secret+text+OR+deleted+once", None, False),
        ("search by author", "get", "/search/?author=alice&type=comments", None, False),
        ("search in the thread", "get", f"/search/?q=secret&thread={t.pk}", None, False),
    ]


def _inbox_feed(user) -> str:
    return reverse("threads:inbox-feed", args=[Profile.of(user).feed_token])


@pytest.mark.parametrize("viewer", ["anonymous", "member", "author", "moderator"])
def test_removed_text_shows_only_to_moderators_and_deleted_text_to_nobody(client, scene, viewer):
    user = scene["users"][viewer]
    if user is not None:
        client.force_login(user)
    for name, method, url, data, moderators_see in pages(scene):
        headers = {"X-Requested-With": "fetch"} if "xhr=1" in url else {}
        response = getattr(client, method)(url, data or {}, follow=True, headers=headers)
        assert response.status_code < 500, (name, response.status_code)
        text = response.content.decode()
        may_see = viewer == "moderator" and moderators_see
        assert (SECRET in text) == may_see, (viewer, name, response.status_code)
        assert DELETED not in text, (viewer, name)
        if name in {"thread", "permalink", "top-level batch", "reply batch", "user page"}:
            assert presentation.REMOVED_PLACEHOLDER in text, (viewer, name)
        if name in {"thread", "reply batch", "user page"}:
            assert presentation.DELETED_PLACEHOLDER in text, (viewer, name)
        if name in {"inbox", "saved"} and user is not None and user != scene["users"]["author"]:
            assert presentation.REMOVED_PLACEHOLDER in text, (viewer, name)
        if name == "saved" and user is not None:
            assert presentation.DELETED_PLACEHOLDER in text, (viewer, name)


def test_the_inbox_walk_holds_removed_and_deleted_comments(scene):
    """The walk above reads inbox items of the removed and deleted comments."""
    bob, mia = scene["users"]["member"], scene["users"]["moderator"]
    told = set(InboxItem.objects.filter(recipient=bob).values_list("comment_id", flat=True))
    assert {scene["removed"].pk, scene["deleted"].pk} <= told
    assert InboxItem.objects.filter(recipient=mia, kind="mention").exists()


def test_a_removed_comment_cannot_be_reported(client, scene):
    client.force_login(scene["users"]["member"])
    url = f"/c/{scene['removed'].pk}/report/"
    for response in (client.get(url), client.post(url, {"reason": "spam"})):
        assert response.status_code == 404
        assert services.REPORT_GONE_COMMENT in response.content.decode()
    assert not scene["removed"].reports.exists()


def test_the_placeholders_come_from_one_rule(scene):
    removed, deleted = scene["removed"], scene["deleted"]
    removed.refresh_from_db()
    deleted.refresh_from_db()
    assert presentation.comment_body_html(removed) == presentation.REMOVED_HTML
    assert SECRET in presentation.comment_body_html(removed, moderator_view=True)
    assert presentation.comment_body_html(deleted, moderator_view=True) == (
        presentation.DELETED_HTML
    )
    assert presentation.comment_body_text(removed) == presentation.REMOVED_PLACEHOLDER
    assert presentation.comment_body_text(removed, moderator_view=True) == SECRET
    assert presentation.sees_removed_text(scene["users"]["moderator"])
    assert not presentation.sees_removed_text(scene["users"]["author"])
    assert not presentation.sees_removed_text(None)


# Threads: the same rule for a thread's title, link and text, on every page that shows a
# thread (front page, thread page, comment pages, user page, feeds, the log, the admin).

THREAD_SECRET = "quokka"  # in the removed thread's title, link, text and slug
THREAD_DELETED = "wombat"  # in the deleted thread's, before its author deleted it


@pytest.fixture
def thread_scene(db):
    """alice's removed link post and her deleted thread, each with bob's comment."""
    alice, bob, mod = make_user("alice"), make_user("bob"), make_moderator("mia")
    removed = make_thread(
        author=alice,
        title=f"The {THREAD_SECRET} post",
        url=f"https://{THREAD_SECRET}.example/x",
        body=f"{THREAD_SECRET} text",
        body_html=f"<p>{THREAD_SECRET} text</p>",
    )
    deleted = make_thread(
        author=alice,
        title=f"The {THREAD_DELETED} post",
        body=f"{THREAD_DELETED} text",
        body_html=f"<p>{THREAD_DELETED}</p>",
    )
    comments = {
        "removed": make_comment(removed, author=bob, body="still readable under removed"),
        "deleted": make_comment(deleted, author=bob, body="still readable under deleted"),
    }
    services.thread_remove(moderator=mod, thread=removed, reason="spam")
    services.thread_delete(user=alice, thread=deleted)
    return {
        "users": {"anonymous": None, "member": bob, "author": alice, "moderator": mod},
        "removed": removed,
        "deleted": deleted,
        "comments": comments,
    }


def thread_pages(scene):
    """(name, method, url, data, moderators may see the removed thread there)."""
    removed, deleted = scene["removed"], scene["deleted"]
    pages = [
        ("front page", "get", "/", None, True),
        ("front page new", "get", "/?sort=new", None, True),
        ("front page top", "get", "/?sort=top&page=1", None, True),
        ("user page", "get", "/u/alice/", None, True),
        ("moderation log", "get", "/moderation/", None, True),
        ("threads feed", "get", "/feed/", None, False),
        ("admin threads", "get", "/admin/threads/thread/", None, True),
        ("admin log", "get", "/admin/threads/moderationlog/", None, True),
    ]
    for kind, thread in (("removed", removed), ("deleted", deleted)):
        comment = scene["comments"][kind]
        shown = kind == "removed"  # the deleted thread's pages never show the removed one
        pages += [
            (f"{kind} thread", "get", f"/t/{thread.pk}/", None, shown),
            (f"{kind} thread by old slug", "get", f"/t/{thread.pk}/{thread.slug}/", None, shown),
            (f"{kind} batch", "get", f"/thread/{thread.pk}/more/", None, shown),
            (f"{kind} comment page", "get", f"/c/{comment.pk}/", None, shown),
            (f"{kind} comment batch", "get", f"/c/{comment.pk}/more/", None, shown),
            (f"{kind} comment reply", "get", f"/c/{comment.pk}/reply/", None, shown),
            (f"{kind} comment report", "get", f"/c/{comment.pk}/report/", None, shown),
            (f"{kind} thread feed", "get", f"/thread/{thread.pk}/feed/", None, False),
            (f"{kind} report", "get", f"/thread/{thread.pk}/report/", None, shown),
            (f"{kind} report post", "post", f"/thread/{thread.pk}/report/", {"reason": "x"}, shown),
            (f"{kind} edit", "get", f"/thread/{thread.pk}/edit/", None, False),
            (f"{kind} edit post", "post", f"/thread/{thread.pk}/edit/", {"body": "x"}, False),
            (f"{kind} delete", "get", f"/thread/{thread.pk}/delete/", None, False),
        ]
    return pages


@pytest.mark.parametrize("viewer", ["anonymous", "member", "author", "moderator"])
def test_removed_threads_show_only_to_moderators_and_deleted_ones_to_nobody(
    client, thread_scene, viewer
):
    user = thread_scene["users"][viewer]
    if user is not None:
        client.force_login(user)
    for name, method, url, data, moderators_see in thread_pages(thread_scene):
        response = getattr(client, method)(url, data or {}, follow=True)
        assert response.status_code < 500, (name, response.status_code)
        text = response.content.decode().lower()
        may_see = viewer == "moderator" and moderators_see
        assert (THREAD_SECRET in text) == may_see, (viewer, name, response.status_code)
        assert THREAD_DELETED not in text, (viewer, name)
        if name.endswith("thread") or name.endswith("comment page"):
            assert "still readable" in text, (viewer, name)
            placeholder = presentation.DELETED_PLACEHOLDER
            if name.startswith("removed"):
                placeholder = presentation.REMOVED_PLACEHOLDER
            if not (may_see and name.startswith("removed")):
                assert placeholder in text, (viewer, name)


def test_a_deleted_thread_keeps_no_text(thread_scene):
    deleted = thread_scene["deleted"]
    deleted.refresh_from_db()
    assert (deleted.title, deleted.url, deleted.body, deleted.body_html) == ("", "", "", "")
    assert deleted.is_deleted and deleted.slug == "deleted"


def test_the_thread_placeholders_come_from_one_rule(thread_scene):
    removed, deleted = thread_scene["removed"], thread_scene["deleted"]
    removed.refresh_from_db()
    assert presentation.thread_title_text(removed) == presentation.REMOVED_PLACEHOLDER
    assert THREAD_SECRET in presentation.thread_title_text(removed, moderator_view=True)
    assert presentation.thread_link_url(removed) == ""
    assert presentation.thread_body_html(removed) == presentation.REMOVED_HTML
    assert THREAD_SECRET in presentation.thread_body_html(removed, moderator_view=True)
    assert str(removed) == presentation.REMOVED_PLACEHOLDER
    assert presentation.thread_title_text(deleted, moderator_view=True) == "[deleted]"
    assert presentation.thread_body_html(deleted) == presentation.DELETED_HTML
    assert removed.get_absolute_url() == f"/t/{removed.pk}/removed/"
