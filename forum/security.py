"""Response headers the forum sends on every page, beyond Django's own.

The content security policy itself is django-csp's (``csp.middleware.CSPMiddleware``,
configured in ``forum.settings``); this module adds the one header Django has no
setting for: ``Permissions-Policy``, denying every browser feature the forum never uses,
so that even injected markup could not ask for the camera or the reader's location.
"""

from django.conf import settings

# Features a discussion forum has no use for: none of them is ever allowed, on any page,
# for the site itself or anything it embeds.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)


def permissions_policy(features=DENIED_FEATURES) -> str:
    """``camera=(), geolocation=(), ...``: the empty allow-list denies each feature."""
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``) to every response
    that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = getattr(settings, "PERMISSIONS_POLICY", "") or permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
