"""A reader searches from the header box and opens a result in its thread."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_comment, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_header_and_open_a_comment_in_context(page, live_server):
    writer = make_user("writer")
    thread = make_thread(author=writer, title="Gardening notes")
    root = make_comment(thread, author=writer, body="Tomatoes need sun.")
    answer = make_comment(
        thread, parent=root, author=writer, body="My tomatoes were collectivized by slugs."
    )
    make_comment(thread, author=writer, body="Nothing to find here.")

    page.goto(f"{live_server.url}/")
    page.fill("header #site-search-q", "collectivization")
    page.press("header #site-search-q", "Enter")
    page.wait_for_url(f"{live_server.url}/search/?q=collectivization")
    results = page.locator("article.search-result")
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text("collectivized")
    expect(page.locator("header #site-search-q")).to_have_value("collectivization")

    results.locator("h2 a").click()
    page.wait_for_url(f"{live_server.url}/c/{answer.pk}/#c{answer.pk}")
    expect(page.locator(f"#c{answer.pk}")).to_contain_text("collectivized by slugs")
    expect(page.locator(f"#c{root.pk}")).to_contain_text("Tomatoes need sun.")  # its context

    page.goto(f"{live_server.url}/")
    page.click("header a.search-help")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator("dl")).to_contain_text('"forest fire"')
