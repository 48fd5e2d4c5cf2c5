"""What the fuzz test (``tests/test_fuzz.py``) drives: every URL pattern the resolver
knows, filled in, and every form field, query parameter and choice the pages offer.

Nothing here lists the forum's pages by hand: the routes come from walking the URL
resolver and the field names from the forms and links of the pages themselves, so a
page or form added later is fuzzed without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

# <conv:name> in a route, (?P<name>...) in a regex pattern.
_ROUTE_SLOT = re.compile(r"<(?:\w+:)?\w+>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")

# Values that broke forms of this kind somewhere: NUL and other control characters,
# non-numbers, negative, huge and non-ASCII digits, and text where a choice is expected.
NASTY = [
    "\x00",
    "1\x00",
    "\x01\x1b[0m\x7f",
    "abc",
    "-1",
    "0",
    "1" + "0" * 30,
    "9223372036854775808",
    "١٢٣",
    "²",
    "1e3",
    " 1",
    "1.5",
    "",
    "%00",
    "../../etc/passwd",
    "🙂" * 3,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "a" * 3000,
]
# Query parameters any page might read, besides those its links name.
BASE_PARAMS = ["page", "p", "sort", "o", "q", "reply", "after", "offset", "depth", "next",
               "thread", "state", "e", "all", "_changelist_filters", "_popup",
               "_to_field"]  # fmt: skip
BASE_FIELDS = ["body", "title", "url", "parent", "value", "reason", "username", "password",
               "password1", "password2", "next", "action", "_selected_action", "index",
               "apply", "select_across", "post", "until", "preview"]  # fmt: skip


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # the path with each parameter as "{}"
    slots: int

    def fill(self, values) -> str:
        return "/" + self.template.format(*(quote(str(v), safe="") for v in values))


def routes() -> list[Route]:
    """Every URL pattern, through every include, as a fillable path."""
    found: list[Route] = []

    def walk(resolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            text = prefix + _pattern_text(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, text)
            elif isinstance(entry, URLPattern):
                template, slots = _template(text)
                found.append(Route(entry.name or template, template, slots))

    walk(get_resolver(), "")
    return found


def _pattern_text(pattern) -> str:
    text = str(pattern)
    if pattern.__class__.__name__ == "RegexPattern":
        text = text.removeprefix("^").removesuffix("$")
    return text


def _template(text: str) -> tuple[str, int]:
    text = text.replace("{", "{{").replace("}", "}}")
    text, route_slots = _ROUTE_SLOT.subn("{}", text)
    text, regex_slots = _REGEX_GROUP.subn("{}", text)
    text = text.replace("^", "").replace("$", "")
    return text, route_slots + regex_slots


@dataclass
class Harvest:
    """Names and values the pages offer: form fields, link parameters, choices."""

    fields: set[str] = field(default_factory=lambda: set(BASE_FIELDS))
    params: set[str] = field(default_factory=lambda: set(BASE_PARAMS))
    values: set[str] = field(default_factory=set)

    def read(self, html: str) -> None:
        parser = _FormReader()
        parser.feed(html)
        self.fields |= parser.fields
        self.values |= {v for v in parser.values if len(v) < 100}
        for href in parser.links:
            for name, value in parse_qsl(urlsplit(href).query, keep_blank_values=True):
                self.params.add(name)
                self.values.add(value)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: set[str] = set()
        self.values: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            self.fields.add(attrs["name"])
        if tag in ("option", "input", "button") and attrs.get("value"):
            self.values.add(attrs["value"])
        if tag == "a" and attrs.get("href", "").startswith(("?", "/")):
            self.links.append(attrs["href"])
