"""The findings of the attack on this forum, each answered 4xx now (the fuzz test,
``test_fuzz.py``, looks for more): NUL in a username URL, a reply's bad ``parent``, the
admin's bad ``_selected_action`` and ``?thread=``, a UTF-16 form, a 10 MB body."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import make_comment, make_thread
from threads import input_guard
from threads.models import Comment
from threads.views import PARENT_MISSING

HUGE = "1" + "0" * 30


@pytest.fixture
def member_client(client, a_user):
    client.force_login(a_user)
    return client


@pytest.fixture
def mod_client(client, a_moderator):
    client.force_login(a_moderator)
    return client


@pytest.mark.parametrize("name", ["a%00b", "%00", "bell%07", "tab%09", "new%0Aline"])
def test_control_characters_in_a_url_are_refused(client, db, name):
    response = client.get(f"/u/{name}/")
    assert response.status_code == 400
    assert input_guard.CONTROL_CHARACTERS in response.content.decode()


def test_control_characters_in_a_query_or_form_are_refused(member_client, a_thread):
    assert member_client.get("/", {"sort": "new\x00"}).status_code == 400
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = member_client.post(url, {"body": "hello\x00world"})
    assert response.status_code == 400
    assert input_guard.CONTROL_CHARACTERS in response.content.decode()
    assert member_client.post(url, {"body": "bell\x07"}).status_code == 400
    assert not Comment.objects.exists()


def test_tabs_and_line_breaks_in_a_form_are_text(member_client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = member_client.post(url, {"body": "one\r\n\ttwo"})
    assert response.status_code == 302
    assert Comment.objects.get().body.endswith("\n\ttwo")


@pytest.mark.parametrize("parent", ["abc", "-1", HUGE, "9223372036854775808", "١٢", "²", " 1"])
def test_a_reply_to_a_bad_parent_is_a_400_that_says_so(member_client, a_thread, parent):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    response = member_client.post(url, {"body": "hi", "parent": parent})
    assert response.status_code == 400
    assert PARENT_MISSING in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", HUGE, "²"])
def test_bad_batch_parameters_are_a_400(client, a_thread, value):
    url = reverse("threads:thread-more", args=[a_thread.pk])
    assert client.get(url, {"after": value}).status_code == 400
    assert client.get(url, {"offset": "0", "depth": value}).status_code == 400


def test_an_id_past_64_bits_is_no_page(client, db):
    assert client.get(f"/t/{HUGE}/").status_code == 404
    assert client.get(f"/c/{HUGE}/").status_code == 404
    assert client.get("/t/9223372036854775807/").status_code == 404


def test_a_form_declared_in_utf16_is_refused(member_client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    body = "body=hello".encode("utf-16")
    response = member_client.generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 415
    assert input_guard.WRONG_ENCODING in response.content.decode()
    assert not Comment.objects.exists()


def test_undecodable_bytes_are_no_500(member_client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    body = b"body=\xff\xfe\x00\x00&parent=\xc3"
    response = member_client.generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded"
    )
    assert 400 <= response.status_code < 500


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_10_mb_body_is_refused_before_it_is_read(db):
    request = RequestFactory().post("/submit/", content_type="application/x-www-form-urlencoded")
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    guard = input_guard.InputGuardMiddleware(lambda request: HttpResponse("the view ran"))
    response = guard(request)
    assert response.status_code == 413
    assert "262144 bytes at most" in response.content.decode()


def test_a_10_mb_body_through_the_whole_stack(member_client, a_thread):
    url = reverse("threads:thread-reply", args=[a_thread.pk])
    body = b"body=" + b"a" * (10 * 1024 * 1024)
    response = member_client.generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert not Comment.objects.exists()


# The admin


@pytest.mark.parametrize("pk", ["abc", "-1", HUGE, "²", ""])
def test_admin_actions_with_bad_selections_are_refused(mod_client, a_comment, pk):
    url = reverse("admin:threads_comment_changelist")
    data = {"action": "remove_comments", ACTION_CHECKBOX_NAME: [pk], "index": "0"}
    response = mod_client.post(url, data)
    assert response.status_code in (200, 302, 400)
    confirm = {**data, "apply": "Apply", "reason": "spam"}
    assert mod_client.post(url, confirm).status_code in (200, 302, 400)
    a_comment.refresh_from_db()
    assert not a_comment.is_removed


@pytest.mark.parametrize("thread", ["abc", "-1", HUGE, "²", "١"])
def test_admin_thread_filter_with_a_bad_value_shows_nothing(mod_client, a_comment, thread):
    response = mod_client.get(reverse("admin:threads_comment_changelist"), {"thread": thread})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_admin_thread_filter_still_filters(mod_client, a_comment):
    url = reverse("admin:threads_comment_changelist")
    response = mod_client.get(url, {"thread": str(a_comment.thread_id)})
    assert list(response.context["cl"].result_list) == [a_comment]


def test_admin_unknown_to_field_is_a_400(mod_client, a_comment):
    url = reverse("admin:threads_comment_delete", args=[a_comment.pk])
    response = mod_client.get(url, {"_to_field": ""})
    assert response.status_code == 400
    assert input_guard.ADMIN_BAD_PARAMETER in response.content.decode()


def test_feeds_leave_out_what_xml_cannot_hold(client, a_user):
    """Imports may store control characters (the forms refuse them): feeds drop them."""
    thread = make_thread(author=a_user, title="bell\x07 title")
    make_comment(thread, author=a_user, body="ctrl \x01 body")
    for url in (
        reverse("threads:feed-threads"),
        reverse("threads:feed-thread-comments", args=[thread.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "\x07" not in response.content.decode() and "\x01" not in response.content.decode()
    assert "bell title" in client.get(reverse("threads:feed-threads")).content.decode()
