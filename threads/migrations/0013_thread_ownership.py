# Reserved in the chain so parallel work lands without merge migrations; filled by its owner.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0012_accounts"),
    ]

    operations = []
