"""Reddit, Lemmy, Hacker News and forum JSON imports: fields, trees, updates, bad input."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, base, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_user
from tests.make_reddit_messy import messy_thread
from threads import exporting, importers, markup, services
from threads.importers import lemmy, parse_file
from threads.importers.hackernews import html_to_markdown
from threads.integrity import tree_problems
from threads.models import Comment, Thread, Vote

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
REDDIT, LEMMY, HN, FORUM = (
    DATA / name
    for name in ("reddit_thread.json", "lemmy_thread.json", "hn_thread.json", "forum_thread.json")
)


def run_import(path, *args, stderr=None) -> str:
    out = StringIO()
    call_command("import_thread", str(path), *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def shape(thread) -> list[tuple[int, str]]:
    return list(thread.comments.order_by("tree_id", "lft").values_list("level", "source_id"))


def state(thread) -> dict:
    rows = thread.comments.values_list(
        "source_id", "author_name", "body", "score", "upvotes", "downvotes", "is_deleted",
        "is_removed",
    )  # fmt: skip
    return {row[0]: row[1:] for row in rows}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(tmp_path, data, name="export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# Reddit


def reddit_things(data) -> dict:
    """Every t1 comment's data in a Reddit document, by full name, to edit in place."""
    found, stack = {}, list(data[1]["data"]["children"])
    while stack:
        thing = stack.pop()
        if thing["kind"] == "t1":
            found[thing["data"]["name"]] = thing["data"]
            stack.extend(
                (thing["data"]["replies"] or {"data": {"children": []}})["data"]["children"]
            )
    return found


def test_reddit_thread_keeps_structure_authors_scores_and_state():
    out = run_import(REDDIT)
    thread = Thread.objects.get()
    assert out == (
        "Imported 'Why did Rome & Carthage fight three wars?' (new thread): 8 comments created, "
        "0 already present, 2 placeholders skipped (43 comments not in the file).\n"
    )
    assert (thread.source, thread.url, thread.body, thread.author_name) == (
        "reddit:1abcde", "", "Asking for a friend <3", "curious_cat",
    )  # fmt: skip
    assert (thread.score, thread.upvotes, thread.is_locked) == (1234, 1234, False)
    assert thread.created_at.isoformat() == "2023-11-14T22:13:20+00:00"
    assert thread.comment_count == 8
    assert shape(thread) == [
        (0, "t1_c1"), (1, "t1_c2"), (2, "t1_c3"), (3, "t1_c4"), (4, "t1_c5"),
        (0, "t1_d1"), (1, "t1_d2"), (0, "t1_r1"),
    ]  # fmt: skip
    rows = state(thread)
    assert rows["t1_c1"] == ("historian", "Sicily, mostly. Café talk aside: 日本語 is fine too.",
                             50, 50, 0, False, False)  # fmt: skip
    assert rows["t1_c2"][2:4] == (-3, 0)  # ups mirror a negative score; counts stay >= 0
    assert rows["t1_d1"] == ("", "", 4, 4, 0, True, False)
    assert rows["t1_d2"][:2] == ("", "My account is gone but this stays.")
    assert rows["t1_r1"] == ("troll", "", 0, 0, 0, False, True)
    edited = Comment.objects.get(source_id="t1_c1").edited_at
    assert edited.isoformat() == "2023-11-14T22:21:40+00:00"
    assert tree_problems() == []


def test_reddit_html_looking_text_is_shown_as_text():
    run_import(REDDIT)
    comment = Comment.objects.get(source_id="t1_c2")
    assert comment.body == "<script>alert(1)</script> & **bold** claims need sources"
    assert comment.body_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <strong>bold</strong> claims need "
        "sources</p>\n"
    )


def test_newer_reddit_export_adds_new_comments_and_refreshes_the_rest(tmp_path):
    run_import(REDDIT)
    voter = make_user("voter")
    services.vote_cast(user=voter, item=Comment.objects.get(source_id="t1_c3"), value=1)
    first_pks = dict(Comment.objects.values_list("source_id", "pk"))
    data = load(REDDIT)
    things = reddit_things(data)
    things["t1_c1"].update(score=75, ups=75, body="Sicily, mostly (edited).", edited=1700009999)
    things["t1_c3"].update(score=20, ups=20)
    things["t1_d2"]["body"] = "[deleted]"
    new = {**things["t1_r1"], "id": "n1", "name": "t1_n1", "parent_id": "t1_c5"}
    new.update(body="A new reply", author="new")
    things["t1_c5"]["replies"] = {
        "kind": "Listing",
        "data": {"children": [{"kind": "t1", "data": new}]},
    }
    out = run_import(write_json(tmp_path, data))
    assert out == (
        "Imported 'Why did Rome & Carthage fight three wars?' (existing thread): 1 comments "
        "created, 8 already present, 3 updated, 2 placeholders skipped (43 comments not in the "
        "file).\n"
    )
    thread = Thread.objects.get()
    rows = state(thread)
    assert rows["t1_c1"][1:4] == ("Sicily, mostly (edited).", 75, 75)
    assert Comment.objects.get(source_id="t1_c1").edited_at.timestamp() == 1700009999
    assert rows["t1_c3"][2:4] == (21, 21)  # the source's 20 plus our member's vote
    assert rows["t1_d2"][1] == "" and rows["t1_d2"][5] is True
    assert rows["t1_n1"][1] == "A new reply"
    assert shape(thread)[5] == (5, "t1_n1")
    assert {k: v for k, v in Comment.objects.values_list("source_id", "pk") if k != "t1_n1"} == (
        first_pks
    )
    assert thread.comment_count == 9
    assert tree_problems() == []


def test_reimport_never_undoes_local_moderation(tmp_path):
    run_import(REDDIT)
    Comment.objects.filter(source_id="t1_c4").update(is_removed=True)
    out = run_import(REDDIT)
    assert "0 comments created, 8 already present, 2 placeholders skipped" in out
    assert Comment.objects.get(source_id="t1_c4").is_removed is True


# Lemmy


def test_lemmy_thread_from_paths_in_any_order():
    out = run_import(LEMMY)
    assert "7 comments created" in out
    thread = Thread.objects.get()
    assert (thread.source, thread.title, thread.url, thread.author_name) == (
        "lemmy:42@lemmy.ml", "Favourite <b>tags</b> in Markdown?", "https://example.org/article",
        "poster",
    )  # fmt: skip
    assert (thread.score, thread.upvotes, thread.downvotes, thread.is_locked) == (15, 17, 2, True)
    assert shape(thread) == [
        (0, "101"), (1, "102"), (2, "103"), (3, "104"), (0, "105"), (1, "106"), (0, "107"),
    ]  # fmt: skip
    rows = state(thread)
    assert rows["101"] == ("first", "I like <em>em</em> & `code`", 5, 6, 1, False, False)
    assert rows["103"][0] == "третий"
    assert rows["105"] == ("gone", "", 3, 3, 0, True, False)
    assert rows["106"] == ("spammer", "spam spam", -4, 0, 4, False, True)
    first = Comment.objects.get(source_id="101")
    assert first.created_at.isoformat() == "2024-03-01T10:01:00+00:00"  # no zone means UTC
    assert first.edited_at.isoformat() == "2024-03-01T11:00:00+00:00"
    assert "&lt;em&gt;em&lt;/em&gt; &amp; <code>code</code>" in first.body_html
    assert tree_problems() == []


# Hacker News


def test_hacker_news_thread_with_html_converted_to_markdown():
    run_import(HN)
    thread = Thread.objects.get()
    assert (thread.source, thread.author_name, thread.score) == ("hn:8863", "dhouston", 111)
    assert thread.url == "http://www.getdropbox.com/u/2/screencast.html"
    assert shape(thread) == [
        (0, "8952"), (1, "8958"), (2, "8961"), (3, "8962"), (0, "8970"), (1, "8971"), (0, "8980"),
    ]  # fmt: skip
    rows = state(thread)
    assert rows["8952"][1].endswith(
        "\n\n2\\. It doesn't actually replace a USB drive. *Most* people > 50% don't carry "
        "a laptop."
    )
    assert (
        rows["8958"][1] == "thanks for the feedback! see <http://www.getdropbox.com/tour> and this"
    )
    assert rows["8961"][1] == (
        "Code:\n\n```\n  $ curlftpfs ftp.example.com /mnt && echo *ok*\n```\n\ndone"
    )
    assert rows["8962"][1] == "alert(1)bold? snake\\_case \\<tag> # not a heading"
    assert rows["8970"] == ("", "", 0, 0, 0, True, False)
    assert rows["8971"][:2] == ("zoë", "Replying to a deleted comment — naïve café")
    assert rows["8980"] == ("spammer", "", 0, 0, 0, False, True)
    html = "".join(Comment.objects.values_list("body_html", flat=True))
    assert "<script" not in html and "<b>" not in html and "javascript:" not in html
    assert "<em>Most</em>" in html
    assert (
        "<pre><code>  $ curlftpfs ftp.example.com /mnt &amp;&amp; echo *ok*\n</code></pre>" in html
    )
    assert "<p>2. It doesn't" in html  # a numbered paragraph, not a list


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("a &amp; b &lt;c&gt; &#x27;d&#x27; &quot;e&quot;", "a & b \\<c> 'd' \"e\""),
        ("one<p>two</p><p>three", "one\n\ntwo\n\nthree"),
        ("<i>it</i> <i> padded </i>x", "*it* *padded* x"),
        ('<a href="https://e.com/a_(b)">label [x]</a>', "[label \\[x\\]](https://e.com/a_%28b%29)"),
        ('<a href="https://e.com/very/long/path">https://e.com/very/lo...</a>', "<https://e.com/very/long/path>"),
        ('<a href="data:text/html,x">x</a>', "x"),
        ("<pre><code>has ``` inside</code></pre>", "````\nhas ``` inside\n````"),
        ("# h<p>- l<p>3) n<p>+ p", "\\# h\n\n\\- l\n\n3\\) n\n\n\\+ p"),
        ("&amp;amp; literally * _ ` ~", "\\&amp; literally \\* \\_ \\` \\~"),
        ("<unknown>kept</unknown> <u>text</u>", "kept text"),
    ],
)  # fmt: skip
def test_hn_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


# Forum JSON and detection


def test_forum_json_fixture_imports_every_field():
    run_import(FORUM)
    thread = Thread.objects.get()
    assert (thread.source, thread.title, thread.url, thread.author_name) == (
        "forum:7", "Tabs or spaces? <script>", "https://example.com/style", "alice",
    )  # fmt: skip
    assert (thread.score, thread.upvotes, thread.downvotes) == (3, 4, 1)
    assert thread.body_html == "<p>Settle it <em>once</em> and for all.</p>\n"
    assert shape(thread) == [
        (0, "forum:11"), (1, "forum:12"), (2, "forum:13"), (3, "forum:14"), (4, "forum:15"),
        (0, "forum:16"),
    ]  # fmt: skip
    rows = state(thread)
    assert rows["forum:13"] == ("carol", "", 0, 0, 0, True, False)
    assert rows["forum:15"] == ("", "rude words", -2, 0, 2, False, True)
    assert Comment.objects.get(source_id="forum:14").body_html == (
        "<p>&lt;img src=x onerror=alert(1)&gt; still text</p>\n"
    )
    assert Comment.objects.get(source_id="forum:11").edited_at.microsecond == 250000
    assert tree_problems() == []


@pytest.mark.parametrize(
    ("path", "source"),
    [(REDDIT, "reddit:1abcde"), (LEMMY, "lemmy:42@lemmy.ml"), (HN, "hn:8863"), (FORUM, "forum:7")],
)
def test_format_is_detected_from_content(path, source):
    assert parse_file(path).source == source


def test_format_option_overrides_detection():
    with pytest.raises(
        CommandError, match=r"forum_thread.json: the file must be a list, not an object"
    ):
        run_import(FORUM, "--format", "reddit")
    assert Thread.objects.count() == 0


@pytest.mark.parametrize("path", [REDDIT, LEMMY, HN, FORUM])
def test_each_format_imports_once(path):
    run_import(path)
    out = run_import(path)
    assert "(existing thread): 0 comments created" in out
    assert "updated" not in out
    assert Thread.objects.count() == 1


def test_dry_run_on_json_writes_nothing():
    out = run_import(LEMMY, "--dry-run")
    assert out.startswith(
        "Would import 'Favourite <b>tags</b> in Markdown?' (new thread): 7 comments"
    )
    assert Thread.objects.count() == 0
    assert Comment.objects.count() == 0


# Malformed input: one line naming the file and the item, nothing written


def forum_doc(*comments, **thread) -> dict:
    return {
        "format": "forum-json",
        "version": 1,
        "threads": [{"source": "s:1", "title": "T", "comments": list(comments), **thread}],
    }


def c(id_, parent=None, **fields) -> dict:
    return {"id": id_, "parent": parent, "body": f"text {id_}", **fields}


LEMMY_POST = {"post_view": {"post": {"id": 1, "name": "T"}}}
REDDIT_EMPTY = {"kind": "Listing", "data": {"children": []}}
REDDIT_POST = {
    "kind": "Listing",
    "data": {"children": [{"kind": "t3", "data": {"id": "p", "title": "T"}}]},
}
BAD_INPUTS = [
    ('{"format": "forum-json",\n "version": 1,\n "threads": [}',
     ":3:14: invalid JSON (Expecting value)"),
    ([REDDIT_EMPTY, REDDIT_EMPTY, REDDIT_EMPTY],
     ": expected the two listings a Reddit thread's .json address returns"),
    ([REDDIT_POST, 2], ": the comments: the listing must be an object, not a number"),
    ([REDDIT_POST, {"kind": "Listing", "data": {"children": [
        {"kind": "more", "data": {"id": "m", "count": "many"}}]}}],
     ": 'more' placeholder 'm': count must be a whole number, not a string"),
    ('{"what": 1}', ": JSON object (keys: what) is in no known format; known formats: transcript"),
    (forum_doc(c("a", edited="yes")), ": comment 'a': edited 'yes' is not an ISO 8601"),
    (forum_doc(c("a", distinguished="king")),
     """: comment 'a': distinguished must be null, "moderator", "admin", not 'king'"""),
    (forum_doc(missing_comments=-1), ": thread 's:1': missing_comments -1 is outside 0.."),
    (forum_doc(c("a"), c("b", "zz")), ": comment 'b' replies to 'zz', which is not in the file"),
    (forum_doc(c("a", "b"), c("b", "a")), ": comment 'a' is part of a reply cycle"),
    (forum_doc(c("a"), c("a")), ": comment 'a' appears twice"),
    (forum_doc(c("a", score="5")), ": comment 'a': score must be a whole number, not a string"),
    (forum_doc(c("a", score=2**31)), ": comment 'a': score 2147483648 is outside"),
    (forum_doc(c("a", upvotes=-1)), ": comment 'a': upvotes -1 is outside 0..2147483647"),
    (forum_doc(c("a", deleted="yes")),
     ": comment 'a': deleted must be true or false, not a string"),
    (forum_doc(c("a", body="x" * 10_001)),
     ": comment 'a': text is 10,001 characters long, over the limit of 10,000"),
    (forum_doc(c("a", body="nul\x00")), ": comment 'a': text contains a NUL character"),
    (forum_doc(c("a", created="yesterday")),
     ": comment 'a': created 'yesterday' is not an ISO 8601"),
    (forum_doc(c(["a"])),
     ": thread 's:1', comment 1: id must be a non-empty string or number, not a list"),
    (forum_doc(url="javascript:alert(1)"),
     ": thread 's:1': url 'javascript:alert(1)' is not an http(s) address"),
    (forum_doc(title="x" * 301),
     ": thread 's:1': title is 301 characters long, over the limit of 300"),
    ({"format": "forum-json", "version": 2, "threads": []},
     ": version 2 is not one this importer reads (1)"),
    ({"format": "forum-json", "version": 1, "threads": {}},
     ': "threads" must be a list, not an object'),
    ({"format": "forum-json", "version": 1, "threads": [
        {"source": "ok", "title": "fine", "comments": [c("a")]}, {"source": "bad", "title": ""}
    ]}, ": thread 'bad': title is empty"),
    ({**LEMMY_POST, "comments": [{"comment": {"id": 5, "path": "0.4.6"}}]},
     ": comment '5': path '0.4.6' must run from 0 to the comment's own id"),
    ({**LEMMY_POST, "comments": [{"comment": {"id": 5, "path": "0.9.5"}}]},
     ": comment '5' replies to '9', which is not in the file"),
    ({"post_view": []}, ': "post_view" must be an object, not a list'),
    ({"id": 1, "title": "T", "children": "none"},
     ": story '1': children must be a list, not a string"),
    ({"id": 1, "title": "T", "children": [{"id": 2, "text": 7}]},
     ": comment '2': text must be a string, not a number"),
    ([REDDIT_EMPTY, REDDIT_EMPTY], ": the first listing must hold exactly one post (kind t3)"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS)
def test_malformed_input_fails_cleanly_and_writes_nothing(tmp_path, content, message):
    run_import(FORUM)  # something already there must stay exactly as it was
    before = (list(Thread.objects.values()), list(Comment.objects.values()))
    path = tmp_path / "bad.json"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value).startswith(f"{path}:")
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert (list(Thread.objects.values()), list(Comment.objects.values())) == before


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("threads.limits.IMPORT_MAX_FILE_BYTES", 100)
    path = write_json(tmp_path, forum_doc(*(c(str(n)) for n in range(10))))
    with pytest.raises(CommandError) as error:
        run_import(path)
    size = path.stat().st_size
    assert size > 100
    assert str(error.value) == f"{path}: file is {size:,} bytes; the limit is 100"
    assert Thread.objects.count() == 0


def test_deep_json_nesting_is_a_clean_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError, match="deep.json: invalid JSON"):
        run_import(path)


def test_deep_reply_chain_imports(tmp_path):
    comments = [c("0")] + [c(str(n), str(n - 1)) for n in range(1, 1500)]
    run_import(write_json(tmp_path, forum_doc(*comments)))
    assert Comment.objects.order_by("-level").values_list("level", flat=True)[0] == 1499
    assert tree_problems() == []


def test_several_threads_in_one_file_import_together(tmp_path):
    doc = forum_doc(c("a"))
    doc["threads"].append({"source": "s:2", "title": "Second", "comments": [c("a"), c("b", "a")]})
    out = run_import(write_json(tmp_path, doc))
    assert out.splitlines() == [
        "Imported 'T' (new thread): 1 comments created, 0 already present.",
        "Imported 'Second' (new thread): 2 comments created, 0 already present.",
    ]


# Progress


class Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr("threads.management.commands.import_thread.PROGRESS_MIN_COMMENTS", 3)
    monkeypatch.setattr("threads.limits.IMPORT_BATCH_SIZE", 2)
    terminal = Terminal()
    run_import(write_json(tmp_path, forum_doc(c("a"), c("b"), c("c", "a"))), stderr=terminal)
    assert terminal.getvalue() == (
        "\r[####################----------] 2/3 comments"
        "\r[##############################] 3/3 comments\n"
    )


def test_no_progress_bar_when_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr("threads.management.commands.import_thread.PROGRESS_MIN_COMMENTS", 1)
    err = StringIO()
    out = run_import(write_json(tmp_path, forum_doc(c("a"), c("b"))), stderr=err)
    assert err.getvalue() == ""
    assert out == "Imported 'T' (new thread): 2 comments created, 0 already present.\n"


# The plain-text fast path of render_markdown


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ09é日 ,;!?'\"()-.\n_*#@:/&<>~`[]")), max_size=30))
def test_fast_path_renders_exactly_like_the_parser(text):
    full = markup.nh3.clean(
        markup._markdown.render(text),
        tags=markup.ALLOWED_TAGS,
        attributes=markup.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=markup.LINK_REL,
    )
    assert markup.render_markdown(text) == full


def test_votes_on_imported_thread_survive_reimport():
    run_import(FORUM)
    thread = Thread.objects.get()
    services.vote_cast(user=make_user("v"), item=thread, value=-1)
    run_import(FORUM)
    thread.refresh_from_db()
    assert (thread.score, thread.upvotes, thread.downvotes) == (2, 4, 2)
    assert Vote.objects.count() == 1


# What real exports hold: edits without a time, placeholders, voices, pins, hidden scores


def page_html(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def meta_line(html: str, source_id: str) -> str:
    """The meta line (author, badges, score, time, edited) of one comment on a page."""
    pk = Comment.objects.get(source_id=source_id).pk
    found = re.search(rf'<article class="[^"]*" id="c{pk}">\n<div class="meta">(.*?)</div>', html,
                      re.S)  # fmt: skip
    assert found, f"comment {source_id} is not on the page"
    return found.group(1)


def partial_note(html: str) -> str | None:
    found = re.search(r'<p class="notice partial"[^>]*>(.*?)</p>', html)
    return found and found.group(1)


def test_reddit_edited_true_is_edited_at_an_unknown_time(client, tmp_path):
    data = load(REDDIT)
    reddit_things(data)["t1_c2"]["edited"] = True  # how Reddit marks edits made long ago
    run_import(write_json(tmp_path, data))
    edited = Comment.objects.get(source_id="t1_c2")
    assert (edited.edited_at, edited.edited_time_unknown) == (None, True)
    timed = Comment.objects.get(source_id="t1_c1")
    assert (timed.edited_at.isoformat(), timed.edited_time_unknown) == (
        "2023-11-14T22:21:40+00:00", False,
    )  # fmt: skip
    never = Comment.objects.get(source_id="t1_c3")
    assert (never.edited_at, never.edited_time_unknown) == (None, False)
    html = page_html(client, edited.thread)
    assert meta_line(html, "t1_c2").endswith(' · <span class="edited">edited</span>')
    assert meta_line(html, "t1_c1").endswith(
        ' · <span class="edited" title="edited 2023-11-14 22:21:40 UTC">edited</span>'
    )
    assert "edited" not in meta_line(html, "t1_c3")


def test_a_newer_export_marks_edits_it_reports(tmp_path):
    run_import(REDDIT)
    data = load(REDDIT)
    things = reddit_things(data)
    things["t1_c3"]["edited"] = True  # same text, now marked edited
    things["t1_c4"].update(body="Fair, I suppose.", edited=True)  # new text, no time given
    things["t1_c1"]["edited"] = False  # an edit never un-happens
    run_import(write_json(tmp_path, data))
    rows = dict(Comment.objects.values_list("source_id", "edited_time_unknown"))
    assert (rows["t1_c3"], rows["t1_c4"], rows["t1_c1"]) == (True, True, False)
    assert Comment.objects.get(source_id="t1_c4").edited_at is None
    assert Comment.objects.get(source_id="t1_c1").edited_at.timestamp() == 1700000500


def test_placeholders_count_the_comments_they_stand_for(client):
    out = run_import(REDDIT)
    thread = Thread.objects.get()
    assert "2 placeholders skipped (43 comments not in the file)." in out
    assert thread.missing_count == 43  # "more" with count 3, and with count 40
    assert partial_note(page_html(client, thread)) == "43 comments were not in the imported file."


def test_one_missing_comment_is_said_in_the_singular_and_none_says_nothing(client, tmp_path):
    data = load(REDDIT)
    comments = data[1]["data"]["children"]
    comments[-1]["data"].update(count=0, children=[])  # "continue this thread": at least one
    reddit_things(data)["t1_c4"]["replies"]["data"]["children"].pop()  # the other placeholder
    out = run_import(write_json(tmp_path, data))
    thread = Thread.objects.get()
    assert "1 placeholders skipped (1 comment not in the file)." in out
    assert partial_note(page_html(client, thread)) == "1 comment was not in the imported file."
    comments.pop()  # the newest export has no placeholder: the thread is whole
    run_import(write_json(tmp_path, data))
    thread.refresh_from_db()
    assert thread.missing_count == 0
    html = page_html(client, thread)
    assert partial_note(html) is None and "not in the imported file" not in html


def test_a_newer_export_replaces_the_missing_count(tmp_path):
    run_import(REDDIT)
    data = load(REDDIT)
    data[1]["data"]["children"][-1]["data"]["count"] = 7
    run_import(write_json(tmp_path, data))
    assert Thread.objects.get().missing_count == 3 + 7


def test_lemmy_child_counts_tell_what_a_depth_limited_file_lacks(client, tmp_path):
    data = load(LEMMY)
    by_id = {view["comment"]["id"]: view for view in data["comments"]}
    by_id[101]["counts"]["child_count"] = 5  # holds 102, 103, 104 under it: 2 missing
    by_id[102]["counts"]["child_count"] = 9  # a lower claim that disagrees is covered by 101's
    by_id[105]["counts"]["child_count"] = 1  # holds 106: complete
    by_id[107]["counts"]["child_count"] = 4  # holds nothing: 4 missing
    parsed = lemmy.parse_data(data, name="lemmy.json")
    assert parsed.missing_count == 6
    plain = lemmy.parse_data(load(LEMMY), name="lemmy.json")
    assert plain.missing_count == 0
    out = run_import(write_json(tmp_path, data))
    assert out.endswith(": 7 comments created, 0 already present, 6 comments not in the file.\n")
    assert partial_note(page_html(client, Thread.objects.get())) == (
        "6 comments were not in the imported file."
    )


def test_voices_pins_and_hidden_scores_show_on_the_page(client, tmp_path):
    data = load(REDDIT)
    post = data[0]["data"]["children"][0]["data"]
    post.update(distinguished="moderator", stickied=True)
    things = reddit_things(data)
    things["t1_c1"].update(distinguished="moderator", stickied=True)
    things["t1_c2"].update(distinguished="admin", score_hidden=True)
    things["t1_c3"]["distinguished"] = "special"  # a voice this forum does not show
    run_import(write_json(tmp_path, data))
    thread = Thread.objects.get()
    assert (thread.distinguished, thread.is_stickied) == ("moderator", True)
    marks = {row[0]: row[1:] for row in Comment.objects.values_list(
        "source_id", "distinguished", "is_stickied", "is_score_hidden")}  # fmt: skip
    assert marks["t1_c1"] == ("moderator", True, False)
    assert marks["t1_c2"] == ("admin", False, True)
    assert marks["t1_c3"] == ("", False, False)
    html = page_html(client, thread)
    head = re.search(r'<p class="meta">by (.*?)</p>', html, re.S).group(1)
    assert head.startswith(
        '<span class="author imported" title="imported name from reddit: not an account on '
        'this forum">curious_cat (reddit)</span>\n <span class="badge moderator">mod</span> '
        '<span class="badge pinned" title="pinned at its source">pinned</span> · '
    )
    mod = meta_line(html, "t1_c1")
    assert '<span class="badge moderator" title="said as a moderator">mod</span>' in mod
    assert '<span class="badge pinned" title="pinned at its source">pinned</span>' in mod
    assert '<span class="score">50 points</span>' in mod
    admin = meta_line(html, "t1_c2")
    assert '<span class="badge admin" title="said as an admin">admin</span>' in admin
    assert '<span class="score score-hidden">score hidden</span>' in admin
    assert "point" not in admin and "pinned" not in admin
    assert "badge" not in meta_line(html, "t1_c3")


def test_a_newer_export_takes_the_sources_marks(tmp_path):
    data = load(REDDIT)
    reddit_things(data)["t1_c1"].update(distinguished="moderator", stickied=True,
                                        score_hidden=True)  # fmt: skip
    run_import(write_json(tmp_path, data))
    run_import(REDDIT)  # unpinned, undistinguished, the score shown again
    assert Comment.objects.filter(source_id="t1_c1").values_list(
        "distinguished", "is_stickied", "is_score_hidden"
    ).get() == ("", False, False)


def test_the_page_query_count_holds_with_marks(
    client, django_assert_num_queries, tmp_path, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the rendered page's queries; the marks change around services
    run_import(REDDIT)
    thread = Thread.objects.get()
    client.get(thread.get_absolute_url())  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as plain:
        page_html(client, thread)
    Comment.objects.update(distinguished="admin", is_stickied=True, is_score_hidden=True,
                           edited_time_unknown=True)  # fmt: skip
    with django_assert_num_queries(len(plain.captured_queries)):
        html = page_html(client, thread)
    assert html.count('<span class="badge admin"') == Comment.objects.count()


# Detection: every format is recognised by its own marks; anything else is refused

UNKNOWN_INPUTS = {
    "table.csv": ("id,parent,author,body\n1,,alice,Hello\n2,1,bob,Hi\n", ":1: looks like CSV"),
    "rows.tsv": ("id\tparent\tbody\n1\t\tHello\n", ":1: looks like CSV"),
    "feed.xml": ('<?xml version="1.0"?>\n<rss><channel/></rss>\n', ":1: looks like XML or HTML"),
    "page.html": ("\n<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>\n",
                  ":2: looks like XML or HTML"),
    "fragment.html": ("<p>A pasted page</p>\n", ":1: looks like XML or HTML"),
    "doc.yaml": ("---\ntitle: Tabs\ncomments:\n  - body: Tabs.\n", ":1: looks like YAML"),
    "bare.yaml": ("title: Tabs or spaces\ncomments:\n  - body: Tabs.\n    replies:\n"
                  "      - body: Spaces.\n", ":2: looks like YAML"),
    "string.json": ('"just a string"\n', ": JSON string at the top level is in no known format"),
    "number.json": ("42\n", ": JSON number at the top level is in no known format"),
    "null.json": ("null", ": JSON null at the top level is in no known format"),
    "object.json": ('{"data": {"children": []}}',
                    ": JSON object (keys: data) is in no known format"),
    "list.json": ('[{"title": "T"}]',
                  ": JSON list that does not start with a Reddit Listing is in no known format"),
    "empty_list.json": ("[]", ": JSON list that does not start with a Reddit Listing"),
}  # fmt: skip


@pytest.mark.parametrize("name", UNKNOWN_INPUTS)
def test_input_in_no_known_format_is_refused_in_one_line(tmp_path, name):
    run_import(FORUM)
    before = (list(Thread.objects.values()), list(Comment.objects.values()))
    text, message = UNKNOWN_INPUTS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value).startswith(f"{path}{message}")
    assert str(error.value).count("known formats: transcript (plain text lines), forum-json (") == 1
    for fmt in ("reddit", "lemmy", "hackernews"):
        assert f", {fmt} (" in str(error.value)
    assert "\n" not in str(error.value)
    assert (list(Thread.objects.values()), list(Comment.objects.values())) == before


@pytest.mark.parametrize(
    "text",
    [
        "<3 this thread\n  <3 too\n",  # "<" but no tag
        "Well, yes\n  No, not at all\n",  # commas with spaces are prose, not a CSV header
        "alice: hi there\nbob: hello\n  alice: you again\n",  # a chat log
        "Big news\nUpdate:\n  What changed?\n",  # a "key:" line, but the first is no key
        "-- signed\n",
        "1984 was a year\n",  # starts like a number, is no JSON
        '"Quoted," she said.\n',
    ],
)
def test_plain_text_lines_are_a_transcript(tmp_path, text):
    path = tmp_path / "talk.txt"
    path.write_text(text, encoding="utf-8")
    run_import(path)
    bodies = [line.strip() for line in text.splitlines()]
    assert list(Comment.objects.order_by("tree_id", "lft").values_list("body", flat=True)) == (
        bodies
    )


def test_format_transcript_reads_what_detection_refuses(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    run_import(path, "--format", "transcript")
    assert list(Comment.objects.values_list("body", flat=True)) == ["id,body", "1,hello"]


def test_binary_data_is_not_a_transcript(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text("looks like text\nthen\x00\x01 binary\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value) == (
        f"{path}:2: control character U+0000; a transcript is plain text (is this a binary file?)"
    )
    assert Thread.objects.count() == 0


def test_unknown_format_option_is_one_line_naming_the_formats(tmp_path):
    with pytest.raises(CommandError) as error:
        run_import(tmp_path / "does-not-matter.json", "--format", "csv")
    assert str(error.value).startswith(
        "--format 'csv' is not a known format; known formats: transcript (plain text lines), "
        "forum-json ("
    )
    assert "\n" not in str(error.value)


def test_refusal_exits_1_with_one_line_on_stderr(tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, the test's own among them.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    path = tmp_path / "page.html"
    path.write_text("<html><body>Not a thread</body></html>\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_thread", str(path), "--skip-checks"]).execute()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"CommandError: {path}:1: looks like XML or HTML")
    assert err.count("\n") == 1
    assert Thread.objects.count() == 0


def test_importers_never_touch_the_database():
    """Parsers turn text into records; the exporter, which reads the database, lives in
    threads/exporting.py."""
    package = Path(importers.__file__).parent
    for module in package.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        for sign in ("django.db", ".objects", "connection", "QuerySet"):
            assert sign not in source, f"{module.name} uses {sign}"
    assert "Comment.objects" in Path(exporting.__file__).read_text(encoding="utf-8")


# The messiest real-shaped Reddit export (tests/make_reddit_messy.py makes it)

MESSY = DATA / "reddit_messy.json"


def export_text(thread) -> str:
    out = StringIO()
    call_command("export_thread", str(thread.pk), stdout=out)
    return out.getvalue()


def write_text(tmp_path, text: str, name="export.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_messy_fixture_is_what_its_script_makes():
    assert load(MESSY) == messy_thread()


def reddit_census(data) -> dict:
    """What a Reddit document holds, counted by walking it independently of the importer."""
    found = {"comments": 0, "placeholders": 0, "missing": 0, "deleted": 0, "removed": 0,
             "edited_unknown": 0, "edited_at": 0, "mods": 0, "admins": 0, "pinned": 0,
             "hidden": 0}  # fmt: skip
    stack = list(data[1]["data"]["children"])
    while stack:
        thing = stack.pop()
        item = thing["data"]
        if thing["kind"] == "more":
            found["placeholders"] += 1
            found["missing"] += max(item["count"], len(item["children"]), 1)
            continue
        found["comments"] += 1
        found["deleted"] += item["body"] == "[deleted]"
        found["removed"] += item["body"] == "[removed]"
        found["edited_unknown"] += item.get("edited") is True
        found["edited_at"] += type(item.get("edited")) is float
        found["mods"] += item.get("distinguished") == "moderator"
        found["admins"] += item.get("distinguished") == "admin"
        found["pinned"] += item.get("stickied") is True
        found["hidden"] += item.get("score_hidden") is True
        stack.extend((item.get("replies") or {"data": {"children": []}})["data"]["children"])
    return found


def test_messy_reddit_export_imports_renders_exports_and_round_trips(client, tmp_path):
    census = reddit_census(load(MESSY))
    assert census == {
        "comments": 378, "placeholders": 39, "missing": 898, "deleted": 19, "removed": 8,
        "edited_unknown": 41, "edited_at": 42, "mods": 17, "admins": 6, "pinned": 1,
        "hidden": 21,
    }  # fmt: skip
    out = run_import(MESSY)
    assert out == (
        "Imported 'Messy & real: what did <you> find in the archives?' (new thread): "
        "378 comments created, 0 already present, 39 placeholders skipped "
        "(898 comments not in the file).\n"
    )
    thread = Thread.objects.get()
    assert (thread.url, thread.author_name, thread.distinguished, thread.is_stickied) == (
        "https://example.com/article?id=7&page=2", "ModTeam_ü", "moderator", True,
    )  # fmt: skip
    assert (thread.comment_count, thread.missing_count) == (378, 898)
    assert tree_problems() == []
    comments = Comment.objects.filter(thread=thread)
    assert comments.filter(is_deleted=True, body="").count() == census["deleted"]
    assert comments.filter(is_removed=True, body="").count() == census["removed"]
    unknown = comments.filter(edited_time_unknown=True, edited_at=None)
    assert unknown.count() == census["edited_unknown"]
    assert comments.filter(edited_at__isnull=False).count() == census["edited_at"]
    assert comments.filter(distinguished="moderator").count() == census["mods"]
    assert comments.filter(distinguished="admin").count() == census["admins"]
    assert comments.filter(is_stickied=True).count() == census["pinned"]
    assert comments.filter(is_score_hidden=True).count() == census["hidden"]
    bodies = set(comments.values_list("body", flat=True))
    assert {  # Reddit's &amp;, &lt; and &gt; undone once; what the writer typed stays
        "Tom & Jerry <3 and x > y",
        "&#x200B;\n\nA zero-width space above, as Reddit's editor writes it.",
        "> quoted from above\n\nand my reply",
        "A [link](https://example.com/?a=1&b=2) with an escaped ampersand",
        "<script>alert(1)</script> stays text",
        "Non-breaking&nbsp;space and &amp; twice escaped",
    } <= bodies
    assert comments.filter(author_name="日本語ユーザー").exists()
    long = comments.get(body__startswith="Fish & chips.").body  # 10,400 characters escaped
    assert (len(long), long.count("&")) == (10_400 - 4 * 578, 578)

    html = page_html(client, thread)
    assert partial_note(html) == "898 comments were not in the imported file."
    pinned = meta_line(html, "t1_k0001")
    assert '<span class="badge moderator" title="said as a moderator">mod</span>' in pinned
    assert '<span class="badge pinned" title="pinned at its source">pinned</span>' in pinned
    assert html.count('class="badge admin"') >= 1
    assert html.count("score hidden") >= 1
    assert html.count('<span class="edited">edited</span>') >= 1
    assert "continue this thread" in html

    first = export_text(thread)
    Thread.objects.all().delete()
    run_import(write_text(tmp_path, first))
    again = Thread.objects.get()
    assert export_text(again) == first
    assert tree_problems() == []
    assert run_import(MESSY).startswith(
        "Imported 'Messy & real: what did <you> find in the archives?' (existing thread): "
        "0 comments created, 378 already present"
    )
