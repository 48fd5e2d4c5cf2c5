"""Malformed requests are refused at the door, with a 4xx and a page that says why.

Views and forms check what they mean to take; this middleware refuses what no page of
the forum ever takes, before any view, form or query sees it, so that a page added later
is covered too:

- a body larger than ``settings.DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), refused from its
  declared length before a byte of it is read;
- a form body declared in another encoding than UTF-8 (415): browsers send the page's
  own, and Django would decode a UTF-16 body into nonsense or fail on it;
- a NUL byte or another control character in the path, a query parameter or a form
  field (400; tab and line breaks are text, except in the path): no text here holds
  one, XML feeds cannot, and PostgreSQL refuses NUL in a query outright;
- an ``<int:...>`` URL number outside the database's 64-bit range (404: no such row).

The forum's own views check their parameters themselves (``threads.params``). Django's
admin takes parameters the forum does not choose (``_to_field``, lookups in the query
string, ``_selected_action``) and in a few places lets a bad one escape as an exception;
there, and only there, such an exception becomes a 400 that says so (and is logged).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.db import DataError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

BODY_TOO_BIG = "That request is too big for the forum: {size} bytes at most."
WRONG_ENCODING = "Forms are read as UTF-8 only."
CONTROL_CHARACTERS = "The request holds control characters (such as NUL), which no page here takes."
UNREADABLE = "The request's form data could not be read."
NUMBER_OUT_OF_RANGE = "No such page."
ADMIN_BAD_PARAMETER = "The admin could not use a parameter of that request."

log = logging.getLogger(__name__)
# What the admin raises for a malformed parameter: an unknown field, a value its column
# cannot hold (text for a number, a number past 64 bits, NUL on PostgreSQL).
ADMIN_INPUT_ERRORS = (FieldDoesNotExist, FieldError, ValidationError, ValueError,
                      OverflowError, DataError)  # fmt: skip

DB_INT_MAX = 2**63 - 1
FORM_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# C0 controls and DEL; tab, line feed and carriage return are text in a textarea.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")


def refuse(request, message: str, status: int):
    """The refusal as a short page of the forum's own (``400.html``)."""
    return render(request, "400.html", {"message": message}, status=status)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _has_control(query_dict, pattern) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(value) for value in values)
        for key, values in query_dict.lists()
    )


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return refuse(request, BODY_TOO_BIG.format(size=limit), 413)
        if _CONTROL_OR_BREAK.search(request.path_info) or _has_control(request.GET, _CONTROL):
            return refuse(request, CONTROL_CHARACTERS, 400)
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return None
        charset = (request.content_params.get("charset") or "utf-8").strip().lower()
        if charset not in FORM_CHARSETS:
            return refuse(request, WRONG_ENCODING, 415)
        try:
            fields = request.POST
        except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError, ValueError):
            return refuse(request, UNREADABLE, 400)
        if _has_control(fields, _CONTROL):
            return refuse(request, CONTROL_CHARACTERS, 400)
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        numbers = [v for v in (*view_args, *view_kwargs.values()) if isinstance(v, int)]
        if any(not -DB_INT_MAX <= n <= DB_INT_MAX for n in numbers):
            return refuse(request, NUMBER_OUT_OF_RANGE, 404)
        return None

    def process_exception(self, request, exception):
        match = request.resolver_match
        if match is None or match.app_name != "admin":
            return None
        if not isinstance(exception, ADMIN_INPUT_ERRORS):
            return None
        log.warning("Admin refused %s %s: %r", request.method, request.path, exception)
        return refuse(request, ADMIN_BAD_PARAMETER, 400)
