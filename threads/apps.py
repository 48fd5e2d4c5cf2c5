from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_moderators_group(sender, apps=None, **kwargs):
    """After migrate, and after the flush between transactional tests."""
    from django.apps import apps as installed_apps

    from threads.roles import sync_moderators_group

    sync_moderators_group(apps or installed_apps)


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Discussions"

    def ready(self):
        # Registers the deploy checks and login_protection's signal receivers.
        from threads import cache_checks, checks, login_protection, mail  # noqa: F401

        cache_checks.say_if_local_memory()

        post_migrate.connect(_sync_moderators_group, sender=self)
