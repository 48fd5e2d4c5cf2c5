from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_moderators_group(sender, apps=None, **kwargs):
    """After migrate, and after the flush between transactional tests."""
    from django.apps import apps as installed_apps

    from threads.roles import sync_moderators_group

    sync_moderators_group(apps or installed_apps)


def _install_search_index(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table: put them back."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from threads.search import schema

    connection = connections[using]
    if ("threads", "0014_search_index") in MigrationRecorder(connection).applied_migrations():
        schema.install(connection)


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Discussions"

    def ready(self):
        # Registers the deploy checks and login_protection's signal receivers.
        from threads import cache_checks, checks, login_protection, mail  # noqa: F401

        cache_checks.say_if_local_memory()

        post_migrate.connect(_sync_moderators_group, sender=self)
        post_migrate.connect(_install_search_index, sender=self)
