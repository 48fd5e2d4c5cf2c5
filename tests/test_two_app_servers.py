"""Stateless app servers: what one app process writes of a visitor's state, the other reads.

Two gunicorn processes (tests/live_servers.py) share the database and Redis, as the
cluster's instances behind nginx do: a member who signs up or logs in through one is
logged in on the other, and logging out on one logs out on both.
"""

from tests import live_servers
from tests.live_servers import Browser, signed_in_as

app_servers = live_servers.app_servers
PASSWORD = "a-long-pass-phrase-9"


def test_a_session_made_on_one_server_is_valid_on_the_other(app_servers):
    one, two = app_servers
    browser = Browser()
    assert browser.get(one + "/accounts/signup/")[0] == 200
    status, page = browser.post(
        one + "/accounts/signup/", {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert (status, signed_in_as(page)) == (200, "ada")
    status, page = browser.get(two + "/")
    assert (status, signed_in_as(page)) == (200, "ada")

    assert signed_in_as(browser.post(two + "/accounts/logout/", {})[1]) is None
    assert signed_in_as(browser.get(one + "/")[1]) is None  # gone on both

    # Logging in through the second server holds on the first.
    other = Browser()
    assert signed_in_as(other.get(one + "/")[1]) is None
    other.get(two + "/accounts/login/")
    status, page = other.post(two + "/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert (status, signed_in_as(page)) == (200, "ada")
    assert signed_in_as(other.get(one + "/u/ada/")[1]) == "ada"
