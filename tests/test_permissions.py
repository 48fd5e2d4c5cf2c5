"""Who may do what: anonymous, member, banned member, moderator and superuser, per endpoint."""

import pytest
from django.urls import reverse

from tests.factories import make_comment, make_moderator, make_superuser, make_user
from threads import services
from threads.models import Comment, Report, Thread, Vote

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "banned", "moderator", "superuser"]
BANNED_TEXT = "You are banned permanently"


@pytest.fixture
def as_role(client, a_moderator):
    """Log the test client in as the given role; returns that user (None when anonymous)."""

    def login(role):
        if role == "anonymous":
            return None
        user = {
            "member": lambda: make_user("member"),
            "banned": lambda: make_user("banned"),
            "moderator": lambda: make_moderator("mod2"),
            "superuser": lambda: make_superuser("root"),
        }[role]()
        if role == "banned":
            services.user_ban(moderator=a_moderator, user=user, reason="spam links")
        client.force_login(user)
        return user

    return login


def expect_write(role, response, *, success=302):
    """Anonymous goes to log in, banned gets a 403 saying why, everyone else succeeds."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return False
    if role == "banned":
        assert response.status_code == 403
        text = response.content.decode()
        assert BANNED_TEXT in text and "Reason: spam links" in text
        return False
    assert response.status_code == success
    return True


@pytest.mark.parametrize("role", ROLES)
def test_reading_is_open_to_everyone(role, as_role, client, a_thread, a_comment):
    as_role(role)
    for url in (
        "/",
        a_thread.get_absolute_url(),
        a_comment.get_absolute_url(),
        reverse("threads:user-detail", args=["bob"]),
        reverse("threads:moderation-log"),
        reverse("threads:feed-thread-comments", args=[a_thread.pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_new_thread(role, as_role, client):
    as_role(role)
    response = client.post(reverse("threads:thread-create"), {"title": "Mine"})
    made = expect_write(role, response)
    assert Thread.objects.filter(title="Mine").exists() == made


@pytest.mark.parametrize("role", ROLES)
def test_top_level_reply(role, as_role, client, a_thread):
    as_role(role)
    response = client.post(reverse("threads:thread-reply", args=[a_thread.pk]), {"body": "hi"})
    assert Comment.objects.filter(body="hi").exists() == expect_write(role, response)


@pytest.mark.parametrize("role", ROLES)
def test_reply_to_comment(role, as_role, client, a_comment):
    as_role(role)
    response = client.post(reverse("threads:comment-reply", args=[a_comment.pk]), {"body": "re"})
    assert Comment.objects.filter(body="re").exists() == expect_write(role, response)


@pytest.mark.parametrize("role", ROLES)
def test_vote_on_comment_and_thread(role, as_role, client, a_thread, a_comment):
    as_role(role)
    response = client.post(reverse("threads:comment-vote", args=[a_comment.pk]), {"value": "1"})
    voted = expect_write(role, response)
    response = client.post(reverse("threads:thread-vote", args=[a_thread.pk]), {"value": "1"})
    expect_write(role, response)
    assert Vote.objects.count() == (2 if voted else 0)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_edit_and_delete_own_comment(role, as_role, client, a_thread):
    user = as_role(role)
    if role == "banned":  # written before the ban
        services.user_unban(moderator=make_moderator("unbanner"), user=user)
        own = make_comment(a_thread, author=user, body="mine")
        services.user_ban(moderator=make_moderator("rebanner"), user=user, reason="spam links")
    else:
        own = make_comment(a_thread, author=user, body="mine")
    edit = client.post(reverse("threads:comment-edit", args=[own.pk]), {"body": "changed"})
    expect_write(role, edit)
    delete = client.post(reverse("threads:comment-delete", args=[own.pk]))
    expect_write(role, delete)
    stored = Comment.objects.get(pk=own.pk)
    if role == "banned":
        assert (stored.body, stored.is_deleted) == ("mine", False)
    else:
        assert (stored.body, stored.is_deleted) == ("", True)


@pytest.mark.parametrize("role", ROLES)
def test_report_a_comment(role, as_role, client, a_comment):
    as_role(role)
    url = reverse("threads:comment-report", args=[a_comment.pk])
    page = client.get(url)
    if expect_write(role, page, success=200):
        assert 'name="reason"' in page.content.decode()
    response = client.post(url, {"reason": "spam"})
    assert Report.objects.filter(comment=a_comment).exists() == expect_write(role, response)


@pytest.mark.parametrize("role", ROLES)
def test_locked_thread_refuses_replies_and_votes(
    role, as_role, client, a_moderator, a_thread, a_comment
):
    services.thread_lock(moderator=a_moderator, thread=a_thread)
    as_role(role)
    attempts = [
        (reverse("threads:thread-reply", args=[a_thread.pk]), {"body": "late"}),
        (reverse("threads:comment-reply", args=[a_comment.pk]), {"body": "late"}),
        (reverse("threads:comment-vote", args=[a_comment.pk]), {"value": "1"}),
        (reverse("threads:thread-vote", args=[a_thread.pk]), {"value": "1"}),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 403, url
            assert services.THREAD_LOCKED in response.content.decode() or role == "banned"
    assert Comment.objects.count() == 1
    assert not Vote.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_moderators_and_superusers(role, as_role, client, a_user):
    as_role(role)
    response = client.get(reverse("admin:index"))
    if role in ("moderator", "superuser"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    password = client.get(reverse("admin:auth_user_password_change", args=[a_user.pk]))
    expected = {"moderator": 403, "superuser": 200}.get(role, 302)
    assert password.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_banned_notice_only_for_the_banned(role, as_role, client):
    as_role(role)
    text = client.get("/").content.decode()
    assert (BANNED_TEXT in text) == (role == "banned")
