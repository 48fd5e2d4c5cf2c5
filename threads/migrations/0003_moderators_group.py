"""The "Moderators" group with exactly what moderation needs: view and change, never delete."""

from django.db import migrations

from threads.models import MODERATORS_GROUP
from threads.roles import sync_moderators_group


def create_group(apps, schema_editor):
    sync_moderators_group(apps)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0002_moderation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
