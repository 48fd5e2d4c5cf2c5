"""Sign-up, the settings page, confirming a new address, deleting an account, and the
password reset, as a member (or a visitor) sees them."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail as outbox
from django.core import signing
from django.urls import reverse

from tests.factories import logs_in, make_comment, make_thread, make_user
from threads import limits, mail, names, services
from threads.models import Profile
from threads.views import accounts as views

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "pw-for-tests-1"
LINK = re.compile(r"https?://testserver(/\S+)")


@pytest.fixture
def alice_client(client, a_user):
    client.force_login(a_user)
    return client


def text(response) -> str:
    return response.content.decode()


def signup(client, username, email="", password="correct-horse-battery"):
    data = {"username": username, "email": email, "password1": password, "password2": password}
    return client.post("/accounts/signup/", data)


def break_the_mail(monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)


# --- Sign-up -------------------------------------------------------------------------


def test_signup_page_says_the_name_rules_and_what_the_email_is_for(client):
    html = text(client.get("/accounts/signup/"))
    assert "3–20 characters: letters A–Z and a–z, digits, _ and -." in html
    assert "“Alice” and “alice” are one name" in html
    assert "Email (optional)" in html
    assert "Used only to send you a link to reset a forgotten password" in html
    assert 'maxlength="20"' in html


def test_signup_with_email_logs_in(client):
    response = signup(client, "newbie", email="New@Example.com")
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "New@example.com"
    assert "newbie" in text(client.get("/"))


@pytest.mark.parametrize(
    ("name", "message"),
    [("Alice", "The name “Alice” is taken (names are the same without regard to case)."),
     ("аlice", "“а” (cyrillic small letter a) looks like the letter “a” but is not it"),
     ("al", names.NAME_TOO_SHORT), ("bob smith", "“ ” (a space) is not one of them")],
)  # fmt: skip
def test_signup_refuses_bad_names_with_a_clear_message_and_keeps_the_rest(
    client, a_user, name, message
):
    response = signup(client, name, email="kept@example.com")
    assert response.status_code == 400
    html = text(response)
    assert message in html
    assert 'value="kept@example.com"' in html  # nothing typed is lost (but the passwords)
    assert User.objects.count() == 1


def test_signup_refuses_an_address_in_use(client, a_user):
    services.email_change(user=a_user, email="alice@example.com")
    response = signup(client, "newbie", email="ALICE@example.com")
    assert response.status_code == 400
    assert services.EMAIL_TAKEN in text(response)
    assert not User.objects.filter(username="newbie").exists()


# --- Settings: who may see them ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/settings/"), ("post", "/settings/email/"), ("post", "/settings/email/remove/"),
     ("post", "/settings/password/"), ("post", "/settings/sort/"), ("get", "/settings/delete/"),
     ("post", "/settings/delete/"), ("get", "/settings/email/confirm/x/")],
)  # fmt: skip
def test_settings_need_a_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize(
    "url", ["/settings/email/", "/settings/email/remove/", "/settings/password/", "/settings/sort/"]
)
def test_settings_forms_take_posts_only(alice_client, url):
    assert alice_client.get(url).status_code == 405


def test_settings_page_shows_every_section(alice_client):
    html = text(alice_client.get("/settings/"))
    for heading in ("Email", "Password", "Comments", "Inbox feed", "Delete my account"):
        assert f">{heading}</h2>" in html
    assert "Your account has no email address, so a forgotten password cannot be reset." in html
    assert 'href="/settings/"' in text(alice_client.get("/"))  # the header links to it


def test_settings_rotate_the_private_inbox_feed_address_and_come_back(alice_client, a_user):
    from threads.models import Profile

    old = Profile.of(a_user).feed_token
    assert f"/inbox/feed/{old}/" in text(alice_client.get("/settings/"))
    back = alice_client.post("/inbox/feed/rotate/", {"next": "/settings/#inbox-feed"})
    assert back["Location"] == "/settings/#inbox-feed"
    new = Profile.of(a_user).feed_token
    assert new != old
    html = text(alice_client.get("/settings/"))
    assert f"/inbox/feed/{new}/" in html and old not in html
    assert alice_client.get(f"/inbox/feed/{old}/").status_code == 404


# --- Settings: email -----------------------------------------------------------------


def test_a_new_address_takes_effect_only_from_the_mailed_link(alice_client, a_user):
    response = alice_client.post("/settings/email/", {"email": "alice@new.example"})
    assert response.status_code == 302
    assert User.objects.get(pk=a_user.pk).email == ""  # not yet
    (message,) = outbox.outbox
    assert message.to == ["alice@new.example"]
    assert message.subject == "Confirm your new email address"
    link = LINK.search(message.body).group(1)
    assert link.startswith("/settings/email/confirm/")
    assert "We mailed a link to alice@new.example" in text(alice_client.get("/settings/"))

    page = alice_client.get(link)  # opening it asks (mail scanners open links too)
    assert "Make <strong>alice@new.example</strong> the address" in text(page)
    assert User.objects.get(pk=a_user.pk).email == ""
    assert alice_client.post(link).status_code == 302
    assert User.objects.get(pk=a_user.pk).email == "alice@new.example"
    assert "Your email address is now alice@new.example." in text(alice_client.get("/settings/"))

    again = alice_client.post(link)  # made for the address alice had before
    assert again.status_code == 400
    assert mail.LINK_USED in text(again)


def test_a_link_works_only_for_its_account_and_only_for_a_while(
    client, a_user, another_user, monkeypatch
):
    token = mail.email_change_token(a_user, "alice@new.example")
    client.force_login(another_user)
    response = client.post(f"/settings/email/confirm/{token}/")
    assert response.status_code == 400
    assert mail.LINK_NOT_YOURS in text(response)
    assert User.objects.get(pk=another_user.pk).email == ""

    client.force_login(a_user)
    broken = client.get(f"/settings/email/confirm/{token[:-3]}/")
    assert broken.status_code == 400 and mail.LINK_BROKEN in text(broken)
    monkeypatch.setattr(limits, "EMAIL_CHANGE_LINK_SECONDS", -1)
    expired = client.post(f"/settings/email/confirm/{token}/")
    assert expired.status_code == 400 and mail.LINK_EXPIRED in text(expired)
    assert User.objects.get(pk=a_user.pk).email == ""


def test_a_forged_token_is_refused(alice_client, a_user):
    forged = signing.dumps({"user": a_user.pk, "to": "x@evil.example", "from": ""}, salt="other")
    response = alice_client.post(f"/settings/email/confirm/{forged}/")
    assert response.status_code == 400
    assert User.objects.get(pk=a_user.pk).email == ""


def test_an_address_in_use_or_unchanged_or_malformed_is_refused(alice_client, a_user, another_user):
    services.email_change(user=another_user, email="bob@example.com")
    services.email_change(user=a_user, email="alice@example.com")
    for email, message in [("BOB@example.com", services.EMAIL_TAKEN),
                           ("alice@EXAMPLE.com", services.EMAIL_UNCHANGED),
                           ("not an address", "Enter a valid email address.")]:  # fmt: skip
        response = alice_client.post("/settings/email/", {"email": email})
        assert response.status_code == 400
        assert message in text(response)
    assert outbox.outbox == []


def test_a_failed_mail_says_so_and_changes_nothing(alice_client, a_user, monkeypatch, caplog):
    break_the_mail(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="threads.mail"):
        response = alice_client.post("/settings/email/", {"email": "alice@new.example"})
    assert response.status_code == 503
    assert "We could not send the mail to alice@new.example just now" in text(response)
    assert "We mailed" not in text(response)
    assert "Could not send the email change mail" in caplog.text
    assert User.objects.get(pk=a_user.pk).email == ""


def test_removing_the_address(alice_client, a_user):
    services.email_change(user=a_user, email="alice@example.com")
    assert alice_client.post("/settings/email/remove/").status_code == 302
    assert User.objects.get(pk=a_user.pk).email == ""


# --- Settings: password and comment order --------------------------------------------


def test_changing_the_password_keeps_this_session(alice_client, client, a_user):
    new = {"new_password1": "n3w-secret-words", "new_password2": "n3w-secret-words"}
    wrong = alice_client.post("/settings/password/", {"old_password": "nope", **new})
    assert wrong.status_code == 400
    assert "Your old password was entered incorrectly." in text(wrong)
    response = alice_client.post("/settings/password/", {"old_password": PASSWORD, **new})
    assert response.status_code == 302
    assert "Your password is changed." in text(alice_client.get("/settings/"))
    assert User.objects.get(pk=a_user.pk).check_password("n3w-secret-words")


def test_the_chosen_comment_order_opens_thread_pages(alice_client, a_user, a_thread, another_user):
    old = make_comment(a_thread, author=another_user, body="older comment")
    new = make_comment(a_thread, author=another_user, body="newer comment")
    services.vote_cast(user=a_user, item=old, value=1)

    def order(url):
        html = text(alice_client.get(url))
        return html.index(f'id="c{new.pk}"') < html.index(f'id="c{old.pk}"')

    assert not order(a_thread.get_absolute_url())  # best: the upvoted one first
    response = alice_client.post("/settings/sort/", {"default_comment_sort": "new"})
    assert response.status_code == 302
    assert Profile.objects.get(user=a_user).default_comment_sort == "new"
    assert order(a_thread.get_absolute_url())  # newest first now
    assert 'aria-current="page">new</a>' in text(alice_client.get(a_thread.get_absolute_url()))
    assert not order(f"{a_thread.get_absolute_url()}?sort=best")  # asked for: wins
    bad = alice_client.post("/settings/sort/", {"default_comment_sort": "random"})
    assert bad.status_code == 400
    assert "Select a valid choice." in text(bad)


def test_visitors_get_the_sites_order(client, a_thread, another_user):
    html = text(client.get(a_thread.get_absolute_url()))
    assert 'aria-current="page">best</a>' in html


# --- Delete my account ---------------------------------------------------------------


def test_delete_my_account_needs_the_password(alice_client, a_user, another_user):
    thread = make_thread(author=another_user)
    comment = make_comment(thread, author=a_user, body="my words")
    page = alice_client.get("/settings/delete/")
    assert "This cannot be undone." in text(page)
    wrong = alice_client.post("/settings/delete/", {"password": "nope"})
    assert wrong.status_code == 400
    assert services.WRONG_PASSWORD in text(wrong)
    assert User.objects.filter(pk=a_user.pk).exists()
    empty = alice_client.post("/settings/delete/", {"password": ""})
    assert empty.status_code == 400

    response = alice_client.post("/settings/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=a_user.pk).exists()
    home = text(alice_client.get("/"))
    assert views.ACCOUNT_DELETED in home
    assert "Log in" in home  # logged out
    thread_page = text(alice_client.get(thread.get_absolute_url()))
    assert "my words" not in thread_page
    assert f'id="c{comment.pk}"' in thread_page


# --- Password reset ------------------------------------------------------------------


def test_the_login_page_links_the_reset(client):
    assert 'href="/accounts/password_reset/"' in text(client.get("/accounts/login/"))
    html = text(client.get("/accounts/password_reset/"))
    assert "Forgot your password?" in html
    assert 'href="/static/threads/forum.css"' in html  # styled like the site


def test_reset_mails_a_link_that_sets_a_new_password(client, a_user):
    services.email_change(user=a_user, email="alice@example.com")
    response = client.post("/accounts/password_reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    (message,) = outbox.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your password on testserver"
    assert 'your account "alice"' in message.body
    link = LINK.search(message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in text(form)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "n3w-secret-words", "new_password2": "n3w-secret-words"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    assert logs_in(client, "alice", "n3w-secret-words")
    again = client.get(link, follow=True)
    assert "This link does not work" in text(again)


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, a_user):
    services.email_change(user=a_user, email="alice@example.com")
    known = client.post("/accounts/password_reset/", {"email": "alice@example.com"}, follow=True)
    unknown = client.post("/accounts/password_reset/", {"email": "who@example.com"}, follow=True)
    assert len(outbox.outbox) == 1
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password_reset/done/", 302)]
    )
    assert text(known) == text(unknown)
    assert "If an account uses the address you gave, we have mailed it a link" in text(known)


def test_reset_says_so_when_the_mail_was_not_sent_and_logs_it(client, a_user, monkeypatch, caplog):
    services.email_change(user=a_user, email="alice@example.com")
    break_the_mail(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="threads.mail"):
        response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 503
    html = text(response)
    assert views.RESET_NOT_SENT in html
    assert "Check your mail" not in html
    assert 'value="alice@example.com"' in html
    assert "Could not send the password reset mail" in caplog.text
    assert "Connection refused" in caplog.text


def test_reset_with_a_malformed_address_says_so(client):
    response = client.post("/accounts/password_reset/", {"email": "nope"})
    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)


def test_password_change_pages_are_styled_like_the_site(alice_client):
    html = text(alice_client.get("/accounts/password_change/"))
    assert "Change your password" in html and 'href="/static/threads/forum.css"' in html


def test_make_user_default_has_no_email():
    assert make_user("nomail").email == ""
