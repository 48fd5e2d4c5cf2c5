# Threads their authors own and moderators keep: edits, deletes, removals, pins, reports.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0012_accounts"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportedThread',
            fields=[
            ],
            options={
                'verbose_name': 'reported thread',
                'verbose_name_plural': 'report queue: threads',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('threads.thread',),
        ),
        migrations.AddField(
            model_name='report',
            name='thread',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='threads.thread'),
        ),
        migrations.AddField(
            model_name='thread',
            name='edited_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='thread',
            name='is_deleted',
            field=models.BooleanField(default=False, help_text='Deleted by its author: its title, link and text are gone.'),
        ),
        migrations.AddField(
            model_name='thread',
            name='is_removed',
            field=models.BooleanField(default=False, help_text='Removed by a moderator: off the front page, text kept.'),
        ),
        migrations.AddField(
            model_name='thread',
            name='pinned_position',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Pinned to the top of the front page at this place (1 is first); empty when not pinned.', null=True),
        ),
        migrations.AlterField(
            model_name='moderationlog',
            name='action',
            field=models.CharField(choices=[('comment_remove', 'removed comment'), ('comment_restore', 'restored comment'), ('thread_lock', 'locked thread'), ('thread_unlock', 'unlocked thread'), ('user_ban', 'banned user'), ('user_unban', 'unbanned user'), ('reports_dismiss', 'dismissed reports'), ('comment_purge', 'purged comment'), ('account_remove', 'removed account'), ('thread_remove', 'removed thread'), ('thread_restore', 'restored thread'), ('thread_pin', 'pinned thread'), ('thread_unpin', 'unpinned thread'), ('thread_purge', 'purged thread')], max_length=20),
        ),
        migrations.AlterField(
            model_name='report',
            name='comment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='threads.comment'),
        ),
        migrations.AlterField(
            model_name='report',
            name='status',
            field=models.CharField(choices=[('open', 'open'), ('removed', 'removed'), ('dismissed', 'dismissed')], default='open', max_length=10),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('thread__isnull', False)), fields=['status', 'thread'], name='report_status_thread_idx'),
        ),
        migrations.AddIndex(
            model_name='thread',
            index=models.Index(condition=models.Q(('pinned_position__isnull', False)), fields=['pinned_position'], name='thread_pinned_idx'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open'), ('thread__isnull', False)), fields=('thread', 'reporter'), name='report_one_open_per_user_thread'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('comment__isnull', False), ('thread__isnull', True)), models.Q(('comment__isnull', True), ('thread__isnull', False)), _connector='OR'), name='report_on_exactly_one_item'),
        ),
    ]
