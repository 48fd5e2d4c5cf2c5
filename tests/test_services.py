import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_comment, make_thread, make_user
from threads import services
from threads.integrity import score_problems, tree_problems
from threads.models import Comment, Thread, Vote
from threads.services import votes

pytestmark = pytest.mark.django_db


def test_reply_counts_and_nests(a_thread, a_comment, a_user):
    reply = services.comment_create(author=a_user, thread=a_thread, parent=a_comment, body="hi")
    assert reply.parent_id == a_comment.pk
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 2
    assert tree_problems() == []


def test_reply_renders_markdown_once_and_stores_it(a_thread, a_user):
    comment = services.comment_create(
        author=a_user, thread=a_thread, body="*hi* see https://example.com/x"
    )
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == "*hi* see https://example.com/x"
    assert stored.body_html == (
        '<p><em>hi</em> see <a href="https://example.com/x" rel="nofollow ugc noopener">'
        "https://example.com/x</a></p>\n"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", services.EMPTY_TEXT),
        ("   \n ", services.EMPTY_TEXT),
        ("x" * 10_001, "The text is 10,001 characters long; the limit is 10,000."),
    ],
)
def test_reply_rejects_bad_text(a_thread, a_user, body, message):
    with pytest.raises(ValidationError) as error:
        services.comment_create(author=a_user, thread=a_thread, body=body)
    assert error.value.messages == [message]
    assert Comment.objects.count() == 0


def test_reply_to_a_comment_in_another_thread_is_refused(a_thread, a_comment, a_user):
    other = make_thread(title="Other")
    with pytest.raises(ValidationError, match="same thread"):
        services.comment_create(author=a_user, thread=other, parent=a_comment, body="x")
    assert other.comments.count() == 0


def test_reply_to_deleted_comment_is_refused(a_thread, a_comment, another_user, a_user):
    services.comment_delete(user=another_user, comment=a_comment)
    with pytest.raises(ValidationError, match="deleted or removed"):
        services.comment_create(author=a_user, thread=a_thread, parent=a_comment, body="x")


def test_reply_to_a_comment_gone_for_good_is_refused(a_thread, a_comment, a_user, a_superuser):
    """The parent was read for the page, then purged from the database by a superuser."""
    services.comment_purge(moderator=a_superuser, comment=a_comment, reason="illegal")
    with pytest.raises(ValidationError, match="deleted or removed"):
        services.comment_create(author=a_user, thread=a_thread, parent=a_comment, body="x")
    assert Comment.objects.count() == 0
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 0  # as purged; nothing added


def test_locked_thread_refuses_replies_and_votes_and_keeps_nothing(a_thread, a_comment, a_user):
    Thread.objects.filter(pk=a_thread.pk).update(is_locked=True)
    tree_before = list(Comment.objects.values_list("pk", "lft", "rght", "descendant_count"))
    with pytest.raises(PermissionDenied, match="locked"):
        services.comment_create(author=a_user, thread=a_thread, body="x")
    with pytest.raises(PermissionDenied, match="locked"):
        services.comment_create(author=a_user, thread=a_thread, parent=a_comment, body="x")
    with pytest.raises(PermissionDenied, match="locked"):
        services.vote_cast(user=a_user, item=a_comment, value=1)
    with pytest.raises(PermissionDenied, match="locked"):
        services.vote_cast(user=make_user(), item=a_thread, value=1)
    assert list(Comment.objects.values_list("pk", "lft", "rght", "descendant_count")) == (
        tree_before
    )
    assert not Vote.objects.exists()
    thread = Thread.objects.get(pk=a_thread.pk)
    comment = Comment.objects.get(pk=a_comment.pk)
    assert (thread.comment_count, thread.score, comment.score, comment.upvotes) == (1, 0, 0, 0)


def test_anonymous_and_inactive_cannot_write(a_thread):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.comment_create(author=AnonymousUser(), thread=a_thread, body="x")
    inactive = make_user(is_active=False)
    with pytest.raises(PermissionDenied):
        services.comment_create(author=inactive, thread=a_thread, body="x")


def test_edit_marks_edited_and_rerenders(a_reply, a_user):
    services.comment_edit(user=a_user, comment=a_reply, body="**changed**")
    stored = Comment.objects.get(pk=a_reply.pk)
    assert stored.body == "**changed**"
    assert stored.body_html == "<p><strong>changed</strong></p>\n"
    assert stored.edited_at is not None


def test_only_the_author_edits_or_deletes(a_reply, another_user):
    with pytest.raises(PermissionDenied):
        services.comment_edit(user=another_user, comment=a_reply, body="mine now")
    with pytest.raises(PermissionDenied):
        services.comment_delete(user=another_user, comment=a_reply)
    assert Comment.objects.get(pk=a_reply.pk).body == "a reply"


def test_delete_blanks_text_and_keeps_replies(a_thread, a_comment, a_reply, another_user):
    services.comment_delete(user=another_user, comment=a_comment)
    stored = Comment.objects.get(pk=a_comment.pk)
    assert (stored.is_deleted, stored.body, stored.body_html) == (True, "", "")
    assert Comment.objects.get(pk=a_reply.pk).parent_id == a_comment.pk
    assert tree_problems() == []


def vote_state(item):
    item.refresh_from_db()
    return item.score, item.upvotes, item.downvotes


def test_vote_up_down_and_take_back(a_comment, a_user):
    assert services.vote_cast(user=a_user, item=a_comment, value=1) == 1
    assert vote_state(a_comment) == (1, 1, 0)
    assert services.vote_cast(user=a_user, item=a_comment, value=-1) == -1
    assert vote_state(a_comment) == (-1, 0, 1)
    assert services.vote_cast(user=a_user, item=a_comment, value=-1) == 0
    assert vote_state(a_comment) == (0, 0, 0)
    assert Vote.objects.count() == 0


def test_votes_from_several_users_add_up(a_comment):
    for value in (1, 1, 1, -1):
        services.vote_cast(user=make_user(), item=a_comment, value=value)
    assert vote_state(a_comment) == (2, 3, 1)
    assert score_problems() == []


def test_vote_on_thread(a_thread, another_user):
    assert services.vote_cast(user=another_user, item=a_thread, value=1) == 1
    assert vote_state(a_thread) == (1, 1, 0)
    assert Vote.objects.get().thread_id == a_thread.pk


def test_cannot_vote_on_own_words(a_thread, a_comment, a_user, another_user):
    with pytest.raises(PermissionDenied, match="what you wrote"):
        services.vote_cast(user=a_user, item=a_thread, value=1)
    with pytest.raises(PermissionDenied, match="what you wrote"):
        services.vote_cast(user=another_user, item=a_comment, value=1)
    assert Vote.objects.count() == 0


def test_vote_value_must_be_up_or_down(a_comment, a_user):
    with pytest.raises(ValidationError):
        services.vote_cast(user=a_user, item=a_comment, value=2)


def test_thread_create_validates_url_scheme(a_user):
    with pytest.raises(ValidationError) as error:
        services.thread_create(author=a_user, title="t", url="javascript:alert(1)")
    assert "url" in error.value.message_dict
    thread = services.thread_create(author=a_user, title="  Spaces  ", url="https://x.org")
    assert (thread.title, thread.url) == ("Spaces", "https://x.org")


def test_thread_create_requires_title(a_user):
    with pytest.raises(ValidationError):
        services.thread_create(author=a_user, title="   ")
    assert Thread.objects.count() == 0


def test_many_replies_keep_the_tree_valid(a_thread):
    from tests.factories import make_tree

    make_tree(a_thread, size=40)
    assert tree_problems() == []
    assert Thread.objects.get(pk=a_thread.pk).comment_count == 40


def test_reply_under_stale_parent_instance_uses_fresh_numbers(a_thread, a_comment, a_user):
    stale = Comment.objects.get(pk=a_comment.pk)
    make_comment(a_thread, parent=a_comment)
    make_comment(a_thread, parent=a_comment)
    services.comment_create(author=a_user, thread=a_thread, parent=stale, body="late")
    assert tree_problems() == []
    assert (
        list(
            Comment.objects.filter(parent=a_comment).order_by("lft").values_list("body", flat=True)
        )[-1]
        == "late"
    )


def test_empty_text_renders_to_no_html():
    from threads.markup import render_markdown

    assert render_markdown("") == ""


def test_a_vote_that_keeps_losing_its_row_says_so_and_changes_nothing(
    a_comment, a_user, monkeypatch
):
    """The insert finds a row that another click takes back before it can be read."""
    monkeypatch.setattr(votes, "_insert_first_vote", lambda *args: False)
    with pytest.raises(ValidationError, match="please vote again"):
        services.vote_cast(user=a_user, item=a_comment, value=1)
    a_comment.refresh_from_db()
    assert (a_comment.score, a_comment.upvotes) == (0, 0)
    assert not Vote.objects.exists()
