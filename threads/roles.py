"""The "Moderators" group: exactly the permissions moderation needs, never a delete.

Made by a data migration, and kept in step after every ``migrate`` or ``flush`` by a
``post_migrate`` receiver, as Django itself does for permissions.
"""

from django.contrib.auth.management import create_permissions

from threads.models import MODERATORS_GROUP

MODERATOR_PERMISSIONS = [
    ("threads", "thread", ["view", "change"]),
    ("threads", "comment", ["view", "change"]),
    ("threads", "report", ["view", "change"]),
    ("threads", "reportedcomment", ["view", "change"]),
    ("threads", "reportedthread", ["view", "change"]),
    ("threads", "ban", ["view"]),
    ("threads", "moderationlog", ["view"]),
    ("auth", "user", ["view", "change"]),
]


def sync_moderators_group(apps) -> None:
    """Create the group if missing and give it exactly ``MODERATOR_PERMISSIONS``."""
    for app_config in apps.get_app_configs():
        # Permissions normally appear after migrate; a data migration needs them now.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    # A model a later migration adds has no permission yet when an early migration runs
    # this; the post_migrate run after the last migration gives it.
    wanted = [
        permission
        for app_label, model, actions in MODERATOR_PERMISSIONS
        for action in actions
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )
    ]
    group.permissions.set(wanted)
