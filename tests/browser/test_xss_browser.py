"""The XSS corpus stays a test: every payload of ``tests/xss_corpus.PAYLOADS`` in every
field a user or an import fills (comment bodies, thread titles and URLs, usernames,
report, removal and ban reasons, imported authors, titles and bodies of each import
format), then every page that shows them (``tests/browser/site_pages.PAGES``), as each
role. Any dialog, any ``on*`` attribute, any ``javascript:``/``data:``/``vbscript:`` URL
or any element that runs or embeds something fails the test.

The policy is switched to report-only here: this tests the escaping and the sanitizer
themselves, so an injected script must be free to run (and be caught) rather than be
stopped by the policy; a violation report is a failure too. Feeds are read as a feed
reader would: each entry's HTML put into a blank page and checked the same way.
"""

import xml.etree.ElementTree as ET

import pytest

from tests.browser.site_pages import PAGES, Subjects, role_pages
from tests.xss_corpus import PAYLOADS, plant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sample || ""}`);
});
"""
# What no page may hold: each finding names the element and what is wrong with it.
FIND_INJECTIONS = """() => {
  const found = [];
  const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "data",
                          "poster", "background", "srcdoc", "srcset", "ping"];
  const BAD_SCHEME = /^(javascript|data|vbscript):/;
  const SITE_SVG = ".base-svgs, .base-svgs *, .theme-toggle svg, .theme-toggle svg *";
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const where = `<${tag} ${name}="${attr.value.slice(0, 80)}">`;
      if (name.startsWith("on")) found.push(`event handler ${where}`);
      const value = attr.value.replace(/[\\s\\x00-\\x1f]/g, "").toLowerCase();
      if (URL_ATTRIBUTES.includes(name) && BAD_SCHEME.test(value)) found.push(`URL ${where}`);
    }
    if (tag === "script" && !el.src && el.type !== "application/json") {
      found.push(`inline script ${el.textContent.slice(0, 80)}`);
    }
    if (tag === "script" && el.src && new URL(el.src).origin !== location.origin) {
      found.push(`foreign script ${el.src}`);
    }
    if (["iframe", "frame", "object", "embed", "base", "style", "link"].includes(tag)
        && !(tag === "link" && el.closest("head"))) {
      found.push(`element <${tag}> ${el.outerHTML.slice(0, 80)}`);
    }
    if (tag === "meta" && el.httpEquiv) found.push(`meta http-equiv ${el.outerHTML}`);
    if ((tag === "svg" || tag === "math") && !el.matches(SITE_SVG)) {
      found.push(`element <${tag}> ${el.outerHTML.slice(0, 80)}`);
    }
  }
  return found;
}"""


def _subjects(corpus) -> Subjects:
    return Subjects(
        threads=corpus.threads,
        comments=corpus.comments,
        authors=corpus.authors,
        member=corpus.member,
        moderator=corpus.moderator,
    )


class Findings:
    def __init__(self):
        self.items: list[str] = []
        self.pages = 0

    def dialog(self, dialog, page) -> None:
        self.items.append(f"dialog {dialog.message!r} at {page.url}")
        dialog.dismiss()

    def check(self, page, where: str) -> None:
        self.pages += 1
        page.wait_for_timeout(30)  # let an injected handler or timer fire
        self.items += [f"{where}: {f}" for f in page.evaluate(FIND_INJECTIONS)]
        self.items += [f"{where}: CSP {v}" for v in page.evaluate("window.__violations || []")]


def test_no_payload_runs_or_leaves_a_handler_anywhere(live_server, browser, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    corpus = plant()
    subjects = _subjects(corpus)
    findings = Findings()
    pages = role_pages(browser, live_server.url, subjects, WATCH)
    reader = browser.new_context(java_script_enabled=True).new_page()  # a feed reader
    for page in (*pages.values(), reader):
        page.on("dialog", lambda dialog, page=page: findings.dialog(dialog, page))
    try:
        for site_page in PAGES:
            if not site_page.shows_user_content:
                continue
            page = pages[site_page.role]
            for path in site_page.paths(subjects):
                where = f"{site_page.name} {path}"
                if site_page.feed:
                    _check_feed(page, reader, live_server.url + path, where, findings)
                    continue
                response = page.goto(live_server.url + path)
                assert response.status < 500, where
                findings.check(page, where)
        _check_admin_confirmations(pages["moderator"], live_server.url, findings)
    finally:
        for page in (*pages.values(), reader):
            page.context.close()
    assert findings.items == [], "\n".join(findings.items)
    assert findings.pages > 100  # the corpus went through every page


def _check_feed(page, reader, url, where, findings) -> None:
    response = page.request.get(url)
    assert response.ok, where
    root = ET.fromstring(response.body())  # well-formed: every text was escaped
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    html = ""
    for entry in root.findall("atom:entry", ns):
        texts = entry.findall("atom:summary", ns) + entry.findall("atom:content", ns)
        html += f"<article><h2>{_text(entry.find('atom:title', ns))}</h2>"
        html += "".join(_text(text) for text in texts) + "</article>"
    reader.set_content(f"<!doctype html><html><head></head><body>{html}</body></html>")
    findings.check(reader, where)


def _text(element) -> str:
    """An Atom text: HTML as the feed gives it, plain text escaped."""
    if element is None or element.text is None:
        return ""
    if element.get("type") == "html":
        return element.text
    return element.text.replace("&", "&amp;").replace("<", "&lt;")


def _check_admin_confirmations(page, base_url, findings) -> None:
    """The admin's action confirmation pages list what they apply to: comments (with
    their text and authors) and users (their names)."""
    for model, action in (("threads/comment", "remove_comments"), ("auth/user", "ban_users")):
        page.goto(f"{base_url}/admin/{model}/")
        page.locator("#action-toggle").check()
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        page.locator("textarea[name=reason]").wait_for()
        assert any(p[:20] in page.content() for p in ("&lt;script&gt;", "alert(")), model
        findings.check(page, f"admin {action} confirmation")


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 30
