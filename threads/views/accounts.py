"""A member's own account: sign-up, the settings page, confirming a new email address,
deleting the account, and the password reset that says so when its mail was not sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threads import mail, services
from threads.account_forms import (
    AccountDeleteForm,
    CommentSortForm,
    EmailChangeForm,
    SignupForm,
)
from threads.models import Profile
from threads.views.navigation import local_next

EMAIL_LINK_SENT = "We mailed a link to {email}: open it to make it your address."
EMAIL_NOT_SENT = (
    "We could not send the mail to {email} just now, so your address is unchanged. Try again later."
)
EMAIL_CHANGED = "Your email address is now {email}."
EMAIL_REMOVED = "Your account has no email address now."
PASSWORD_CHANGED = "Your password is changed."
SORT_SAVED = "Saved: threads open sorted by {sort}."
ACCOUNT_DELETED = "Your account is deleted. What you wrote shows as [deleted]."
RESET_NOT_SENT = (
    "We could not send the reset mail just now (the mail server did not take it). Nothing "
    "was sent: try again in a little while."
)


def signup(request):
    """Create an account (the name rules, an optional email) and log in."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:  # lost a race for the name or the address
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}!")
            next_url = local_next(request, request.POST.get("next") or request.GET.get("next"))
            return redirect(next_url or reverse("threads:thread-list"))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/signup.html", context, status=400 if form.errors else 200)


def _settings_page(request, status=200, **forms):
    """The settings page with any bound form that was just sent, the rest fresh."""
    user = request.user
    profile = Profile.of(user)
    password_form = forms.get("password_form") or PasswordChangeForm(user)
    # Django's form focuses its first field; on a page of several forms that would
    # scroll past the sections above it.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    context = {
        "email_form": forms.get("email_form") or EmailChangeForm(),
        "password_form": password_form,
        "sort_form": forms.get("sort_form")
        or CommentSortForm(initial={"default_comment_sort": profile.default_comment_sort}),
        "profile": profile,
        "feed_url": reverse("threads:inbox-feed", kwargs={"token": profile.feed_token}),
    }
    return render(request, "threads/settings.html", context, status=status)


@login_required
def settings_page(request):
    """A member's settings: email, password, comment order, and leaving."""
    return _settings_page(request)


@login_required
@require_POST
def settings_email(request):
    """Mail a confirmation link to the new address; nothing changes until it is opened."""
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            email = mail.email_change_request(
                user=request.user,
                email=email,
                confirm_url=lambda token: request.build_absolute_uri(
                    reverse("threads:settings-email-confirm", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error("email", error)
        except mail.MailNotSent:
            form.add_error(None, EMAIL_NOT_SENT.format(email=email))
            return _settings_page(request, status=503, email_form=form)
        else:
            messages.success(request, EMAIL_LINK_SENT.format(email=email))
            return redirect("threads:settings")
    return _settings_page(request, status=400, email_form=form)


@login_required
def settings_email_confirm(request, token):
    """The link mailed to a new address: GET asks (mail scanners open links), POST does."""
    try:
        email = mail.email_change_address(user=request.user, token=token)
    except ValidationError as error:
        context = {"error": " ".join(error.messages)}
        return render(request, "threads/email_confirm.html", context, status=400)
    if request.method == "POST":
        try:
            mail.email_change_confirm(user=request.user, token=token)
        except ValidationError as error:
            context = {"error": " ".join(error.messages)}
            return render(request, "threads/email_confirm.html", context, status=400)
        messages.success(request, EMAIL_CHANGED.format(email=email))
        return redirect("threads:settings")
    return render(request, "threads/email_confirm.html", {"email": email})


@login_required
@require_POST
def settings_email_remove(request):
    """Remove the account's address (no mail needed: nothing new to confirm)."""
    services.email_change(user=request.user, email="")
    messages.success(request, EMAIL_REMOVED)
    return redirect("threads:settings")


@login_required
@require_POST
def settings_password(request):
    """Change the password (the old one first); this session stays logged in."""
    form = PasswordChangeForm(request.user, request.POST)
    if form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, PASSWORD_CHANGED)
        return redirect("threads:settings")
    return _settings_page(request, status=400, password_form=form)


@login_required
@require_POST
def settings_sort(request):
    """Choose the order thread pages open in."""
    form = CommentSortForm(request.POST)
    if form.is_valid():
        sort = form.cleaned_data["default_comment_sort"]
        services.comment_sort_set(user=request.user, sort=sort)
        messages.success(request, SORT_SAVED.format(sort=sort or "the site's default"))
        return redirect("threads:settings")
    return _settings_page(request, status=400, sort_form=form)


@login_required
def account_delete(request):
    """Delete my account, after saying the password again."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_close(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error)
        else:
            logout(request)
            messages.success(request, ACCOUNT_DELETED)
            return redirect("threads:thread-list")
    status = 400 if form.errors else 200
    return render(request, "threads/account_delete.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, honest about mail that did not go: the form comes back with
    the failure said (the mail module logged it) instead of "we sent you a mail"."""

    form_class = mail.HonestPasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.failed:
            form.add_error(None, RESET_NOT_SENT)
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return response
