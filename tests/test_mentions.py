"""``@username`` in Markdown: a link to the member's page when the member exists, kept
by ``rerender``; plain text otherwise and wherever Markdown means something else."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_comment, make_thread, make_user
from threads import limits, mentions, services
from threads.markup import render_markdown, render_with_mentions
from threads.models import Comment

pytestmark = pytest.mark.django_db

BOB_LINK = '<a href="/u/bob/" rel="nofollow ugc noopener">@bob</a>'


@pytest.fixture
def bob(db):
    return make_user("bob")


def test_a_members_name_links_to_their_page(bob):
    html, mentioned = render_with_mentions("thanks @bob.")
    assert html == f"<p>thanks {BOB_LINK}.</p>\n"
    assert mentioned == {"bob": bob.pk}


def test_a_name_in_another_case_names_the_same_member(bob, django_assert_num_queries):
    with django_assert_num_queries(2):  # the names as written, then the rest in any case
        html, mentioned = render_with_mentions("thanks @Bob and @BOB, not @bobby")
    assert html == (
        '<p>thanks <a href="/u/bob/" rel="nofollow ugc noopener">@Bob</a> and '
        '<a href="/u/bob/" rel="nofollow ugc noopener">@BOB</a>, not @bobby</p>\n'
    )
    assert mentioned == {"Bob": bob.pk, "BOB": bob.pk}
    with django_assert_num_queries(1):
        assert render_with_mentions("hi @bob")[1] == {"bob": bob.pk}


def test_a_mention_in_another_case_tells_the_member_once(bob):
    thread = make_thread(author=make_user("alice"))
    make_comment(thread, author=make_user("carl"), body="@Bob, and @bob too")
    assert list(bob.inbox_items.values_list("kind", flat=True)) == ["mention"]


def test_a_members_page_answers_to_any_case_of_the_name(bob, client):
    response = client.get("/u/BOB/")
    assert response.status_code == 301 and response["Location"] == "/u/bob/"
    assert client.get("/u/bobby/").status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "ask @nobody",  # no such member
        "`@bob` in code",
        "```\n@bob in a block\n```",
        "[@bob](https://example.com)",  # already a link
        "mail bob@example.com",  # an address, not a mention
        "\\@bob escaped",
    ],
)
def test_mentions_stay_text_where_they_are_no_mention(bob, text):
    html, mentioned = render_with_mentions(text)
    assert 'href="/u/bob/"' not in html
    assert mentioned == {}


def test_names_with_unusual_characters_link_as_reverse_writes_them(db):
    make_user("zoë.b+x")
    assert render_markdown("hi @zoë.b+x!") == (
        '<p>hi <a href="/u/zo%C3%AB.b+x/" rel="nofollow ugc noopener">@zoë.b+x</a>!</p>\n'
    )


def test_markup_around_a_mention_survives(bob):
    assert (
        render_markdown("**@bob** and *x*")
        == f"<p><strong>{BOB_LINK}</strong> and <em>x</em></p>\n"
    )


def test_only_the_first_names_are_looked_up(db, django_assert_num_queries):
    names = [f"n{i}" for i in range(limits.MENTIONS_PER_TEXT + 5)]
    assert mentions.mentioned_names([" ".join(f"@{n}" for n in names)]) == names[:10]
    with django_assert_num_queries(2):  # all names as written, then the unknown in any case
        render_markdown(" ".join(f"@{n}" for n in names))
    with django_assert_num_queries(0):  # none without an @
        render_markdown("no names *here*")


def test_rerender_keeps_mention_links_and_adds_those_of_new_members(db, bob):
    thread = make_thread(author=bob)
    comment = make_comment(thread, author=bob, body="@bob and @later")
    assert "/u/later/" not in comment.body_html
    result = services.bodies_rerender()
    assert result.comments_changed == 0  # nothing changed: the link stays
    make_user("later")
    services.bodies_rerender()
    html = Comment.objects.get(pk=comment.pk).body_html
    assert BOB_LINK in html and 'href="/u/later/"' in html


def test_the_rerender_command_keeps_mention_links(db, bob):
    thread = services.thread_create(author=bob, title="t", body="thread for @bob")
    comment = make_comment(thread, author=bob, body="hi @bob")
    call_command("rerender", stdout=StringIO())
    assert BOB_LINK in Comment.objects.get(pk=comment.pk).body_html
    thread.refresh_from_db()
    assert BOB_LINK in thread.body_html
