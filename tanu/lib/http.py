"""Middleware for the whole site: demo mode only for this machine, no caching of anything an
authenticated request gets back, and no JSON nested deeper than the API accepts.

In ``MIDDLEWARE`` (tanu.settings): ``DemoLoopbackOnlyMiddleware`` first of all, then
``JsonDepthLimitMiddleware`` and, after the authentication middleware,
``NoStoreForAuthenticatedMiddleware``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 64

Handler = Callable[[HttpRequest], HttpResponse]


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1 (also written as an IPv4-mapped IPv6 address)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class DemoLoopbackOnlyMiddleware:
    """In demo mode (published passwords, no second factor, a development key), answer only
    requests whose peer address is this machine. The ``Host`` header proves nothing: a proxy can
    forward ``Host: 127.0.0.1`` from anywhere; the socket's peer address (``REMOTE_ADDR``) cannot
    be set by the client. Behind a proxy on the same machine every request looks local, which is
    why demo mode must never be put behind a public proxy (README)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "DEMO", False) and not is_loopback(request.META.get("REMOTE_ADDR")):
            return HttpResponseForbidden(
                _("This is a demonstration installation: it answers only on this computer."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _is_authenticated(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and bool(user.is_authenticated)


class NoStoreForAuthenticatedMiddleware:
    """``Cache-Control: no-store`` on every response to an authenticated request: signed-in
    pages, and API calls with a session or a bearer token (DRF sets ``request.user`` on the
    Django request once it has authenticated the token). Nothing a signed-in official saw stays
    in a browser's or a proxy's cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A server error is never cached either, and is decided without asking who the user is:
        # the 500 of a database that is down must not read the session again.
        if (
            response.status_code >= 500
            or "HTTP_AUTHORIZATION" in request.META
            or _is_authenticated(request)
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


_JSON_TYPE = re.compile(r"^application/([\w.+-]+\+)?json\b", re.IGNORECASE)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays and objects deeper than ``limit``. Counts brackets
    outside strings, without parsing (so without recursion): malformed text is left to the
    parser, which answers it with its own 400."""
    depth = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JsonDepthLimitMiddleware:
    """400 for a JSON body nested deeper than ``MAX_JSON_DEPTH``, before any parser recurses
    through it (Python's JSON parser would fail with a RecursionError, a 500)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        if (
            request.method in ("POST", "PUT", "PATCH", "DELETE")
            and _JSON_TYPE.match(content_type)
            and json_depth_exceeds(request.body)
        ):
            message = _("The JSON is nested too deeply (more than %(limit)d levels).")
            return JsonResponse({"detail": message % {"limit": MAX_JSON_DEPTH}}, status=400)
        return self.get_response(request)
