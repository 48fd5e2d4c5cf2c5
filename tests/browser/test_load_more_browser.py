"""In a real browser, "load more comments (N)" puts the next batch in place of the link."""

import os
import shutil

import pytest

from tests.test_load_more import import_tree
from threads import selectors

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM and os.environ.get("CI") != "true",
        reason="Chromium is not installed (CI installs it and never skips)",
    ),
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser.new_page()
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_load_more_fills_in_place(page, live_server, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_BUDGET", 3)
    thread, ids = import_tree({f"r{i}": None for i in range(5)})
    page.goto(live_server.url + thread.get_absolute_url())
    assert page.locator("article.comment").count() == 3
    link = page.get_by_role("link", name="load more comments (2)")
    link.click()
    page.locator(f"#c{ids['r4']}").wait_for()
    assert page.locator("article.comment").count() == 5
    assert page.get_by_role("link", name="load more comments").count() == 0
    assert page.url.endswith(thread.get_absolute_url())  # in place: no navigation
