"""Real headless Chromium through Playwright, against pytest-django's live server.

Outside CI a machine without Chromium skips these tests and says why; in CI (CI=true)
a missing browser is a failure, never a skip.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for setup and checks are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM}: browser tests need it (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI never skips browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (own cookies) and page per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (CI keeps the folder)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
