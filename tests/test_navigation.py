"""``next`` fields send the browser back only to a path on this site."""

import pytest
from django.test import RequestFactory

from threads.views.navigation import local_next


@pytest.mark.parametrize(
    "target",
    ["abc", "threads:inbox", "//evil.example/", "/\\evil.example", "https://evil.example/",
     "javascript:alert(1)", "", None],
)  # fmt: skip
def test_anything_but_a_local_path_is_refused(target):
    assert local_next(RequestFactory().get("/"), target) == ""


def test_a_local_path_is_kept_with_its_query_and_fragment():
    assert local_next(RequestFactory().get("/"), "/inbox/?page=2#i3") == "/inbox/?page=2#i3"


@pytest.mark.parametrize("url", ["/inbox/read-all/", "/inbox/feed/rotate/"])
def test_a_bare_word_as_next_goes_to_the_inbox_not_to_an_error(client, a_user, url):
    client.force_login(a_user)
    response = client.post(url, {"next": "abc"})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"


def test_signup_with_a_bare_word_as_next_lands_on_the_front_page(client, db):
    data = {"username": "newbie", "password1": "a-Long-pass-481", "password2": "a-Long-pass-481"}
    response = client.post("/accounts/signup/?next=abc", data)
    assert response.status_code == 302
    assert response["Location"] == "/"
