# The front page's hot rank, stored and indexed (threads.services.ranking keeps it), and
# the top order's index with its last tie-break, so each order is read from an index.

import math

from django.db import migrations, models
from django.utils import timezone


def rank_every_thread(apps, schema_editor):
    """Lemmy's hot rank as of now, as threads.sorting.hot_rank computes it (copied: a
    migration must not change when the code does)."""
    Thread = apps.get_model("threads", "Thread")
    now = timezone.now()
    batch = []
    for pk, score, created_at in Thread.objects.values_list("pk", "score", "created_at").iterator():
        hours = max(0.0, (now - created_at).total_seconds() / 3600)
        rank = 10000 * math.log10(max(1, 3 + score)) / (hours + 2) ** 1.8
        batch.append(Thread(pk=pk, hot_rank=rank))
        if len(batch) == 1000:
            Thread.objects.bulk_update(batch, ["hot_rank"])
            batch = []
    Thread.objects.bulk_update(batch, ["hot_rank"])


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0014_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="hot_rank",
            field=models.FloatField(
                default=0.0,
                help_text="Lemmy's hot rank as of the last vote, comment or re-rank "
                "(threads.services.ranking): the front page's hot order reads it from an index.",
            ),
        ),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(
                fields=["-hot_rank", "-created_at", "-id"], name="thread_hot_idx"
            ),
        ),
        migrations.RemoveIndex(model_name="thread", name="thread_top_idx"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(
                fields=["-score", "-created_at", "-id"], name="thread_top_order_idx"
            ),
        ),
        migrations.RunPython(rank_every_thread, migrations.RunPython.noop),
    ]
