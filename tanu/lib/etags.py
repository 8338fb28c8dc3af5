"""Optimistic concurrency for the API: ETag out, If-Match in, 428 without it, 412 when stale."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def precondition_failed(request: Request, etag: str, stale_message: str) -> Response | None:
    """The answer to give when the request's If-Match does not name the current ETag."""
    header = request.headers.get("If-Match")
    if header is None:
        return Response(
            {"detail": _("Send the If-Match header with the ETag you read.")},
            status=status.HTTP_428_PRECONDITION_REQUIRED,
        )
    if header.strip() != etag:
        return Response({"detail": stale_message}, status=status.HTTP_412_PRECONDITION_FAILED)
    return None


def error_response(exc: Exception, *, conflict: type[Exception]) -> Response:
    """A refused write: 412 for a concurrent change, 400 otherwise, with the user's message."""
    code = (
        status.HTTP_412_PRECONDITION_FAILED
        if isinstance(exc, conflict)
        else status.HTTP_400_BAD_REQUEST
    )
    return Response({"detail": str(exc)}, status=code)
