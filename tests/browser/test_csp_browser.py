"""Every page type under the enforced content security policy reports no violation.

The browser reports each blocked inline script, inline style, style attribute, event
handler attribute or foreign load as a ``securitypolicyviolation`` event; a listener
installed before any of the page's own scripts collects them. Each page is loaded as the
role ``tests/browser/site_pages.PAGES`` names, and the pages' scripts are exercised (a
reply form opened in place, an admin action chosen) since a script can break the policy
too, by setting inline styles or handlers.
"""

import pytest
from django.conf import settings

from tests.browser.site_pages import PAGES, Subjects, role_pages
from tests.sample_pages import make_sample_site
from threads import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample || ""}`);
});
"""


def _subjects():
    site = make_sample_site()
    moderator = type(site.member).objects.get(username="mia")
    services.report_create(reporter=site.member, comment=site.reply, reason="rude")
    return Subjects(
        threads=[site.thread],
        comments=[site.reply],
        authors=[site.member],
        member=site.member,
        moderator=moderator,
    )


def _violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def test_the_policy_is_enforced_not_report_only(client, db):
    header = client.get("/").headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "script-src 'self'",
        "style-src 'self'",
    ):
        assert directive in header
    assert "unsafe-inline" not in header
    assert settings.CONTENT_SECURITY_POLICY


def test_no_page_breaks_the_policy(live_server, browser):
    subjects = _subjects()
    found: dict[str, list[str]] = {}
    pages = role_pages(browser, live_server.url, subjects, COLLECT_VIOLATIONS)
    try:
        for site_page in PAGES:
            page = pages[site_page.role]
            for path in site_page.paths(subjects):
                url = live_server.url + path
                if site_page.feed:
                    response = page.request.get(url)
                    assert response.ok, site_page.name
                    assert "default-src 'self'" in response.headers["content-security-policy"]
                    continue
                response = page.goto(url)
                assert response.ok, f"{site_page.name}: {response.status}"
                assert "default-src 'self'" in response.headers["content-security-policy"]
                page.wait_for_timeout(50)  # events are dispatched asynchronously
                seen = _violations(page) + _exercise(page, site_page.name)
                if seen:
                    found[f"{site_page.name} {path}"] = seen
    finally:
        for page in pages.values():
            page.context.close()
    assert found == {}


def _exercise(page, name: str) -> list[str]:
    """Run the page's scripts where they change the page (a reply form opened in place, a
    comment collapsed, an admin action chosen and its confirmation page): the violations
    seen on the way."""
    seen: list[str] = []
    if name == "thread as member":
        page.locator("a.reply-link").first.click()
        page.locator("form.reply-form .reply-to").first.wait_for()
        page.locator("article.comment summary").first.click()
    elif name == "admin comments":
        page.locator("#action-toggle").check()
        page.locator("input.action-select").first.uncheck()
        page.select_option("select[name=action]", "remove_comments")
        page.wait_for_timeout(50)
        seen += _violations(page)
        page.click("button[name=index]")
        page.locator("textarea[name=reason]").wait_for()
    page.wait_for_timeout(50)
    return seen + _violations(page)
