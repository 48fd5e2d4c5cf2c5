# The inbox, blocks and saved items (issue 12, helper 'inbox').

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('threads', '0010_profile'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Block',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('blocked', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('blocker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='blocks', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('blocker', 'blocked'), name='block_once'), models.CheckConstraint(condition=models.Q(('blocker', models.F('blocked')), _negated=True), name='block_not_self')],
            },
        ),
        migrations.CreateModel(
            name='InboxItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('comment_reply', 'replied to your comment'), ('thread_reply', 'replied to your thread'), ('mention', 'mentioned you')], max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('is_read', models.BooleanField(default=False)),
                ('comment', models.ForeignKey(blank=True, help_text="The comment that answered or named the recipient; empty for a mention in the thread's own text.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.comment')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inbox_items', to=settings.AUTH_USER_MODEL)),
                ('thread', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.thread')),
            ],
            options={
                'verbose_name': 'inbox item',
                'ordering': ['is_read', '-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', 'is_read', '-created_at', '-id'], name='inbox_page_idx'), models.Index(condition=models.Q(('is_read', False)), fields=['recipient'], name='inbox_unread_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('comment__isnull', False)), fields=('recipient', 'comment'), name='inbox_one_per_recipient_comment'), models.UniqueConstraint(condition=models.Q(('comment__isnull', True)), fields=('recipient', 'thread'), name='inbox_one_per_recipient_thread')],
            },
        ),
        migrations.CreateModel(
            name='SavedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.comment')),
                ('thread', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.thread')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_items', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'saved item',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', '-created_at', '-id'], name='saved_page_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('comment__isnull', False)), fields=('user', 'comment'), name='saved_once_per_comment'), models.UniqueConstraint(condition=models.Q(('thread__isnull', False)), fields=('user', 'thread'), name='saved_once_per_thread'), models.CheckConstraint(condition=models.Q(models.Q(('comment__isnull', False), ('thread__isnull', True)), models.Q(('comment__isnull', True), ('thread__isnull', False)), _connector='OR'), name='saved_exactly_one_item')],
            },
        ),
    ]
