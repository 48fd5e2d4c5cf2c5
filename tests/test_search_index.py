"""The search index stays exact through every kind of write, on either database: it is
kept by the database's own triggers in the transaction of each write.

After each step the index is compared with the tables (``schema.problems()``) and a
search shows what a reader should find. Run on SQLite (FTS5) and on PostgreSQL
(``DATABASE_URL=postgres://…``, tsvector).
"""

import copy
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_comment, make_moderator, make_superuser, make_thread, make_user
from threads import services
from threads.importers import forum_json
from threads.importers.synthetic import synthetic_parsed_thread
from threads.models import Comment, Thread
from threads.search import schema
from threads.search.query import parse
from threads.selectors.search import Filters, search

pytestmark = pytest.mark.django_db


def found(text: str, **filters) -> set:
    """What a reader finds: ("thread"|"comment", pk) pairs, and the index is exact."""
    assert schema.problems() == []
    page = search(parse(text), Filters(**filters))
    return {(r.kind, r.item.pk) for r in page.results}


def test_every_write_keeps_the_index_exact(db):
    alice, mod, root = make_user("alice"), make_moderator("mia"), make_superuser("root")
    thread = make_thread(author=alice, title="Orchids", body="Growing orchids indoors.")
    assert found("orchid") == {("thread", thread.pk)}

    comment = make_comment(thread, author=alice, body="My cactus flowered.")
    reply = make_comment(thread, parent=comment, author=alice, body="Cactus care is easy.")
    assert found("cactus") == {("comment", comment.pk), ("comment", reply.pk)}

    services.comment_edit(user=alice, comment=reply, body="Succulent care is easy.")
    assert found("cactus") == {("comment", comment.pk)}
    assert found("succulents") == {("comment", reply.pk)}

    services.comment_remove(moderator=mod, comment=comment, reason="off topic")
    assert found("cactus") == set()
    services.comment_restore(moderator=mod, comment=comment)
    assert found("cactus") == {("comment", comment.pk)}

    services.comment_delete(user=alice, comment=reply)
    assert found("succulent") == set()
    assert found("care") == set()

    Thread.objects.filter(pk=thread.pk).update(title="Ferns", body="Ferns in shade.")
    assert found("orchids") == set()
    assert found("fern") == {("thread", thread.pk)}

    services.bodies_rerender()
    assert found("cactus") == {("comment", comment.pk)}

    services.comment_purge(moderator=root, comment=comment, reason="illegal")
    assert found("cactus") == set()
    assert not Comment.objects.filter(thread=thread).exists()


def _document(title: str, bodies: dict) -> dict:
    comments = [
        {"id": key, "parent": None, "author": "importer", "created": "2025-01-01T00:00:00Z",
         "edited": None, "body": body, "score": 1, "upvotes": 1, "downvotes": 0,
         "deleted": body == "", "removed": False}
        for key, body in bodies.items()
    ]  # fmt: skip
    thread = {
        "source": "search:reimport", "title": title, "url": "", "body": "", "author": "x",
        "created": "2025-01-01T00:00:00Z", "score": 1, "upvotes": 1, "downvotes": 0,
        "locked": False, "comments": comments,
    }  # fmt: skip
    data = {"format": forum_json.FORMAT_NAME, "version": forum_json.VERSION, "threads": [thread]}
    return forum_json.parse_data(copy.deepcopy(data), name="test")[0]


def test_imports_and_reimports_keep_the_index_exact(db):
    first = services.thread_import(
        parsed=_document("Volcano notes", {"a": "Lava flows slowly.", "b": "Ash everywhere."})
    ).thread
    by_source = dict(Comment.objects.values_list("source_id", "pk"))
    assert found("lava") == {("comment", by_source["a"])}
    services.thread_import(
        parsed=_document(
            "Volcano notes",
            {"a": "Magma rises fast.", "b": "", "c": "Pumice floats."},
        )
    )
    by_source = dict(Comment.objects.values_list("source_id", "pk"))
    assert found("lava") == set()
    assert found("magma") == {("comment", by_source["a"])}
    assert found("ash") == set()  # deleted at the source: its text is gone
    assert found("pumice") == {("comment", by_source["c"])}
    assert found("volcano") == {("thread", first.pk)}


def test_a_bulk_import_is_indexed_and_rebuild_restores_a_lost_index(db):
    parsed = synthetic_parsed_thread(comments=300, source="search:bulk")
    thread = services.thread_import(parsed=parsed).thread
    assert schema.problems() == []
    assert found("zebra") == set()
    zebra = make_comment(thread, body="A zebra after the import")  # indexed one by one again
    assert found("zebra") == {("comment", zebra.pk)}
    Comment.objects.filter(pk=zebra.pk).update(body="")
    with connection.cursor() as cursor:
        for table in schema.INDEXED:
            schema.clear(cursor, connection.vendor, table)
    assert schema.problems() != []
    out = StringIO()
    call_command("rebuild_search_index", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Would index 1 thread and 301 comments; the index had 2 problems."
    assert len(lines) == 3 and all(line.startswith("threads_") for line in lines[:2])
    assert schema.problems() != []  # a dry run writes nothing
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "7", stdout=out, stderr=StringIO())
    assert out.getvalue() == "Indexed 1 thread and 301 comments; the index had 2 problems.\n"
    assert schema.problems() == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue() == "Indexed 1 thread and 301 comments; the index was right.\n"


def test_lost_triggers_come_back_after_migrate(db):
    """SQLite drops a table's triggers when a migration rebuilds the table."""
    thread = make_thread(title="Glaciers")
    with connection.cursor() as cursor:
        for index, _, _ in schema.INDEXED.values():
            cursor.execute(f"DROP TRIGGER IF EXISTS {index}_update" + (
                f" ON {'threads_thread' if 'thread' in index else 'threads_comment'}"
                if connection.vendor == "postgresql" else ""
            ))  # fmt: skip
    Thread.objects.filter(pk=thread.pk).update(title="Icebergs")
    assert "search triggers are missing" in " ".join(schema.problems())
    assert schema.install() is True  # what post_migrate runs
    assert found("iceberg") == {("thread", thread.pk)}


def test_a_search_page_costs_the_same_queries_for_few_or_many_matches(client, db):
    few = make_thread(title="Few")
    make_comment(few, body="only one answer here")
    many = services.thread_import(
        parsed=synthetic_parsed_thread(comments=1_000, source="search:queries")
    ).thread
    counts = {}
    for name, thread in (("few", few), ("many", many)):
        for params in ({"q": "answer"}, {"q": "answer", "sort": "top", "type": "comments"}):
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/search/", {**params, "thread": thread.pk})
            assert response.status_code == 200
            assert response.content.decode().count('class="search-result') >= 1
            counts.setdefault(tuple(params.items()), {})[name] = len(queries)
    for by_thread in counts.values():
        assert by_thread["few"] == by_thread["many"]
