"""Reddit, Lemmy, Hacker News and forum JSON imports: fields, trees, updates, bad input."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_user
from threads import markup, services
from threads.importers import parse_file
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
