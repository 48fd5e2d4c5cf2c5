"""In a real browser, "load more comments (N)" puts the next batch in place of the link."""

import pytest

from tests.test_load_more import import_tree
from threads import limits

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_load_more_fills_in_place(page, live_server, monkeypatch):
    monkeypatch.setattr(limits, "PAGE_BUDGET", 3)
    thread, ids = import_tree({f"r{i}": None for i in range(5)})
    page.goto(live_server.url + thread.get_absolute_url())
    assert page.locator("article.comment").count() == 3
    link = page.get_by_role("link", name="load more comments (2)")
    link.click()
    page.locator(f"#c{ids['r4']}").wait_for()
    assert page.locator("article.comment").count() == 5
    assert page.get_by_role("link", name="load more comments").count() == 0
    assert page.url.endswith(thread.get_absolute_url())  # in place: no navigation
