"""Accessibility in a real browser: axe-core finds nothing on the site's pages, in light
and dark mode; controls are big enough to hit on a phone; collapsing keeps the header.

axe-core comes from the ``axe-playwright-python`` package and runs inside Debian's
Chromium (``conftest.py``), so nothing is downloaded.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from tests.sample_pages import make_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MIN_TARGET = 24  # WCAG 2.2 (2.5.8 Target Size, Minimum): 24 by 24 CSS pixels


@pytest.fixture
def site(transactional_db):
    """A thread with every kind of comment (``tests/sample_pages.py``)."""
    return make_sample_site()


def new_page(browser, live_server, *, member=None, **options):
    """A page in a fresh context, logged in as ``member`` when given."""
    context = browser.new_context(**options)
    if member is not None:
        client = Client()
        client.force_login(member)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def axe_report(results) -> str:
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        nodes = violation["nodes"]
        for node in nodes[:5]:
            html = node["html"].split("\n", 1)[0][:120]
            lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines()[1:])
        if len(nodes) > 5:
            lines.append(f"    … and {len(nodes) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, live_server, site, scheme):
    axe = Axe()
    anonymous = new_page(browser, live_server, color_scheme=scheme)
    member = new_page(browser, live_server, member=site.member, color_scheme=scheme)
    found = {}
    for name, (path, as_member) in site.pages().items():
        page = member if as_member else anonymous
        page.goto(live_server.url + path)
        results = axe.run(page)
        if results.violations_count:
            found[name] = axe_report(results)
    anonymous.context.close()
    member.context.close()
    report = "\n".join(f"{name} ({scheme}):\n{text}" for name, text in found.items())
    assert not found, f"axe-core found violations:\n{report}"


def test_vote_buttons_and_toggles_are_big_enough_on_a_phone(browser, live_server, site):
    page = new_page(browser, live_server, member=site.member, viewport=PHONE)
    small = []
    checked = 0
    for name in ("front", "thread-member", "permalink-member"):
        page.goto(live_server.url + site.pages()[name][0])
        controls = page.locator(".vote button, .comment > details > summary")
        for i in range(controls.count()):
            control = controls.nth(i)
            if not control.is_visible():  # inside a folded comment: no target until opened
                continue
            box = control.bounding_box()
            checked += 1
            if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
                label = control.get_attribute("aria-label") or control.inner_text()
                small.append(f"{name}: {label!r} is {box['width']:.1f}×{box['height']:.1f}")
    page.context.close()
    assert checked > 40  # the thread's two vote buttons, two per comment, and the toggles
    assert not small, "Targets smaller than 24×24 CSS px:\n" + "\n".join(small)


def test_collapsed_comment_keeps_its_author_score_and_count(browser, live_server, site):
    page = new_page(browser, live_server)
    page.goto(live_server.url + site.thread.get_absolute_url())
    own = page.locator(f"#c{site.own.pk}")
    toggle = own.locator(":scope > details > summary")
    expect(toggle).to_have_accessible_name("comment by alice")

    toggle.click()
    expect(own.locator(".body").first).to_be_hidden()
    expect(own.get_by_role("link", name="alice", exact=True)).to_be_visible()
    expect(own.locator(":scope > .meta .score")).to_be_visible()
    expect(toggle.locator(".hidden-count")).to_be_visible()
    expect(toggle.locator(".hidden-count")).to_have_text("(2 replies hidden)")
    expect(toggle).to_have_accessible_name("comment by alice (2 replies hidden)")
    toggle.click()
    expect(own.locator(".body").first).to_be_visible()
    page.context.close()


def test_permalink_page_names_the_comment_in_its_heading(browser, live_server, site):
    page = new_page(browser, live_server)
    page.goto(live_server.url + site.pages()["permalink"][0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment by bob on Tabs or spaces?")
    page.context.close()
