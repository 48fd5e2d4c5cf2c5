from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from threads.importers import ImportFailed, parse_file
from threads.integrity import tree_problems
from threads.models import Comment, Thread

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed_thread.txt"


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("import_thread", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text: str, name="thread.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tree_shape(thread) -> list[tuple[int, str]]:
    return list(
        Comment.objects.filter(thread=thread)
        .order_by("tree_id", "lft")
        .values_list("level", "body")
    )


def test_seed_imports_23_comments_from_36_lines():
    out = run_import(SEED)
    thread = Thread.objects.get()
    assert thread.comments.count() == 23
    assert thread.comment_count == 23
    assert out == (
        f"Imported {thread.title!r} (new thread): 23 comments created, 0 already present, "
        "13 repeated lines merged.\n"
    )
    assert thread.title.startswith("The Stalin personality cult era after WWII")
    assert len(thread.title) <= 80
    assert tree_problems() == []
    assert set(Comment.objects.values_list("author_name", flat=True)) == {"anonymous"}
    assert Comment.objects.filter(author__isnull=False).count() == 0


def test_seed_import_is_idempotent():
    run_import(SEED)
    out = run_import(SEED)
    assert Thread.objects.count() == 1
    assert Comment.objects.count() == 23
    assert "0 comments created, 23 already present" in out


def test_title_line_and_nesting(tmp_path):
    path = write(
        tmp_path,
        "# Pets\ncats\n  agreed\n    very much\n\tand tabs\ndogs\n",
    )
    run_import(path)
    thread = Thread.objects.get()
    assert thread.title == "Pets"
    assert tree_shape(thread) == [
        (0, "cats"), (1, "agreed"), (2, "very much"), (1, "and tabs"), (0, "dogs"),
    ]  # fmt: skip
    assert tree_problems() == []


def test_title_option_is_used_when_file_has_none(tmp_path):
    run_import(write(tmp_path, "hello\n"), "--title", "Greetings")
    assert Thread.objects.get().title == "Greetings"


def test_repeated_text_under_a_different_parent_is_a_new_comment(tmp_path):
    run_import(write(tmp_path, "# T\na\n  same\nb\n  same\na\n  same\n"))
    assert tree_shape(Thread.objects.get()) == [(0, "a"), (1, "same"), (0, "b"), (1, "same")]


def test_updated_transcript_adds_only_new_comments(tmp_path):
    run_import(write(tmp_path, "# T\na\n  a1\nb\n"))
    first_ids = set(Comment.objects.values_list("pk", flat=True))
    out = run_import(write(tmp_path, "# T\na\n  a1\n  a2\n    a2x\nb\nc\n"))
    assert "3 comments created, 3 already present" in out
    thread = Thread.objects.get()
    assert first_ids < set(Comment.objects.values_list("pk", flat=True))
    assert tree_shape(thread) == [
        (0, "a"), (1, "a1"), (1, "a2"), (2, "a2x"), (0, "b"), (0, "c"),
    ]  # fmt: skip
    assert thread.comment_count == 6
    assert tree_problems() == []


def test_dry_run_writes_nothing(tmp_path):
    out = run_import(write(tmp_path, "# T\na\n  b\n"), "--dry-run")
    assert out.startswith("Would import 'T' (new thread): 2 comments created")
    assert Thread.objects.count() == 0
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# T\na\n    too deep\n", ":3: indented 2 levels, but the line above is at level 0"),
        ("# T\n  starts indented\n", ":2: indented 1 levels, but the line above is at level -1"),
        ("# T\na\n   three spaces\n", ":3: indented by 3 spaces; use two spaces per level"),
        ("", ": the file is empty"),
        ("   \n\n", ": the file is empty"),
        ("# Only a title\n", ": no comments found"),
        ("# T\n" + "x" * 10_001 + "\n", ":2: comment is 10,001 characters long, over the limit"),
    ],
)
def test_bad_transcripts_fail_cleanly_and_write_nothing(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert Thread.objects.count() == 0
    assert Comment.objects.count() == 0


def test_not_utf8_names_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("# T\nok\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1.txt:3: not UTF-8 text"):
        run_import(path)
    assert Thread.objects.count() == 0


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nope.txt")


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        run_import(tmp_path)


def test_failure_midway_leaves_existing_thread_untouched(tmp_path):
    run_import(write(tmp_path, "# T\na\n"))
    with pytest.raises(CommandError):
        run_import(write(tmp_path, "# T\na\nb\n      bad\n"))
    assert list(Comment.objects.values_list("body", flat=True)) == ["a"]


def test_command_exits_non_zero_without_traceback(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path, "# T\na\n    too deep\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_thread", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={"DATABASE_URL": "sqlite:///:memory:", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: {path}:3: indented 2 levels, but the line above is at level 0; "
        "a reply goes one level deeper than its parent"
    )
    assert "Traceback" not in result.stderr


def test_parse_file_rejects_duplicate_ids_and_cycles(tmp_path):
    from threads.importers import ParsedComment, ParsedThread, check_tree

    dup = ParsedThread(
        source="s", title="t",
        comments=[ParsedComment("1", None, "a"), ParsedComment("1", None, "b")],
    )  # fmt: skip
    with pytest.raises(ImportFailed, match="comment '1' appears twice"):
        check_tree(dup, name="f.json")
    cycle = ParsedThread(
        source="s", title="t",
        comments=[ParsedComment("1", "2", "a"), ParsedComment("2", "1", "b")],
    )  # fmt: skip
    with pytest.raises(ImportFailed, match="reply cycle"):
        check_tree(cycle, name="f.json")
    orphan = ParsedThread(source="s", title="t", comments=[ParsedComment("1", "9", "a")])
    with pytest.raises(ImportFailed, match="replies to '9', which is not in the file"):
        check_tree(orphan, name="f.json")


def test_markup_in_transcript_is_text(tmp_path):
    run_import(write(tmp_path, "# T\n<script>alert(1)</script> and <b>bold</b>\n"))
    comment = Comment.objects.get()
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert parse_file(write(tmp_path, "x\n", "y.txt")).title == "x"


def test_a_database_refusal_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    from django.db import IntegrityError

    from threads.services import imports

    def refuse(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint\nDETAIL: ...")

    monkeypatch.setattr(imports, "_bulk_insert", refuse)
    path = write(tmp_path, "# T\na\n")
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value) == (
        f"{path}: the database refused the import (duplicate key value violates unique constraint)"
    )
    assert Thread.objects.count() == 0
