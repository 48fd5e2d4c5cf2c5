"""One client address for every limit and lockout: REMOTE_ADDR, or the trusted proxies'."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django_ratelimit.core import _get_ip

from threads.client_ip import client_ip


def request(remote="192.0.2.9", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="203.0.113.5")) == "192.0.2.9"


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the forged left entry is ignored
        (2, "6.6.6.6, 203.0.113.5, 198.51.100.1", "203.0.113.5"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (2, "203.0.113.5", "192.0.2.9"),  # fewer hops than proxies: the connection's
        (1, "", "192.0.2.9"),
        (1, "not-an-address", "0.0.0.0"),
    ],
)
def test_trusted_proxies_count_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected


def test_rate_limits_and_axes_use_it(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = request(forwarded="6.6.6.6, 203.0.113.5")
    assert _get_ip(spoofed) == "203.0.113.5"
    assert get_client_ip_address(spoofed) == "203.0.113.5"
