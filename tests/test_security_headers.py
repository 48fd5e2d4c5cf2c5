"""Every response carries the content security policy and the other security headers;
operators can switch the policy to report-only from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from forum.security import DENIED_FEATURES

ROOT = Path(__file__).resolve().parent.parent
POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/admin/login/", "/feed/", "/moderation/"]
)
def test_every_page_sends_the_policy_and_the_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert sorted(response.headers["Content-Security-Policy"].split("; ")) == sorted(POLICY)
    assert "Content-Security-Policy-Report-Only" not in response.headers
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    denied = response.headers["Permissions-Policy"].split(", ")
    assert "camera=()" in denied and "geolocation=()" in denied and "microphone=()" in denied
    assert len(denied) == len(DENIED_FEATURES)


def test_refusals_carry_the_policy_too(client, db):
    response = client.get(reverse("threads:thread-detail-short", args=[999]))
    assert response.status_code == 404
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_report_only_policy_is_sent_under_its_own_header(client, db, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert "Content-Security-Policy" not in response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy-Report-Only"]


PROBE = """
import django
django.setup()
from django.conf import settings
print(getattr(settings, "CONTENT_SECURITY_POLICY", None) is not None)
print(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) is not None)
print(settings.POLICY_DIRECTIVES.get("report-uri"))
"""


def policy_settings(**env) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**base, "DJANGO_SETTINGS_MODULE": "forum.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_policy_is_enforced_by_default():
    assert policy_settings() == ["True", "False", "None"]


def test_operators_switch_to_report_only_and_name_a_report_address():
    lines = policy_settings(DJANGO_CSP_REPORT_ONLY="1", DJANGO_CSP_REPORT_URI="/csp-reports/")
    assert lines == ["False", "True", "['/csp-reports/']"]
