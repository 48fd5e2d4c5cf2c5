"""The "Moderators" group with exactly what moderation needs: view and change, never delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS_GROUP = "Moderators"

PERMISSIONS = [
    ("threads", "thread", ["view", "change"]),
    ("threads", "comment", ["view", "change"]),
    ("threads", "report", ["view", "change"]),
    ("threads", "reportedcomment", ["view", "change"]),
    ("threads", "ban", ["view"]),
    ("threads", "moderationlog", ["view"]),
    ("auth", "user", ["view", "change"]),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    wanted = []
    for app_label, model, actions in PERMISSIONS:
        for action in actions:
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
            )
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0002_moderation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
