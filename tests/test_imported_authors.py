"""Imported authors are names from elsewhere, not accounts: shown with their source beside
them, never linked to a member's page, on every page, in the comment tree and the feeds."""

import re

import pytest

from tests.factories import make_comment, make_thread, make_user
from threads import presentation
from threads.models import Comment

pytestmark = pytest.mark.django_db

MEMBER_PAGE = 'href="/u/alice/"'


@pytest.fixture
def imported(db):
    """A thread imported from reddit, by a reddit "alice", with a reply by that "alice",
    beside a member named alice who commented too."""
    member = make_user("alice")
    thread = make_thread(title="From reddit", source="reddit:t3_abc", author_name="alice")
    theirs = make_comment(thread, body="said on reddit")
    Comment.objects.filter(pk=theirs.pk).update(author=None, author_name="alice")
    mine = make_comment(thread, parent=theirs, author=member, body="said here")
    return thread, Comment.objects.get(pk=theirs.pk), mine


def imported_spans(html: str) -> list[str]:
    return re.findall(r'<span class="author imported" title="([^"]*)">([^<]*)</span>', html)


def test_the_thread_page_marks_imported_names_and_links_only_the_member(client, imported):
    thread, theirs, mine = imported
    html = client.get(thread.get_absolute_url()).content.decode()
    title = "imported name from reddit: not an account on this forum"
    assert imported_spans(html) == [(title, "alice (reddit)"), (title, "alice (reddit)")]
    assert html.count(MEMBER_PAGE) == 1  # the member's own comment, nobody else's
    assert f'<article class="comment" id="c{mine.pk}">' in html


def test_the_front_page_and_the_comment_page_too(client, imported):
    thread, theirs, mine = imported
    front = client.get("/").content.decode()
    assert imported_spans(front)[0][1] == "alice (reddit)"
    assert MEMBER_PAGE not in front
    page = client.get(mine.get_absolute_url()).content.decode()  # theirs is its parent
    assert "alice (reddit)" in page
    assert page.count(MEMBER_PAGE) == 1


def test_the_feeds_name_the_source(client, imported):
    thread, theirs, mine = imported
    threads_feed = client.get("/feed/").content.decode()
    assert "<name>alice (reddit)</name>" in threads_feed
    comments_feed = client.get(f"/thread/{thread.pk}/feed/").content.decode()
    assert "<title>Comment by alice (reddit)</title>" in comments_feed
    assert "<title>Comment by alice</title>" in comments_feed  # the member's own


def test_the_comment_feed_reads_the_thread_with_its_comments(
    client, imported, django_assert_num_queries
):
    thread, *_ = imported
    for _ in range(5):
        make_comment(thread, parent=None)
        Comment.objects.filter(pk=Comment.objects.latest("pk").pk).update(
            author=None, author_name="someone"
        )
    with django_assert_num_queries(2):  # the thread, then its comments with their thread
        client.get(f"/thread/{thread.pk}/feed/")


@pytest.mark.parametrize(
    ("source", "label"),
    [("reddit:t3_x", "reddit"), ("hn:8863", "HN"), ("lemmy:5@lemmy.ml", "Lemmy"),
     ("forum:7", "imported"), ("transcript:Title", "imported"), ("", "imported")],
)  # fmt: skip
def test_source_labels(source, label):
    assert presentation.source_label(source) == label
    assert presentation.author_label("", "Zoë ✓", source) == f"Zoë ✓ ({label})"


def test_any_unicode_stays_as_written_and_markup_is_escaped():
    assert presentation.author_label("bob", "ignored", "reddit:x") == "bob"
    assert presentation.author_label("", "", "reddit:x") == "[deleted]"
    html = presentation.unlinked_author_html(presentation.author_label("", "<b>ø", "hn:1"))
    assert html == (
        '<span class="author imported" title="imported name from HN: not an account on this '
        'forum">&lt;b&gt;ø (HN)</span>'
    )
    assert presentation.unlinked_author_html("[deleted]") == '<span class="author">[deleted]</span>'
