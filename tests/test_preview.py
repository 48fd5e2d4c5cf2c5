"""Preview and the Markdown help: every comment and thread form has both; the preview is
the saving renderer's own HTML, with and without the script, and saves nothing."""

import pytest
from django.urls import reverse

from threads import writing_aids
from threads.markup import render_markdown
from threads.models import Comment, Thread

TEXT = "Some **bold** and <script>alert(1)</script> and [x](javascript:alert(1))"


@pytest.fixture
def member_client(client, a_user):
    client.force_login(a_user)
    return client


def test_the_preview_endpoint_answers_the_saving_renderers_html(client, db):
    response = client.post(reverse("threads:markup-preview"), {"body": TEXT})
    assert response.status_code == 200
    html = response.json()["html"]
    assert html == render_markdown(TEXT)
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html


def test_the_preview_endpoint_says_why_not(client, db, monkeypatch):
    url = reverse("threads:markup-preview")
    assert writing_aids.PREVIEW_EMPTY in client.post(url, {"body": "  "}).json()["html"]
    monkeypatch.setattr("threads.limits.COMMENT_MAX_LENGTH", 10)
    response = client.post(url, {"body": "x" * 11})
    assert response.status_code == 400
    assert response.json()["error"] == "Too long to preview: 11 characters, at most 10."
    assert client.get(url).status_code == 405


def test_a_thread_comment_preview_without_script_keeps_the_text(member_client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = member_client.post(url, {"body": TEXT, "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section class="preview"' in html
    assert render_markdown(TEXT) in html
    assert ">Some **bold** and &lt;script&gt;alert(1)&lt;/script&gt;" in html  # the textarea
    assert not Comment.objects.exists()


def test_a_reply_preview_comes_back_on_the_reply_page(member_client, a_comment):
    url = reverse("threads:comment-reply", args=[a_comment.pk])
    response = member_client.post(url, {"body": "*quick*", "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p><em>quick</em></p>" in html
    assert f'action="{url}"' in html  # sending it posts the reply to the same comment
    assert "before logging in" not in html
    assert Comment.objects.count() == 1


def test_a_reply_preview_through_the_threads_form_with_a_parent(member_client, a_comment):
    url = reverse("threads:thread-reply", args=[a_comment.thread_id])
    response = member_client.post(url, {"body": "*quick*", "parent": a_comment.pk, "preview": "1"})
    assert reverse("threads:comment-reply", args=[a_comment.pk]) in response.content.decode()


def test_logged_out_readers_can_preview_too(client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = client.post(url, {"body": "*hi*", "preview": "1"})
    assert response.status_code == 200
    assert "<p><em>hi</em></p>" in response.content.decode()


def test_a_new_thread_preview_keeps_title_url_and_text(member_client):
    data = {"title": "My title", "url": "https://example.com/x", "body": "# Head", "preview": "1"}
    response = member_client.post(reverse("threads:thread-create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h3>Head</h3>" in html
    assert 'value="My title"' in html and 'value="https://example.com/x"' in html
    assert ">\n# Head</textarea>" in html or "># Head</textarea>" in html
    assert "errorlist" not in html
    assert not Thread.objects.exists()


def test_an_edit_preview_keeps_the_new_text_and_saves_nothing(client, a_comment):
    client.force_login(a_comment.author)
    url = reverse("threads:comment-edit", args=[a_comment.pk])
    response = client.post(url, {"body": "changed *text*", "preview": "1"})
    html = response.content.decode()
    assert "<p>changed <em>text</em></p>" in html
    assert "changed *text*</textarea>" in html
    a_comment.refresh_from_db()
    assert a_comment.body == "first!"


@pytest.mark.parametrize(
    "url",
    [
        lambda t, c: t.get_absolute_url(),
        lambda t, c: f"{t.get_absolute_url()}?reply={c.pk}",
        lambda t, c: reverse("threads:thread-create"),
        lambda t, c: reverse("threads:comment-edit", args=[c.pk]),
    ],
    ids=["thread", "reply-form", "submit", "edit"],
)
def test_every_text_box_has_preview_and_help(client, a_thread, a_comment, url):
    client.force_login(a_comment.author)
    html = client.get(url(a_thread, a_comment)).content.decode()
    forms_with_text = html.count("<textarea")
    assert forms_with_text >= 1
    assert html.count('name="preview"') >= forms_with_text
    assert html.count('class="markdown-help"') >= forms_with_text
    assert "<td><code>**strong**</code></td><td><p><strong>strong</strong></p>" in html


def test_the_reply_pages_form_has_them_too(client, a_comment, a_user):
    """The reply page a kept draft comes back on."""
    url = reverse("threads:comment-reply", args=[a_comment.pk])
    client.post(url, {"body": "kept text"})  # logged out: kept, then log in
    client.force_login(a_user)
    html = client.get(url).content.decode()
    assert "before logging in is back" in html
    assert 'name="preview"' in html and 'class="markdown-help"' in html


def test_forms_with_a_preview_are_valid_html(client, a_comment, tmp_path):
    """The preview and the help on each kind of form pass the Nu HTML Checker."""
    from tests.test_html_validity import _java_or_skip, check_html

    _java_or_skip()
    client.force_login(a_comment.author)
    posts = {
        "thread": (reverse("threads:thread-reply", args=[a_comment.thread_id]), {}),
        "reply": (reverse("threads:comment-reply", args=[a_comment.pk]), {}),
        "edit": (reverse("threads:comment-edit", args=[a_comment.pk]), {}),
        "submit": (reverse("threads:thread-create"), {"title": "T", "url": ""}),
    }
    files = []
    for name, (url, extra) in posts.items():
        response = client.post(url, {"body": "**x**\n\n- a", "preview": "1", **extra})
        assert response.status_code == 200, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert check_html(files) == {f.name: [] for f in files}
