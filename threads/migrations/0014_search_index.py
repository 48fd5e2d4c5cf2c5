# Full-text search: FTS5 tables (SQLite) or tsvector side tables with GIN indexes
# (PostgreSQL), kept by triggers; threads/search/schema.py holds the statements, which
# also run after every migrate to re-create triggers SQLite drops when it rebuilds a table.

from django.db import migrations


def install(apps, schema_editor):
    from threads.search import schema

    schema.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from threads.search import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0013_thread_ownership"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
