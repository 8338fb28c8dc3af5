"""JSON errors for the API in the caller's language. Denied access answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as JSON with a message in the caller's language; denied access is a 404."""
    if isinstance(exc, exceptions.PermissionDenied | Http404):
        exc = exceptions.NotFound(_("Not found."))
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if (isinstance(response.data, dict) and "detail" not in response.data) or isinstance(
        response.data, list
    ):
        response.data = {"detail": _("The request is not valid."), "errors": response.data}
    return response
