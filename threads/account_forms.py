"""Forms for a member's own account. They parse; the rules live in
``threads.services.members`` and ``threads.names``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserCreationForm

from threads import services
from threads.names import NAME_MAX_LENGTH, NAME_MIN_LENGTH, NAME_RULE
from threads.sorting import COMMENT_SORTS, DEFAULT_COMMENT_SORT

EMAIL_USE = (
    "Optional. Used only to send you a link to reset a forgotten password (and to confirm "
    "a new address); never shown to anyone. Without one, a lost password is a lost account."
)


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "email"}), max_length=254, **kwargs
    )


class SignupForm(UserCreationForm):
    username = forms.CharField(
        label="Name",
        help_text=NAME_RULE,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "maxlength": NAME_MAX_LENGTH,
                "minlength": NAME_MIN_LENGTH,
            }
        ),
    )
    email = _email_field(label="Email (optional)", required=False, help_text=EMAIL_USE)

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        services.check_new_name(username)
        return username

    def clean_email(self):
        email = services.normalized_email(self.cleaned_data.get("email", ""))
        services.check_email_free(email)
        return email


class AdminAccountCreationForm(AdminUserCreationForm):
    """The admin's "add user" form, held to the same name rules as sign-up."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        services.check_new_name(username)
        return username


class EmailChangeForm(forms.Form):
    email = _email_field(
        label="New email address",
        help_text="We mail a link to the new address; it takes effect when you open it.",
    )


class CommentSortForm(forms.Form):
    default_comment_sort = forms.ChoiceField(
        label="Open threads sorted by",
        required=False,
        choices=[("", f"the site's default ({DEFAULT_COMMENT_SORT})")]
        + [(name, name) for name in COMMENT_SORTS],
        help_text="A thread page uses this unless you pick another order on it.",
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
