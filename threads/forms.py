"""Forms: they parse and describe fields; the rules live in ``threads.services``."""

from django import forms
from django.core.validators import URLValidator

from threads import limits


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.COMMENT_MAX_LENGTH,
        help_text="Markdown: *emphasis*, **strong**, [links](https://…), > quotes, `code`.",
    )
    distinguish = forms.BooleanField(
        required=False, label="speak as moderator", help_text="Moderators only: the mod badge."
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=limits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A short reason for the moderators, e.g. spam, insult, off topic.",
    )


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=limits.THREAD_TITLE_MAX_LENGTH)
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=limits.URL_MAX_LENGTH,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
        help_text="Optional: a link to discuss (http or https).",
    )
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.COMMENT_MAX_LENGTH,
    )


class ThreadBodyForm(forms.Form):
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=limits.COMMENT_MAX_LENGTH,
        help_text="Markdown. The title stays as it is: the discussion answered it.",
    )


class ThreadReportForm(ReportForm):
    """The report form, asking about a thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = "What is wrong with this thread?"
