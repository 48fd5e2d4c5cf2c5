"""Every write, by concern; each service validates, runs in one transaction, locks what it
changes and returns what it wrote. Call sites read ``services.comment_create(...)``.

- ``permissions``: who may write, and the messages that say why not
- ``comments``: threads and comments: post, edit, delete, purge
- ``votes``: votes and their counts
- ``imports``: the import writer
- ``moderation``: removals, locks, reports, and the log
- ``accounts``: bans, moderators, account removal
- ``ranking``: the front page's stored hot rank
- ``members``: a member's own account: joining (the name rules), email, settings, leaving
- ``threads``: a thread's author edits and deletes it; the superuser's purge
- ``thread_moderation``: removing, restoring and pinning threads; reports of threads
- ``speed``: the heated-exchange speed limit, and who is exempt from content limits
- ``inbox``, ``blocks``, ``saved``: what members hear of, whom they block, what they keep
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
from threads.services.members import (
    BAD_COMMENT_SORT,
    EMAIL_TAKEN,
    EMAIL_UNCHANGED,
    WRONG_PASSWORD,
    account_close,
    account_create,
    check_email_free,
    check_new_name,
    comment_sort_set,
    email_change,
    normalized_email,
)
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
from threads.services.ranking import BAD_WINDOW, thread_rank_refresh, threads_rerank
from threads.services.search import RebuildResult, search_index_rebuild
from threads.services.speed import HEATED_REPLY, TooFast, ensure_not_heated, exempt_from_limits
from threads.services.thread_moderation import (
    ALREADY_REPORTED_THREAD,
    BAD_PIN_POSITION,
    PIN_GONE_THREAD,
    PINS_FULL,
    REPORT_GONE_THREAD,
    REPORT_OWN_THREAD,
    THREAD_REPORT_REASON_REQUIRED,
    thread_pin,
    thread_remove,
    thread_report_create,
    thread_reports_dismiss,
    thread_restore,
    thread_unpin,
)
from threads.services.threads import (
    NOT_YOUR_THREAD,
    THREAD_ALREADY_DELETED,
    THREAD_REMOVED,
    ensure_author_can_change_thread,
    thread_delete,
    thread_edit,
    thread_purge,
)
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
    "BAD_WINDOW", "thread_rank_refresh", "threads_rerank",
    "BAD_COMMENT_SORT", "EMAIL_TAKEN", "EMAIL_UNCHANGED", "WRONG_PASSWORD", "account_close",
    "account_create", "check_email_free", "check_new_name", "comment_sort_set", "email_change",
    "normalized_email",
    "ALREADY_REPORTED_THREAD", "BAD_PIN_POSITION", "NOT_YOUR_THREAD", "PINS_FULL",
    "PIN_GONE_THREAD", "REPORT_GONE_THREAD", "REPORT_OWN_THREAD", "THREAD_ALREADY_DELETED",
    "THREAD_REMOVED", "THREAD_REPORT_REASON_REQUIRED", "ensure_author_can_change_thread",
    "thread_delete", "thread_edit", "thread_pin", "thread_purge", "thread_remove",
    "thread_report_create", "thread_reports_dismiss", "thread_restore", "thread_unpin",
    "HEATED_REPLY", "TooFast", "ensure_not_heated", "exempt_from_limits",
]  # fmt: skip

# The inbox, blocks and saved items (issue 12).
from threads.services.blocks import BLOCK_SELF, user_block, user_unblock  # noqa: E402
from threads.services.inbox import (  # noqa: E402
    NOT_YOUR_ITEM,
    feed_token_rotate,
    inbox_item_mark_read,
    inbox_mark_all_read,
    inbox_notify_comment,
    inbox_notify_thread,
)
from threads.services.saved import item_save, item_unsave  # noqa: E402

__all__ += [
    "BLOCK_SELF", "NOT_YOUR_ITEM", "feed_token_rotate", "inbox_item_mark_read",
    "inbox_mark_all_read", "inbox_notify_comment", "inbox_notify_thread", "item_save",
    "item_unsave", "user_block", "user_unblock",
    "RebuildResult", "search_index_rebuild",
]  # fmt: skip
