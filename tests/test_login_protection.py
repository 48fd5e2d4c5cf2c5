"""Login protection (django-axes and threads.login_protection) on the real Redis."""

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_superuser, make_user

PASSWORD = "pw-for-tests-1"
BAD_LOGIN = "Please enter a correct username and password."


@pytest.fixture
def guarded(db, settings, real_redis_cache):
    """3 failures lock an address for 1 s, doubling; 4 addresses failing for a name slow it to 1 try
    per 30 s."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_COOLOFF_SECONDS = 1
    settings.LOGIN_COOLOFF_MAX_SECONDS = 60
    settings.ACCOUNT_SLOWDOWN_AFTER = 4
    settings.ACCOUNT_SLOWDOWN_SECONDS = 30
    make_user("alice")
    return settings


def page_text(response) -> str:
    """The page without its CSRF token and clock time, which differ on every answer."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r"<time [^>]*>[^<]*</time>", "", text)


def login(client, username, password, address, url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_an_address_is_locked_after_the_failure_limit_and_the_right_password_waits(guarded, client):
    first = [login(client, "alice", "wrong", "10.9.0.1") for _ in range(2)]
    assert [r.status_code for r in first] == [200, 200]
    assert BAD_LOGIN in first[0].content.decode()
    locking = login(client, "alice", "wrong", "10.9.0.1")
    assert locking.status_code == 429
    refused = login(client, "alice", PASSWORD, "10.9.0.1")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert "Too many failed logins from your address" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    time.sleep(1.2)
    assert login(client, "alice", PASSWORD, "10.9.0.1").status_code == 302


def test_failures_across_accounts_from_one_address_lock_it_too(guarded, client):
    make_user("bob")
    for name in ("bob", "carol", "alice"):
        login(client, name, "wrong", "10.9.0.3")
    assert login(client, "bob", PASSWORD, "10.9.0.3").status_code == 429
    assert login(client, "bob", PASSWORD, "10.9.0.4").status_code == 302  # elsewhere: fine


def test_the_cool_off_doubles_with_each_further_lockout(guarded, client):
    for _ in range(3):
        login(client, "alice", "wrong", "10.9.0.5")
    assert login(client, "alice", PASSWORD, "10.9.0.5")["Retry-After"] == "1"
    time.sleep(1.2)
    for _ in range(3):
        login(client, "alice", "wrong", "10.9.0.5")
    assert login(client, "alice", PASSWORD, "10.9.0.5")["Retry-After"] == "2"


def test_the_answers_never_say_whether_the_account_exists(guarded, client):
    real = [login(client, "alice", "wrong", "10.9.1.1") for _ in range(4)]
    ghost = [login(client, "ghost", "wrong", "10.9.1.2") for _ in range(4)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost] == [200, 200, 429, 429]
    assert page_text(real[0]).replace("alice", "ghost") == page_text(ghost[0])
    assert page_text(real[3]) == page_text(ghost[3])


def test_the_admin_login_is_covered(guarded, client):
    make_superuser("root")
    url = reverse("admin:login")
    statuses = [login(client, "root", "wrong", "10.9.2.1", url).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert login(client, "root", PASSWORD, "10.9.2.1", url).status_code == 429


def test_one_account_attacked_from_many_addresses_is_slowed_not_locked(guarded, client):
    for i in range(4):  # one failure each: no address reaches its limit
        assert login(client, "alice", "wrong", f"10.8.0.{i}").status_code == 200
    assert login(client, "alice", "wrong", "10.8.0.10").status_code == 200  # this slot's try
    slowed = login(client, "alice", PASSWORD, "10.8.0.11")
    assert slowed.status_code == 429
    assert 28 <= int(slowed["Retry-After"]) <= 30
    assert "many failed logins with this username" in slowed.content.decode()
    ghost = [login(client, "ghost", "wrong", f"10.7.0.{i}").status_code for i in range(6)]
    assert ghost == [200] * 5 + [429]  # the same for a name nobody has


def test_the_owners_browser_is_not_slowed_down(guarded, client):
    assert login(client, "alice", PASSWORD, "10.6.0.1").status_code == 302  # a known browser
    client.post(reverse("logout"))
    attacker = client.__class__()
    for i in range(6):
        login(attacker, "alice", "wrong", f"10.6.1.{i}")
    assert login(attacker, "alice", PASSWORD, "10.6.1.9").status_code == 429
    assert login(client, "alice", PASSWORD, "10.6.0.2").status_code == 302


def test_unlock_login_clears_an_address_and_a_username(guarded, client):
    for _ in range(3):
        login(client, "alice", "wrong", "10.5.0.1")
    for i in range(5):
        login(client, "alice", "wrong", f"10.5.1.{i}")
    out = StringIO()
    call_command("unlock_login", address="10.5.0.1", username="alice", stdout=out)
    assert out.getvalue().startswith("Cleared ")
    assert out.getvalue().endswith(" lockout record(s) for address 10.5.0.1 and username alice.\n")
    assert login(client, "alice", PASSWORD, "10.5.0.1").status_code == 302


def test_unlock_login_needs_something_to_clear(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Say what to clear"):
        call_command("unlock_login")
    with pytest.raises(CommandError, match="is not an IP address"):
        call_command("unlock_login", address="nowhere")


def test_a_successful_login_between_guesses_does_not_reset_the_count(guarded, client):
    make_user("mallory")
    for _ in range(2):
        login(client, "alice", "wrong", "10.4.0.1")
    assert login(client, "mallory", PASSWORD, "10.4.0.1").status_code == 302
    client.post(reverse("logout"))
    assert login(client, "alice", "wrong", "10.4.0.1").status_code == 429
