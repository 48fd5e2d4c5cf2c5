"""The public moderation log."""

from threads.models import ModerationLog


def moderation_log_entries():
    """The log newest first, with everything a row links to fetched in the same query."""
    return ModerationLog.objects.select_related(
        "moderator", "thread", "comment__thread", "user"
    ).order_by("-created_at", "-id")
