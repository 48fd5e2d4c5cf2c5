"""The search index's tables and triggers, for each database, and the checks on them.

The database keeps the index itself, in the transaction of every write, so no code path
can forget it: replies, edits, deletes, moderation, imports (raw ``executemany``),
re-renders and bulk updates of another feature alike. Only changes to the indexed
columns (thread ``title`` and ``body``, comment ``body``) touch the index: renumbering a
comment tree or counting a vote does not.

- SQLite: FTS5 tables with the porter stemmer over the tables' own columns (external
  content: the text is not stored twice), kept by AFTER INSERT/UPDATE OF/DELETE triggers;
  imported comments are inserted by the import and indexed by it in one statement
  (``bulk``).
  SQLite's migrations rebuild a table to add most columns, which drops its triggers;
  :func:`install` runs again after every ``migrate`` (``post_migrate``) and re-creates
  whatever is missing, rebuilding the index when a trigger had gone.
- PostgreSQL: a side table of one ``tsvector`` per row with a GIN index, kept by
  statement-level triggers that read the statement's transition tables for inserts and
  deletes (a bulk import indexes each batch in one INSERT … SELECT), and a row trigger on
  the indexed columns for edits. The comment table itself stays narrow: a
  reply renumbers many rows, and wide rows would fit fewer per page for its in-place
  (HOT) updates. A thread's title weighs more than its body (weight A against D).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection

COMMENT_INDEX = "threads_comment_search"
# While an import inserts comments they are not indexed one by one: on SQLite the insert
# trigger leaves out rows with a source id (only imports write one), on PostgreSQL the
# import's transaction sets this (transaction-local) setting.
PAUSE_SETTING = "threads.search_paused"
THREAD_INDEX = "threads_thread_search"

# table -> (index table, indexed columns, PostgreSQL's document expression over alias r)
INDEXED = {
    "threads_comment": (COMMENT_INDEX, ("body",), "to_tsvector('english', {r}.body)"),
    "threads_thread": (
        THREAD_INDEX,
        ("title", "body"),
        "setweight(to_tsvector('english', {r}.title), 'A') || "
        "setweight(to_tsvector('english', {r}.body), 'D')",
    ),
}

_SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _sqlite_statements(table: str) -> tuple[list[str], list[str]]:
    """(the FTS5 table, its triggers) for one table."""
    index, columns, _ = INDEXED[table]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    add = f"INSERT INTO {index}(rowid, {cols}) VALUES (new.id, {new});"
    drop = f"INSERT INTO {index}({index}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    create = (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5({cols}, "
        f"content='{table}', content_rowid='id', tokenize='{_SQLITE_TOKENIZER}')"
    )
    # Imported comments (they have a source id) are indexed by the import, in one
    # statement after its inserts (``bulk``): a cheap test per row, no lookup.
    paused = "WHEN new.source_id = ''" if table == "threads_comment" else ""
    triggers = [
        f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} {paused} "
        f"BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN {drop} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE OF {cols} ON {table} "
        f"WHEN {changed} BEGIN {drop} {add} END",
    ]
    return [create], triggers


def _postgresql_statements(table: str) -> tuple[list[str], list[str]]:
    """Inserts and deletes index whole statements at once (their transition tables); an
    edit is a row trigger on the indexed columns only, so the many UPDATEs that touch
    other columns (tree numbers, counters, votes) never queue an event."""
    index, columns, document = INDEXED[table]
    cols = ", ".join(columns)
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    tables = [
        f"CREATE TABLE IF NOT EXISTS {index} "
        "(rowid bigint PRIMARY KEY, document tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {index}_document ON {index} USING gin (document)",
        f"""CREATE OR REPLACE FUNCTION {index}_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
IF current_setting('{PAUSE_SETTING}', true) = '{table}' THEN RETURN NULL; END IF;
INSERT INTO {index} (rowid, document) SELECT r.id, {document.format(r="r")} FROM added r
ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$""",
        f"""CREATE OR REPLACE FUNCTION {index}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO {index} (rowid, document) VALUES (NEW.id, {document.format(r="NEW")})
ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$""",
        f"""CREATE OR REPLACE FUNCTION {index}_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM {index} s USING gone o WHERE s.rowid = o.id; RETURN NULL; END $$""",
        f"""CREATE OR REPLACE FUNCTION {index}_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN TRUNCATE {index}; RETURN NULL; END $$""",
    ]
    triggers = [
        f"CREATE OR REPLACE TRIGGER {index}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {index}_added()",
        f"CREATE OR REPLACE TRIGGER {index}_update AFTER UPDATE OF {cols} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {index}_changed()",
        f"CREATE OR REPLACE TRIGGER {index}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {index}_gone()",
        f"CREATE OR REPLACE TRIGGER {index}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {index}_emptied()",
    ]
    return tables, triggers


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return _postgresql_statements(table)
    if vendor == "sqlite":
        return _sqlite_statements(table)
    raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {vendor}.")


def _missing_triggers(cursor, vendor: str) -> int:
    names = [
        f"{index}_{event}"
        for index, _, _ in INDEXED.values()
        for event in ("insert", "update", "delete")
    ]
    marks = ", ".join(["%s"] * len(names))
    if vendor == "postgresql":
        sql = f"SELECT count(*) FROM pg_trigger WHERE tgname IN ({marks})"
    else:
        sql = f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})"
    cursor.execute(sql, names)
    return len(names) - cursor.fetchone()[0]


def install(connection=None) -> bool:
    """Create the index tables and triggers that are missing; fill the index when a
    trigger was missing (a new index, or SQLite rebuilt a table). True if it filled it."""
    connection = connection or default_connection
    vendor = connection.vendor
    with connection.cursor() as cursor:
        missing = _missing_triggers(cursor, vendor)
        for table in INDEXED:
            tables, triggers = _statements(vendor, table)
            for sql in tables + triggers:
                cursor.execute(sql)
        if missing:
            for table in INDEXED:
                clear(cursor, vendor, table)
                fill(cursor, vendor, table)
    return bool(missing)


@contextmanager
def bulk(thread_id: int, connection=None):
    """New comments of ``thread_id`` written inside are indexed in one statement at the
    end instead of one by one (an import's thousands of rows). Inserting comments with a
    source id must happen inside it: on SQLite nothing else indexes them. Use it inside
    the writing transaction, so a failure rolls back the rows and their index alike."""
    connection = connection or default_connection
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM threads_comment")
        floor = cursor.fetchone()[0]
        if vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'threads_comment', true)", [PAUSE_SETTING])
    yield
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, '', true)", [PAUSE_SETTING])
            document = INDEXED["threads_comment"][2].format(r="r")
            cursor.execute(
                f"INSERT INTO {COMMENT_INDEX} (rowid, document) SELECT r.id, {document} "
                "FROM threads_comment r WHERE r.thread_id = %s AND r.id > %s "
                "ON CONFLICT (rowid) DO NOTHING",  # a reply committed meanwhile: indexed
                [thread_id, floor],
            )
        else:
            # In rowid order: FTS5 writes its pending terms to disk whenever a rowid is
            # not above the one before (the thread's index would give tree order).
            cursor.execute(
                f"INSERT INTO {COMMENT_INDEX} (rowid, body) SELECT r.id, r.body "
                "FROM threads_comment r WHERE r.id > %s AND r.thread_id = %s "
                "AND r.source_id <> '' ORDER BY r.id",  # what the insert trigger left out
                [floor, thread_id],
            )


def remove_triggers(connection=None) -> None:
    """Drop the triggers (the benchmark times an import without them, then rolls back)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for table, (index, _, _) in INDEXED.items():
            for event in ("insert", "update", "delete", "truncate"):
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{event} ON {table}")
                elif event != "truncate":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{event}")


def size_bytes(connection=None) -> int | None:
    """The index's size on disk, or None where the database cannot say."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT pg_total_relation_size('{COMMENT_INDEX}') "
                f"+ pg_total_relation_size('{THREAD_INDEX}')"
            )
            return cursor.fetchone()[0]
        try:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name LIKE %s",
                [f"{COMMENT_INDEX}%", f"{THREAD_INDEX}%"],
            )
        except Exception:  # SQLite built without the dbstat table
            return None
        return cursor.fetchone()[0] or 0


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for index, _, _ in INDEXED.values():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TABLE IF EXISTS {index}")
                for name in ("added", "changed", "gone", "emptied"):
                    cursor.execute(f"DROP FUNCTION IF EXISTS {index}_{name}() CASCADE")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{event}")
                cursor.execute(f"DROP TABLE IF EXISTS {index}")


def clear(cursor, vendor: str, table: str) -> None:
    index = INDEXED[table][0]
    if vendor == "postgresql":
        cursor.execute(f"DELETE FROM {index}")
    else:
        cursor.execute(f"INSERT INTO {index}({index}) VALUES ('delete-all')")


def fill(cursor, vendor: str, table: str, first_id: int | None = None, last_id=None) -> None:
    """Index the rows of ``table`` with ids in [first_id, last_id] (all rows without)."""
    index, columns, document = INDEXED[table]
    where, params = "", []
    if first_id is not None:
        where, params = " WHERE r.id BETWEEN %s AND %s", [first_id, last_id]
    if vendor == "postgresql":
        indexed = document.format(r="r")
        sql = f"INSERT INTO {index} (rowid, document) SELECT r.id, {indexed} FROM {table} r"
    elif first_id is None:
        sql = f"INSERT INTO {index}({index}) VALUES ('rebuild')"
        where = ""
    else:
        cols = ", ".join(columns)
        picked = ", ".join(f"r.{c}" for c in columns)
        sql = f"INSERT INTO {index}(rowid, {cols}) SELECT r.id, {picked} FROM {table} r"
    if where and vendor == "sqlite":
        where += " ORDER BY r.id"  # FTS5 flushes its pending terms on a rowid out of order
    cursor.execute(sql + where, params)


def problems(connection=None) -> list[str]:
    """What is wrong with the index: rows missing from it, stale or left over. Empty when
    every indexed text is exactly what the tables hold."""
    connection = connection or default_connection
    found = []
    with connection.cursor() as cursor:
        if _missing_triggers(cursor, connection.vendor):
            found.append("search triggers are missing: run manage.py migrate")
        for table, (index, _, document) in INDEXED.items():
            if connection.vendor == "postgresql":
                indexed = document.format(r="r")
                cursor.execute(
                    f"SELECT count(*) FROM {table} r FULL JOIN {index} s ON s.rowid = r.id "
                    f"WHERE r.id IS NULL OR s.rowid IS NULL OR s.document <> {indexed}"
                )
                wrong = cursor.fetchone()[0]
                if wrong:
                    found.append(f"{index}: {wrong} rows missing, stale or left over")
            else:
                try:
                    cursor.execute(
                        f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
                    )
                except Exception as error:  # SQLITE_CORRUPT_VTAB: the index disagrees
                    found.append(f"{index}: {error}")
    return found
