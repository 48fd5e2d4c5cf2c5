"""The forum's models, one module per concern; every name is importable from here.

``contributions``: threads, comments and their trees; ``votes``; ``moderation``: bans,
reports and the moderation log; ``community``: inbox, blocks, saved items; ``profile``:
a member's own settings. All share the ``threads`` app label, so "threads.Thread" and
the migrations are unchanged by where a model's class lives.
"""

# Imported in the order the models were first defined, which is the order Django
# registers them and lists their reverse relations (and so the order a delete cascades).
from threads.models.contributions import (
    DELETED_AUTHOR,
    OPEN_THREAD,
    Comment,
    CommentManager,
    CommentQuerySet,
    Contribution,
    Distinguished,
    Thread,
    ThreadQuerySet,
    shown_author,
)

# isort: split
from threads.models.votes import Vote, VoteQuerySet

# isort: split
from threads.models.moderation import (
    MODERATORS_GROUP,
    Ban,
    BanQuerySet,
    ModerationLog,
    Report,
    ReportedComment,
    ReportedThread,
)

# isort: split
from threads.models.community import Block, InboxItem, SavedItem

# isort: split
from threads.models.profile import Profile

__all__ = [
    "DELETED_AUTHOR",
    "MODERATORS_GROUP",
    "OPEN_THREAD",
    "Ban",
    "BanQuerySet",
    "Block",
    "Comment",
    "CommentManager",
    "CommentQuerySet",
    "Contribution",
    "Distinguished",
    "InboxItem",
    "ModerationLog",
    "Profile",
    "Report",
    "ReportedComment",
    "ReportedThread",
    "SavedItem",
    "Thread",
    "ThreadQuerySet",
    "Vote",
    "VoteQuerySet",
    "shown_author",
]
