"""Mail settings come from the environment: the console in development, SMTP when
EMAIL_HOST is set; the deploy check warns when production would print mail."""

import json
import os
import subprocess
import sys
from pathlib import Path

from threads import mail

ROOT = Path(__file__).resolve().parent.parent
PRINT = """
import json
from django.conf import settings
names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
         "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def mail_settings(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    base.pop("DEFAULT_FROM_EMAIL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "forum.settings", **env},
        check=True,
    )
    return json.loads(result.stdout)


def test_development_prints_mail_to_the_console():
    found = mail_settings()
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["EMAIL_USE_TLS"] is False


def test_production_sends_over_smtp_from_the_environment():
    found = mail_settings(
        EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525", EMAIL_HOST_USER="forum",
        EMAIL_HOST_PASSWORD="s3cret", DEFAULT_FROM_EMAIL="Forum <forum@example.org>",
    )  # fmt: skip
    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "forum",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "Forum <forum@example.org>",
    }
    implicit = mail_settings(EMAIL_HOST="smtp.example.org", EMAIL_USE_SSL="1")
    assert (implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (True, False)


def test_deploy_check_warns_when_mail_would_reach_nobody(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    (warning,) = mail.check_mail_goes_out()
    assert warning.id == "threads.W010"
    assert "password reset mails reach nobody" in warning.msg
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert mail.check_mail_goes_out() == []
