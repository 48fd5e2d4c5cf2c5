"""The one visibility rule, walked over every page that can show a comment.

A comment removed by a moderator shows "[removed by moderator]" to everyone, and its
text only to moderators; a deleted one shows "[deleted]" (its text is gone for good).
Every URL that can show a comment is fetched as an anonymous reader, a member, the
author and a moderator; a new page that shows comments belongs in ``pages`` below.
"""

import pytest

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import presentation, services

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
    top_removed = make_comment(thread, author=alice, body=f"{SECRET} at the top")
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
        # Search finds neither, for anyone; moderators search removed text in the admin.
        ("search", "get", "/search/?q=removed+secret+text+OR+deleted+once", None, False),
        ("search by author", "get", "/search/?author=alice&type=comments", None, False),
        ("search in the thread", "get", f"/search/?q=secret&thread={t.pk}", None, False),
    ]


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
