"""Readers report a comment or a thread to the moderators, with a short reason: one page
for both. What is gone cannot be reported, and its page must not show removed text."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from threads import services
from threads.forms import ReportForm, ThreadReportForm
from threads.models import Comment, Thread

REPORT_SENT = "Thanks: your report went to the moderators."


@login_required
def comment_report(request, pk):
    """A reader reports a comment to the moderators, with a short reason."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "author"), pk=pk)
    back = f"{comment.thread.get_absolute_url()}#c{comment.pk}"
    return _report_page(
        request, item=comment, form_class=ReportForm, back=back,
        file=partial(services.report_create, comment=comment),
        gone=services.REPORT_GONE_COMMENT, template="threads/comment_report.html",
        context={"comment": comment, "back": back},
    )  # fmt: skip


@login_required
def thread_report(request, pk):
    """A reader reports a thread to the moderators, with a short reason."""
    thread = get_object_or_404(Thread.objects.with_author(), pk=pk)
    return _report_page(
        request, item=thread, form_class=ThreadReportForm, back=thread.get_absolute_url(),
        file=partial(services.thread_report_create, thread=thread),
        gone=services.REPORT_GONE_THREAD, template="threads/thread_report.html",
        context={"thread": thread},
    )  # fmt: skip


def _report_page(request, *, item, form_class, back, file, gone, template, context):
    """The report form for ``item``; sent, it files the report (``file``) and goes back."""
    services.ensure_can_write(request.user)  # a banned reader learns why before typing
    if item.is_gone:
        return render(request, template, {**context, "gone": gone}, status=404)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file(reporter=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, REPORT_SENT)
            return redirect(back)
    status = 400 if form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
