from django.urls import path

from threads import feeds, views
from threads.page_cache import anonymous_page, by_site, by_thread
from threads.views import accounts, community, inbox, preview, reports, search
from threads.views import threads as thread_views

app_name = "threads"

urlpatterns = [
    path("", views.thread_list, name="thread-list"),
    path("submit/", views.thread_create, name="thread-create"),
    path("t/<int:pk>/", views.thread_detail, name="thread-detail-short"),
    path("t/<int:pk>/<str:slug>/", views.thread_detail, name="thread-detail"),
    path("thread/<int:pk>/reply/", views.thread_reply, name="thread-reply"),
    path("thread/<int:pk>/vote/", views.thread_vote, name="thread-vote"),
    path("thread/<int:pk>/more/", views.thread_more, name="thread-more"),
    path("thread/<int:pk>/edit/", thread_views.thread_edit, name="thread-edit"),
    path("thread/<int:pk>/delete/", thread_views.thread_delete, name="thread-delete"),
    path("thread/<int:pk>/report/", reports.thread_report, name="thread-report"),
    path("thread/<int:pk>/moderate/", thread_views.thread_moderate, name="thread-moderate"),
    path("c/<int:pk>/", views.comment_detail, name="comment-detail"),
    path("c/<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("c/<int:pk>/vote/", views.comment_vote, name="comment-vote"),
    path("c/<int:pk>/more/", views.comment_more, name="comment-more"),
    path("c/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("c/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("c/<int:pk>/report/", views.comment_report, name="comment-report"),
    path("moderation/", views.moderation_log, name="moderation-log"),
    path("u/<str:username>/", views.user_detail, name="user-detail"),
    path("feed/", anonymous_page(by_site)(feeds.LatestThreadsFeed()), name="feed-threads"),
    path(
        "thread/<int:pk>/feed/",
        anonymous_page(by_thread)(feeds.ThreadCommentsFeed()),
        name="feed-thread-comments",
    ),
    # A member's own account (threads/views/accounts.py)
    path("accounts/signup/", accounts.signup, name="signup"),
    path("settings/", accounts.settings_page, name="settings"),
    path("settings/email/", accounts.settings_email, name="settings-email"),
    path("settings/email/remove/", accounts.settings_email_remove, name="settings-email-remove"),
    path(
        "settings/email/confirm/<str:token>/",
        accounts.settings_email_confirm,
        name="settings-email-confirm",
    ),
    path("settings/password/", accounts.settings_password, name="settings-password"),
    path("settings/sort/", accounts.settings_sort, name="settings-sort"),
    path("settings/delete/", accounts.account_delete, name="account-delete"),
    # The inbox, blocks and saved items (issue 12).
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox.inbox_item_read, name="inbox-item-read"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox-read-all"),
    path("inbox/feed/rotate/", inbox.inbox_feed_rotate, name="inbox-feed-rotate"),
    path("inbox/feed/<str:token>/", inbox.InboxFeed(), name="inbox-feed"),
    path("u/<str:username>/block/", community.user_block, name="user-block"),
    path("blocked/", community.blocked, name="blocked"),
    path("c/<int:pk>/save/", community.comment_save, name="comment-save"),
    path("thread/<int:pk>/save/", community.thread_save, name="thread-save"),
    path("saved/", community.saved, name="saved"),
    path("preview/", preview.markup_preview, name="markup-preview"),
    path("search/", search.search, name="search"),
    path("search/help/", search.search_help, name="search-help"),
]
