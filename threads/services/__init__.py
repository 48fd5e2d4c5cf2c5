"""Every write, by concern; each service validates, runs in one transaction, locks what it
changes and returns what it wrote. Call sites read ``services.comment_create(...)``.

- ``permissions``: who may write, and the messages that say why not
- ``comments``: threads and comments: post, edit, delete, purge
- ``votes``: votes and their counts
- ``imports``: the import writer
- ``moderation``: removals, locks, reports, and the log
- ``accounts``: bans, moderators, account removal
"""

from threads.services.accounts import (
    BAN_END_IN_PAST,
    BAN_SELF,
    BAN_STAFF,
    NO_MODERATORS_GROUP,
    REMOVE_OTHERS,
    account_remove,
    moderator_add,
    user_ban,
    user_unban,
)
from threads.services.bodies import RerenderResult, bodies_rerender
from threads.services.comments import (
    ALREADY_DELETED,
    PARENT_GONE,
    PARENT_IN_OTHER_THREAD,
    comment_create,
    comment_delete,
    comment_edit,
    comment_purge,
    thread_create,
)
from threads.services.imports import ImportResult, thread_import
from threads.services.moderation import (
    ALREADY_REPORTED,
    REPORT_GONE_COMMENT,
    REPORT_OWN_COMMENT,
    REPORT_REASON_REQUIRED,
    Outcome,
    comment_remove,
    comment_restore,
    report_create,
    reports_dismiss,
    thread_lock,
    thread_unlock,
)
from threads.services.permissions import (
    BANNED,
    COMMENT_REMOVED,
    EMPTY_TEXT,
    LOGIN_REQUIRED,
    NOT_A_MODERATOR,
    NOT_YOUR_COMMENT,
    REASON_REQUIRED,
    REASON_TOO_LONG,
    TEXT_TOO_LONG,
    THREAD_LOCKED,
    ensure_author_can_change,
    ensure_can_write,
    ensure_moderator,
)
from threads.services.search import RebuildResult, search_index_rebuild
from threads.services.votes import (
    BAD_VOTE_VALUE,
    CANNOT_VOTE_OWN,
    VOTE_RACED,
    vote_cast,
    votes_withdraw,
)

__all__ = [
    "ALREADY_DELETED", "ALREADY_REPORTED", "BAD_VOTE_VALUE", "BANNED", "BAN_END_IN_PAST",
    "BAN_SELF", "BAN_STAFF", "CANNOT_VOTE_OWN", "COMMENT_REMOVED", "EMPTY_TEXT",
    "ImportResult", "LOGIN_REQUIRED", "NOT_A_MODERATOR", "NOT_YOUR_COMMENT",
    "NO_MODERATORS_GROUP", "Outcome", "PARENT_GONE", "PARENT_IN_OTHER_THREAD",
    "REASON_REQUIRED", "REASON_TOO_LONG", "REMOVE_OTHERS", "REPORT_GONE_COMMENT",
    "REPORT_OWN_COMMENT", "REPORT_REASON_REQUIRED", "TEXT_TOO_LONG", "THREAD_LOCKED",
    "VOTE_RACED", "account_remove", "comment_create", "comment_delete", "comment_edit",
    "comment_purge", "comment_remove", "comment_restore", "ensure_author_can_change",
    "ensure_can_write", "ensure_moderator", "moderator_add", "report_create",
    "reports_dismiss", "thread_create", "thread_import", "thread_lock", "thread_unlock",
    "user_ban", "user_unban", "vote_cast", "votes_withdraw",
    "RerenderResult", "bodies_rerender",
    "RebuildResult", "search_index_rebuild",
]  # fmt: skip
