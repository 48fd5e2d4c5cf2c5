"""``manage.py rerender``: stored HTML made again from stored text with today's rules."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_comment, make_moderator, make_thread, make_user
from threads import services
from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db

TABLE = "| a | b |\n|---|--:|\n| 1 | 2 |"
TABLE_HTML = (
    "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
    "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
)
# What the rules before tables, <s> and shifted headings made of the same text.
OLD_TABLE_HTML = "<p>| a | b |<br>\n|---|--:|<br>\n| 1 | 2 |</p>\n"
TREE_FIELDS = ("pk", "tree_id", "lft", "rght", "level", "parent_id", "descendant_count")


@pytest.fixture
def stale_forum(db):
    """A thread and five comments, three of them with HTML from older rules: a struck
    word, a heading, and a removed comment's table; one deleted, one plain."""
    thread = make_thread(title="Old rules", body=TABLE, body_html=OLD_TABLE_HTML)
    author = make_user("writer")
    struck = make_comment(thread, author=author, body="~~gone~~ here")
    heading = make_comment(thread, parent=struck, body="# Big")
    removed = make_comment(thread, parent=heading, body=TABLE)
    deleted = make_comment(thread, author=author, body="bye")
    plain = make_comment(thread, parent=struck, body="fine as it is")
    services.comment_delete(user=author, comment=deleted)
    services.comment_remove(moderator=make_moderator("mia"), comment=removed, reason="spam")
    stale = {struck: "<p>gone here</p>\n", heading: "<h1>Big</h1>\n", removed: OLD_TABLE_HTML}
    for comment, html in stale.items():
        Comment.objects.filter(pk=comment.pk).update(body_html=html)
    return thread, {"struck": struck, "heading": heading, "removed": removed,
                    "deleted": deleted, "plain": plain}  # fmt: skip


def rerender(*args) -> str:
    out = StringIO()
    call_command("rerender", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def stored(comments: dict) -> dict[str, tuple[str, str]]:
    rows = {
        pk: (body, html)
        for pk, body, html in Comment.objects.values_list("pk", "body", "body_html")
    }
    return {name: rows[c.pk] for name, c in comments.items()}


def tree_fields():
    return list(Comment.objects.order_by("pk").values_list(*TREE_FIELDS))


def test_rerender_brings_stored_html_up_to_todays_rules(stale_forum):
    thread, comments = stale_forum
    tree_before = tree_fields()
    assert rerender() == "Re-rendered 1 of 1 thread and 3 of 5 comments.\n"
    assert Thread.objects.get(pk=thread.pk).body_html == TABLE_HTML
    assert stored(comments) == {
        "struck": ("~~gone~~ here", "<p><s>gone</s> here</p>\n"),
        "heading": ("# Big", "<h3>Big</h3>\n"),
        "removed": (TABLE, TABLE_HTML),  # kept for moderators, and for a restore
        "deleted": ("", ""),
        "plain": ("fine as it is", "<p>fine as it is</p>\n"),
    }
    assert tree_fields() == tree_before


def test_a_second_run_changes_nothing(stale_forum):
    rerender()
    html_after_first = list(Comment.objects.order_by("pk").values_list("body_html"))
    assert rerender() == "Re-rendered 0 of 1 thread and 0 of 5 comments.\n"
    assert list(Comment.objects.order_by("pk").values_list("body_html")) == html_after_first


def test_dry_run_counts_and_writes_nothing(stale_forum):
    thread, comments = stale_forum
    before = stored(comments)
    assert rerender("--dry-run") == "Would re-render 1 of 1 thread and 3 of 5 comments.\n"
    assert stored(comments) == before
    assert Thread.objects.get(pk=thread.pk).body_html == OLD_TABLE_HTML


def test_small_batches_reach_every_row(stale_forum):
    _, comments = stale_forum
    assert rerender("--batch-size", "2") == "Re-rendered 1 of 1 thread and 3 of 5 comments.\n"
    assert stored(comments)["removed"] == (TABLE, TABLE_HTML)


def test_quiet_run_prints_nothing_and_still_writes(stale_forum):
    _, comments = stale_forum
    out = StringIO()
    call_command("rerender", verbosity=0, stdout=out, stderr=StringIO())
    assert out.getvalue() == ""
    assert stored(comments)["heading"] == ("# Big", "<h3>Big</h3>\n")


def test_counts_are_grouped_and_an_empty_forum_says_so(db):
    assert rerender() == "Re-rendered 0 of 0 threads and 0 of 0 comments.\n"


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_batch_size_below_one_is_refused_in_one_line(db, size):
    with pytest.raises(CommandError, match=f"^--batch-size must be at least 1, not {size}.$"):
        rerender("--batch-size", size)


class Terminal(StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_on_a_terminal_only(stale_forum):
    err = StringIO()
    call_command("rerender", "--batch-size", "3", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""  # not a terminal
    tty = Terminal()
    call_command("rerender", "--batch-size", "3", stdout=StringIO(), stderr=tty)
    # One redraw per batch: the thread, then three comments, then two.
    assert tty.getvalue() == (
        "\r[#####-------------------------] 1/6 bodies"
        "\r[####################----------] 4/6 bodies"
        "\r[##############################] 6/6 bodies\n"
    )


def test_the_service_reports_each_batch_and_its_counts(stale_forum):
    seen = []
    result = services.bodies_rerender(batch_size=2, progress=lambda *p: seen.append(p))
    assert result == services.RerenderResult(
        threads_examined=1, threads_changed=1, comments_examined=5, comments_changed=3
    )
    assert seen == [(1, 6), (3, 6), (5, 6), (6, 6)]


def test_queries_do_not_grow_with_rows(db):
    def queries_for_stale_comments(count: int) -> int:
        thread = make_thread(title=f"{count} comments")
        made = [make_comment(thread, body=f"~~{i}~~") for i in range(count)]
        Comment.objects.filter(pk__in=[c.pk for c in made]).update(body_html="old")
        with CaptureQueriesContext(connection) as queries:
            services.bodies_rerender(batch_size=500)
        return len(queries)

    assert queries_for_stale_comments(3) == queries_for_stale_comments(60)
