from django.urls import path

from threads import feeds, views
from threads.views import search

app_name = "threads"

urlpatterns = [
    path("", views.thread_list, name="thread-list"),
    path("submit/", views.thread_create, name="thread-create"),
    path("t/<int:pk>/", views.thread_detail, name="thread-detail-short"),
    path("t/<int:pk>/<str:slug>/", views.thread_detail, name="thread-detail"),
    path("thread/<int:pk>/reply/", views.thread_reply, name="thread-reply"),
    path("thread/<int:pk>/vote/", views.thread_vote, name="thread-vote"),
    path("thread/<int:pk>/more/", views.thread_more, name="thread-more"),
    path("c/<int:pk>/", views.comment_detail, name="comment-detail"),
    path("c/<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("c/<int:pk>/vote/", views.comment_vote, name="comment-vote"),
    path("c/<int:pk>/more/", views.comment_more, name="comment-more"),
    path("c/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("c/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("c/<int:pk>/report/", views.comment_report, name="comment-report"),
    path("moderation/", views.moderation_log, name="moderation-log"),
    path("u/<str:username>/", views.user_detail, name="user-detail"),
    path("accounts/signup/", views.signup, name="signup"),
    path("search/", search.search, name="search"),
    path("search/help/", search.search_help, name="search-help"),
    path("feed/", feeds.LatestThreadsFeed(), name="feed-threads"),
    path("thread/<int:pk>/feed/", feeds.ThreadCommentsFeed(), name="feed-thread-comments"),
]
