"""Views: parse the request, check who is asking, call one service or selector, render.

Reading pages are in ``reading``, writing ones in ``writing``, what they share in
``answers``; the rest by subject (threads, reports, accounts, community, inbox, search,
preview).
``threads.urls`` takes the first two from here.
"""

from threads.views.answers import (
    NOT_ALLOWED,
    back_to,
    comment_url,
    refusal,
    refusals_answered,
    wants_json,
)
from threads.views.reading import (
    comment_detail,
    comment_more,
    moderation_log,
    thread_detail,
    thread_list,
    thread_more,
    user_detail,
)
from threads.views.reports import REPORT_SENT, comment_report
from threads.views.writing import (
    PARENT_MISSING,
    comment_delete,
    comment_edit,
    comment_reply,
    comment_vote,
    thread_create,
    thread_reply,
    thread_vote,
)

__all__ = [
    "NOT_ALLOWED", "PARENT_MISSING", "REPORT_SENT", "back_to", "comment_delete",
    "comment_detail", "comment_edit", "comment_more", "comment_reply", "comment_report",
    "comment_url", "comment_vote", "moderation_log", "refusal", "refusals_answered",
    "thread_create", "thread_detail", "thread_list", "thread_more", "thread_reply",
    "thread_vote", "user_detail", "wants_json",
]  # fmt: skip
