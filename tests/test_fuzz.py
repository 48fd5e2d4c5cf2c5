"""No input makes the forum answer 5xx: Hypothesis drives the test client over every URL
pattern (``tests/fuzz_site.routes``: the resolver walked, so later pages are covered
too) with every form field and query parameter the pages offer, logged out, as a member
and as a moderator.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (the default) runs a few hundred examples in
all; ``fuzz`` (``make fuzz``) runs thousands. Before the random examples, a sweep puts
each of ``NASTY`` into every URL parameter, query parameter and form field of every
route, so no route goes untried in a short run.
"""

from __future__ import annotations

import itertools
import json
import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_comment, make_moderator, make_thread, make_user
from tests.fuzz_site import NASTY, Harvest, routes
from threads import services

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROLES = ["anonymous", "member", "moderator"]
# The CI sweep's values: NUL, text for a number, negative, past 64 bits, a digit that is
# not ASCII.
SWEEP = ["\x00", "abc", "-1", "1" + "0" * 30, "²"]
ROUTES = routes()


class World:
    """A small forum with one of everything the pages show, and who asks."""

    def __init__(self):
        self.member = make_user("fuzz-member")
        other = make_user("fuzz-other")
        self.moderator = make_moderator("fuzz-mod")
        self.thread = services.thread_create(
            author=other, title="Fuzzed", url="https://example.com/", body="*hi*"
        )
        make_thread(author=self.member, title="Another")
        top = make_comment(self.thread, author=other, body="top")
        self.own = make_comment(self.thread, parent=top, author=self.member, body="mine")
        make_comment(self.thread, parent=self.own, author=other, body="reply")
        services.report_create(reporter=self.member, comment=top, reason="rude")
        services.comment_remove(moderator=self.moderator, comment=top, reason="rude")
        services.user_ban(moderator=self.moderator, user=other, reason="spam")
        services.vote_cast(user=self.member, item=top, value=1)
        # Real ids and names, to fill URL slots with: a thread, comments, a member, a
        # thread's slug, an admin app.
        self.valid = [str(self.thread.pk), str(self.own.pk), str(top.pk), str(self.member.pk),
                      self.member.username, self.thread.slug, "auth"]  # fmt: skip

    def user(self, role):
        return {"anonymous": None, "member": self.member, "moderator": self.moderator}[role]


def log_in(client, world, role):
    client.logout()
    if world.user(role) is not None:
        client.force_login(world.user(role))


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    assert b"Traceback" not in response.content, what


_harvested: list[Harvest] = []


def harvest(client, world) -> Harvest:
    """Form fields, link parameters and choices of every page reachable with real ids, as
    a member and as a moderator (who between them see every form); once per run."""
    if _harvested:
        return _harvested[0]
    found = Harvest()
    for role in ("member", "moderator"):
        log_in(client, world, role)
        for route in ROUTES:
            for values in itertools.product(world.valid, repeat=route.slots):
                response = client.get(route.fill(values))
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    found.read(response.content.decode())
    _harvested.append(found)
    return found


@pytest.fixture
def world(db):
    return World()


def test_every_route_takes_every_nasty_value_without_a_5xx(client, world):
    """The sweep: each nasty value (a short list in CI, all of ``NASTY`` under ``make
    fuzz``) in every URL slot, and in every query parameter and form field at once on
    the route's real page, for every route, each request as the next of the roles."""
    found = harvest(client, world)
    roles = itertools.cycle(ROLES)
    for value in NASTY if settings.default.max_examples > 100 else SWEEP:
        query = urlencode(dict.fromkeys(found.params, value))
        form = dict.fromkeys(found.fields, value)
        for route in ROUTES:
            path = route.fill([value] * route.slots)
            real = route.fill([world.valid[0]] * route.slots)
            for method, url, data in (("GET", path, None), ("POST", f"{real}?{query}", form)):
                role = next(roles)
                log_in(client, world, role)
                response = client.generic(method, url) if data is None else client.post(url, data)
                check(response, f"{method} {url} {value!r} as {role}")


def _value(world_values):
    return st.one_of(
        st.sampled_from(world_values),
        st.sampled_from(NASTY),
        st.text(max_size=30),
        st.integers(min_value=-(10**31), max_value=10**31).map(str),
    )


@st.composite
def requests(draw, world, found):
    route = draw(st.sampled_from(ROUTES))
    values = sorted(found.values | set(world.valid))
    slots = draw(st.lists(_value(world.valid), min_size=route.slots, max_size=route.slots))
    query = draw(st.dictionaries(st.sampled_from(sorted(found.params)), _value(values), max_size=4))
    form = draw(
        st.dictionaries(
            st.sampled_from(sorted(found.fields)),
            st.lists(_value(values), min_size=1, max_size=3),
            max_size=6,
        )
    )
    method = draw(st.sampled_from(["GET", "POST", "POST", "HEAD"]))
    encoding = draw(st.sampled_from(["form", "form", "multipart", "utf-16", "json", "bytes"]))
    fetch = draw(st.booleans())
    garbage = draw(st.binary(max_size=200))
    return route, slots, query, form, method, encoding, fetch, garbage


def send(client, request):
    route, slots, query, form, method, encoding, fetch, garbage = request
    path = route.fill(slots) + ("?" + urlencode(query) if query else "")
    headers = {"X-Requested-With": "fetch"} if fetch else {}
    if method != "POST":
        return client.generic(method, path, headers=headers), f"{method} {path}"
    what = f"POST {path} {encoding} {form!r}"
    if encoding == "multipart":
        return client.post(path, form, headers=headers), what
    body, content_type = {
        "form": (urlencode(form, doseq=True), "application/x-www-form-urlencoded"),
        "utf-16": (
            urlencode(form, doseq=True).encode("utf-16"),
            "application/x-www-form-urlencoded; charset=utf-16",
        ),
        "json": (json.dumps(form), "application/json"),
        "bytes": (garbage, "application/x-www-form-urlencoded"),
    }[encoding]
    return client.generic("POST", path, body, content_type=content_type, headers=headers), what


@pytest.mark.parametrize("role", ROLES)
def test_random_requests_never_get_a_5xx(client, world, role):
    found = harvest(client, world)

    @given(request=requests(world, found))
    def one(request):
        log_in(client, world, role)
        response, what = send(client, request)
        check(response, f"{what} as {role}")

    one()
