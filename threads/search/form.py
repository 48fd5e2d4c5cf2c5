"""The search form: the box's text and the fields that narrow it, made into a parsed
query and :class:`~threads.selectors.search.Filters` (or a message saying what is wrong)."""

from __future__ import annotations

from django import forms

from threads.search.query import ParsedQuery, QueryError, parse
from threads.selectors.search import Filters

KIND_CHOICES = [("all", "threads and comments"), ("threads", "threads"), ("comments", "comments")]
ORDER_CHOICES = [("relevance", "relevance"), ("new", "new"), ("top", "top")]
DATES_REVERSED = "The range ends before it begins: swap the two dates."
BAD_DATE = "Give dates as YYYY-MM-DD, as in 2026-11-26."


class SearchForm(forms.Form):
    # No max_length: the query's own check says how long it is and what the limit is.
    q = forms.CharField(required=False, strip=True, label="Search for")
    type = forms.ChoiceField(choices=KIND_CHOICES, required=False, label="Find")
    sort = forms.ChoiceField(choices=ORDER_CHOICES, required=False, label="Order by")
    author = forms.CharField(required=False, max_length=150, label="Author")
    thread = forms.IntegerField(
        required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput
    )
    after = forms.DateField(
        required=False,
        label="From",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )
    before = forms.DateField(
        required=False,
        label="To",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        after, before = data.get("after"), data.get("before")
        if after and before and after > before:
            raise forms.ValidationError(DATES_REVERSED)
        text = data.get("q") or ""
        try:
            if not text and (data.get("author") or data.get("thread")):
                data["query"] = ParsedQuery(text="", alternatives=[])  # filters alone
            else:
                data["query"] = parse(text)
        except QueryError as error:
            raise forms.ValidationError(str(error)) from None
        data["filters"] = Filters(
            kind=data.get("type") or "all",
            order=data.get("sort") or "relevance",
            author=(data.get("author") or "").strip(),
            thread_id=data.get("thread"),
            after=after,
            before=before,
        )
        return data
