"""The pages only moderators see (a thread's tools, removed threads on the front page, a
refused moderation) are valid HTML too, by the same checker as every other page."""

import pytest
from django.test import Client

from tests.sample_pages import make_sample_site
from tests.test_html_validity import _java_or_skip, check_html
from threads.models import Thread

pytestmark = pytest.mark.django_db


def test_moderator_pages_are_valid_html(tmp_path):
    _java_or_skip()
    site = make_sample_site()
    moderator = Client()
    moderator.force_login(site.moderator)
    removed = Thread.objects.get(is_removed=True)
    pages = {
        "front-moderator": ("get", "/", 200),
        "thread-moderator": ("get", site.own_thread.get_absolute_url(), 200),
        "removed-thread-moderator": ("get", removed.get_absolute_url(), 200),
        "moderate-refused": ("post", f"/thread/{site.thread.pk}/moderate/", 400),
    }
    files = []
    for name, (method, path, status) in pages.items():
        response = getattr(moderator, method)(path, {"action": "remove", "reason": ""})
        assert response.status_code == status, (name, response.status_code)
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    errors = check_html(files)
    report = [f"{name}: {e}" for name, found in errors.items() for e in found]
    assert not report, "\n".join(report)
