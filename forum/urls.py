"""Top-level URLs: the forum app, accounts and the admin."""

from django.contrib import admin
from django.urls import include, path

from threads.views.accounts import PasswordResetView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the reset view that says so when its mail was not sent.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("threads.urls")),
]
