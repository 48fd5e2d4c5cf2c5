"""export_thread: the forum JSON it writes, and export → import → export round trips."""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_comment, make_thread, make_user
from threads import services
from threads.exporting import export_data
from threads.importers import ParsedComment, ParsedThread, check_tree, forum_json
from threads.importers.synthetic import synthetic_thread
from threads.integrity import tree_problems
from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"


def export(*args) -> str:
    out = StringIO()
    call_command("export_thread", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def import_text(tmp_path, text: str, name="export.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_thread", str(path), stdout=out)
    return out.getvalue()


def empty_database() -> None:
    Thread.objects.all().delete()
    get_user_model().objects.all().delete()


def test_export_writes_every_field(a_thread, a_reply, a_comment, another_user):
    services.vote_cast(user=another_user, item=a_thread, value=1)
    services.comment_delete(user=a_reply.author, comment=a_reply)
    data = json.loads(export(a_thread.pk))
    a_thread.refresh_from_db()
    assert data == {
        "format": "forum-json",
        "version": 1,
        "threads": [
            {
                "source": f"forum:{a_thread.pk}",
                "title": "Hello forum",
                "url": "",
                "body": "",
                "author": "alice",
                "created": a_thread.created_at.isoformat().replace("+00:00", "Z"),
                "score": 1,
                "upvotes": 1,
                "downvotes": 0,
                "locked": False,
                "distinguished": None,
                "stickied": False,
                "missing_comments": 0,
                "comments": [
                    {
                        "id": f"forum:{a_comment.pk}",
                        "parent": None,
                        "author": "bob",
                        "created": a_comment.created_at.isoformat().replace("+00:00", "Z"),
                        "edited": None,
                        "body": "first!",
                        "score": 0,
                        "upvotes": 0,
                        "downvotes": 0,
                        "deleted": False,
                        "removed": False,
                        "distinguished": None,
                        "stickied": False,
                        "score_hidden": False,
                    },
                    {
                        "id": f"forum:{a_reply.pk}",
                        "parent": f"forum:{a_comment.pk}",
                        "author": "alice",
                        "created": a_reply.created_at.isoformat().replace("+00:00", "Z"),
                        "edited": None,
                        "body": "",
                        "score": 0,
                        "upvotes": 0,
                        "downvotes": 0,
                        "deleted": True,
                        "removed": False,
                        "distinguished": None,
                        "stickied": False,
                        "score_hidden": False,
                    },
                ],
            }
        ],
    }


def test_round_trip_of_a_native_thread_is_identical(tmp_path, a_thread, a_reply):
    voter = make_user("carol")
    deep = make_comment(a_thread, parent=a_reply, body="Ünïcödé <b>not bold</b> `code`")
    make_comment(a_thread, body="second top-level")
    services.vote_cast(user=voter, item=deep, value=-1)
    Comment.objects.filter(pk=deep.pk).update(is_removed=True)
    first = export(a_thread.pk)
    empty_database()
    out = import_text(tmp_path, first)
    assert out.startswith("Imported 'Hello forum' (new thread): 4 comments created")
    thread = Thread.objects.get()
    assert export(thread.pk) == first
    assert thread.comment_count == 4
    assert get_user_model().objects.count() == 0  # authors are names, not accounts
    assert tree_problems() == []


@pytest.mark.parametrize("name", ["reddit_thread.json", "lemmy_thread.json", "hn_thread.json",
                                  "forum_thread.json"])  # fmt: skip
def test_round_trip_of_each_imported_format(tmp_path, name):
    call_command("import_thread", str(DATA / name), stdout=StringIO())
    first = export(Thread.objects.get().pk)
    empty_database()
    import_text(tmp_path, first)
    assert export(Thread.objects.get().pk) == first


def test_export_all_and_import_all_round_trip(tmp_path, a_thread, a_comment):
    other = make_thread(title="Another", url="https://example.com/x")
    make_comment(other, body="hi")
    Thread.objects.filter(pk=other.pk).update(is_locked=True)
    first = export("--all")
    assert [t["title"] for t in json.loads(first)["threads"]] == ["Hello forum", "Another"]
    empty_database()
    out = import_text(tmp_path, first)
    assert len(out.splitlines()) == 2
    assert export("--all") == first
    assert Thread.objects.get(title="Another").is_locked is True


def test_reimporting_an_export_adds_nothing(tmp_path, a_thread, a_reply):
    text = export(a_thread.pk)
    import_text(tmp_path, text)
    out = import_text(tmp_path, text)
    assert "(existing thread): 0 comments created, 2 already present." in out


def marked(id_, parent, **fields) -> dict:
    """A comment as the exporter writes it, with every key in its order."""
    return {
        "id": id_, "parent": parent, "author": "ann", "created": "2024-05-01T12:05:00Z",
        "edited": None, "body": f"text of {id_}", "score": 1, "upvotes": 1, "downvotes": 0,
        "deleted": False, "removed": False, "distinguished": None, "stickied": False,
        "score_hidden": False, **fields,
    }  # fmt: skip


MARKED_THREAD = {
    "format": "forum-json",
    "version": 1,
    "threads": [
        {
            "source": "reddit:abc", "title": "Marks", "url": "", "body": "", "author": "op",
            "created": "2024-05-01T12:00:00Z", "score": 1, "upvotes": 1, "downvotes": 0,
            "locked": False, "distinguished": "admin", "stickied": True, "missing_comments": 17,
            "comments": [
                marked("t1_a", None, edited=True, distinguished="moderator", stickied=True),
                marked("t1_b", "t1_a", edited="2024-05-01T13:00:00Z", score_hidden=True),
                marked("t1_c", None, distinguished="admin"),
            ],
        }
    ],
}  # fmt: skip


def test_source_marks_survive_export_and_import_exactly(tmp_path):
    text = forum_json.dumps(MARKED_THREAD)
    import_text(tmp_path, text)
    thread = Thread.objects.get()
    assert (thread.distinguished, thread.is_stickied, thread.missing_count) == ("admin", True, 17)
    rows = Comment.objects.order_by("tree_id", "lft").values_list(
        "source_id", "edited_at", "edited_time_unknown", "distinguished", "is_stickied",
        "is_score_hidden",
    )  # fmt: skip
    assert list(rows) == [
        ("t1_a", None, True, "moderator", True, False),
        ("t1_b", datetime(2024, 5, 1, 13, tzinfo=UTC), False, "", False, True),
        ("t1_c", None, False, "admin", False, False),
    ]
    assert export(thread.pk) == text
    empty_database()
    import_text(tmp_path, text)
    assert export(Thread.objects.get().pk) == text


def test_edited_false_reads_as_not_edited(tmp_path):
    doc = json.loads(json.dumps(MARKED_THREAD))
    doc["threads"][0]["comments"][0]["edited"] = False
    import_text(tmp_path, json.dumps(doc))
    assert (
        json.loads(export(Thread.objects.get().pk))["threads"][0]["comments"][0]["edited"] is None
    )


def test_the_exporter_lives_outside_the_importers(a_thread, a_comment):
    data = export_data(Thread.objects.filter(pk=a_thread.pk))
    assert forum_json.dumps(data) == export(a_thread.pk)
    assert not hasattr(forum_json, "export_data")


def test_export_to_file(tmp_path, a_thread, a_comment):
    path = tmp_path / "out.json"
    out = StringIO()
    call_command("export_thread", str(a_thread.pk), "-o", str(path), stdout=out)
    assert out.getvalue() == f"Exported 1 thread, 1 comments to {path}.\n"
    assert path.read_text(encoding="utf-8") == export(a_thread.pk)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give either a THREAD_ID or --all."),
        (("1", "--all"), "Give either a THREAD_ID or --all."),
        (("999",), "Thread 999 does not exist."),
    ],
)
def test_export_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_thread", *args, stdout=StringIO())


def test_synthetic_thread_has_the_promised_shape(tmp_path):
    data = synthetic_thread(comments=3000, seed=1)
    comments = data["threads"][0]["comments"]
    assert len(comments) == 3000
    top = sum(c["parent"] is None for c in comments)
    assert 600 < top < 900  # about a quarter
    import_text(tmp_path, json.dumps(data))
    assert Comment.objects.count() == 3000
    assert Comment.objects.order_by("-level").values_list("level", flat=True)[0] >= 50
    assert tree_problems() == []
    biggest = max(Comment.objects.filter(level=0), key=lambda c: c.rght - c.lft)
    assert (biggest.rght - biggest.lft - 1) // 2 > 3000 * 0.05  # one popular subtree


# Property: any tree survives export → import into an empty database → export.

TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@st.composite
def trees(draw):
    size = draw(st.integers(min_value=0, max_value=25))
    comments = []
    for n in range(size):
        parent = draw(st.one_of(st.none(), st.integers(0, n - 1))) if n else None
        up, down = draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6))
        comments.append(
            ParsedComment(
                source_id=draw(st.sampled_from(["", "t1_", "forum:"])) + str(n),
                parent_source_id=None,
                body=draw(TEXT),
                author_name=draw(st.text(max_size=10).filter(lambda s: "\x00" not in s)),
                created_at=draw(TIMES),
                edited_at=draw(st.one_of(st.none(), TIMES)),
                score=up - down,
                upvotes=up,
                downvotes=down,
                is_deleted=draw(st.booleans()),
                is_removed=draw(st.booleans()),
                edited_time_unknown=draw(st.booleans()),
                distinguished=draw(st.sampled_from(["", "moderator", "admin"])),
                is_stickied=draw(st.booleans()),
                is_score_hidden=draw(st.booleans()),
            )
        )
        if parent is not None:
            comments[-1].parent_source_id = comments[parent].source_id
    return ParsedThread(
        source="prop:1", title=draw(TEXT.filter(str.strip)).strip() or "t", comments=comments,
        created_at=draw(TIMES), body=draw(TEXT), is_locked=draw(st.booleans()),
        distinguished=draw(st.sampled_from(["", "moderator", "admin"])),
        is_stickied=draw(st.booleans()), missing_count=draw(st.integers(0, 2**31 - 1)),
    )  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parsed=trees())
def test_property_any_tree_round_trips(tmp_path, parsed):
    empty_database()  # each example starts from an empty database
    check_tree(parsed, name="generated")
    services.thread_import(parsed=parsed)
    first = export(Thread.objects.get().pk)
    stored = list(Comment.objects.order_by("tree_id", "lft").values_list("source_id", "level"))
    empty_database()
    import_text(tmp_path, first)
    assert export(Thread.objects.get().pk) == first
    again = list(Comment.objects.order_by("tree_id", "lft").values_list("source_id", "level"))
    assert again == stored
    data = json.loads(first)["threads"][0]
    assert [c["id"] for c in data["comments"]] == [c.source_id for c in parsed.comments]
    parents = {c.source_id: c.parent_source_id for c in parsed.comments}
    assert {c["id"]: c["parent"] for c in data["comments"]} == parents
    assert tree_problems() == []
