"""A password reset through a real SMTP server on 127.0.0.1 (aiosmtpd, started here): the
mail leaves through Django's SMTP backend, the link is read back out of the message the
server received, and it sets a new password that then logs in."""

import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from tests.factories import logs_in
from threads import services

pytestmark = pytest.mark.django_db

PORTS = range(8121, 8130)  # this feature's ports; another run may hold one


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A running SMTP server on the first free port of ours; stopped afterwards."""
    inbox = Inbox()
    for port in PORTS:
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        break
    else:
        pytest.fail(f"no free port for the SMTP server in {PORTS}")
    yield inbox, port
    controller.stop()


def test_reset_link_comes_through_real_smtp_and_works(client, settings, a_user, smtp_server):
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "forum@forum.example"
    services.email_change(user=a_user, email="alice@example.com")

    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"

    ((recipients, message),) = inbox.messages
    assert recipients == ["alice@example.com"]
    assert message["From"] == "forum@forum.example"
    assert message["Subject"] == "Reset your password on testserver"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session key
    assert "Choose a new password" in form.content.decode()
    new = {"new_password1": "fresh-Password-42", "new_password2": "fresh-Password-42"}
    done = client.post(form.redirect_chain[-1][0], new)
    assert done["Location"] == "/accounts/reset/done/"
    assert logs_in(client, "alice", "fresh-Password-42")
    assert not logs_in(client, "alice", "pw-for-tests-1")


def closed_port() -> int:
    """A port nothing listens on: bound for a moment by the system, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_reset_with_the_smtp_server_down_says_so(client, settings, a_user, smtp_server):
    inbox, _port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    services.email_change(user=a_user, email="alice@example.com")
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 503
    assert "We could not send the reset mail just now" in response.content.decode()
    assert inbox.messages == []
