"""Votes on threads and comments, and the guard that keeps an account's votes from
being deleted without taking back the scores they moved (``services.account_remove``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from threads import tree
from threads.models.contributions import Comment, Thread


class VoteQuerySet(models.QuerySet):
    def tallies(self, field: str) -> dict[int, tuple[int, int, int]]:
        """``item id -> (score, upvotes, downvotes)`` by these votes; ``field`` names the
        item (``"comment_id"`` or ``"thread_id"``). One grouped query."""
        rows = self.values_list(field, "value").annotate(n=models.Count("pk")).order_by()
        tallies: dict[int, tuple[int, int, int]] = {}
        for item, value, n in rows:
            score, ups, downs = tallies.get(item, (0, 0, 0))
            if value == Vote.UP:
                tallies[item] = (score + n, ups + n, downs)
            else:
                tallies[item] = (score - n, ups, downs + n)
        return tallies


class Vote(models.Model):
    UP = 1
    DOWN = -1

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField(choices=[(UP, "up"), (DOWN, "down")])
    created_at = models.DateTimeField(default=timezone.now)

    objects = VoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="vote_one_per_user_comment",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="vote_one_per_user_thread",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, thread__isnull=True)
                | Q(comment__isnull=True, thread__isnull=False),
                name="vote_on_exactly_one_item",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_up_or_down"),
        ]

    def __str__(self):
        item = f"comment {self.comment_id}" if self.comment_id else f"thread {self.thread_id}"
        return f"{self.user_id} {'+1' if self.value > 0 else '-1'} on {item}"


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _refuse_deleting_a_voter(sender, instance, **kwargs):
    """Deleting an account row takes its vote rows along but not the scores they moved:
    ``services.account_remove`` withdraws the votes first, so only it gets past here."""
    if Vote.objects.filter(user_id=instance.pk).exists():
        raise tree.TreeGuardError(
            "This account has votes; remove it with services.account_remove, which takes "
            "them back from the scores first."
        )
