"""Search: the results page and the page that explains the syntax."""

from __future__ import annotations

from django.shortcuts import render

from threads.search.form import SearchForm
from threads.selectors import search as found


def search(request):
    """``/search/?q=…``: a page of ranked matches, or what is wrong with the query."""
    asked = "q" in request.GET or any(request.GET.get(name) for name in ("author", "thread"))
    form = SearchForm(request.GET if asked else None)
    page = None
    if asked and form.is_valid():
        data = form.cleaned_data
        page = found.search(data["query"], data["filters"], page=data.get("page") or 1)
    thread = found.thread_searched(request.GET.get("thread"))
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "threads/search.html",
        {"form": form, "asked": asked, "page": page, "thread": thread, "extra": others.urlencode()},
    )


def search_help(request):
    """How to write a search: the syntax, with examples."""
    return render(request, "threads/search_help.html")
