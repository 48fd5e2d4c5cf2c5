"""Read side: everything a page needs, assembled in a constant number of queries.

- ``comment_tree``: a thread's comments within the page budget, sorted, with the
  viewer's votes and "load more" links
- ``front_page``: threads in hot, new or top order
- ``users``: a member's activity, karma and ban
- ``moderation``: the public log
- ``community``: a member's inbox, saved items and blocks
"""

from threads.selectors.accounts import preferred_comment_sort
from threads.selectors.comment_tree import (
    CommentPage,
    CommentRow,
    CommentTree,
    MoreLink,
    comment_batch,
    comment_page,
    comment_rows,
    layout,
    single_comment_tree,
    sort_rows,
)
from threads.selectors.community import (
    blocked_ids,
    blocked_users,
    blocks,
    inbox_items,
    inbox_page,
    inbox_unread_count,
    saved_page,
    thread_marks,
    viewer_marks,
)
from threads.selectors.front_page import (
    THREAD_SORTS,
    FrontPage,
    front_page,
    pinned_ids,
    thread_ids_by,
    thread_vote,
    thread_votes,
    threads_in_order,
)
from threads.selectors.moderation import moderation_log_entries
from threads.selectors.users import active_ban, member_named, user_activity, user_karma

__all__ = [
    "THREAD_SORTS", "CommentPage", "CommentRow", "CommentTree", "MoreLink", "active_ban",
    "comment_batch", "comment_page", "comment_rows", "layout", "moderation_log_entries",
    "single_comment_tree", "sort_rows", "thread_ids_by", "thread_vote", "threads_in_order",
    "member_named", "user_activity", "user_karma",
    "preferred_comment_sort",
    "FrontPage", "front_page", "pinned_ids", "thread_votes",
    "blocked_ids", "blocked_users", "blocks", "inbox_items", "inbox_page", "inbox_unread_count",
    "saved_page", "thread_marks", "viewer_marks",
]  # fmt: skip
