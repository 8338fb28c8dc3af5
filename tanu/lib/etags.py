"""Optimistic concurrency for the API: ETag out, If-Match in, 428 without it, 412 when stale;
and the answer to a refused write (412 for a concurrent change, 400 otherwise)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.lib.revisions import ConflictError, etag


def with_etag(response: Response, row: models.Model, kind: str = "") -> Response:
    """The response, with the ETag of ``row`` as it is now (``tanu.lib.revisions.etag``)."""
    response["ETag"] = etag(row, kind)
    return response


def precondition_failed(
    request: Request, row: models.Model, kind: str, stale_message: str | Promise
) -> Response | None:
    """The answer to give when the request's If-Match does not name the row's current ETag:
    428 without the header, 412 with an older one; None when the write may go ahead."""
    header = request.headers.get("If-Match")
    if header is None:
        return Response(
            {"detail": _("Send the If-Match header with the ETag you read.")},
            status=status.HTTP_428_PRECONDITION_REQUIRED,
        )
    if header.strip() != etag(row, kind):
        return Response({"detail": str(stale_message)}, status=status.HTTP_412_PRECONDITION_FAILED)
    return None


def checked_write(
    request: Request,
    row: models.Model,
    kind: str,
    stale_message: str | Promise,
    serializer_class: Any,
    **serializer_options: Any,
) -> tuple[Any, Response | None]:
    """The two checks before an API write: If-Match names the row's current ETag (else the 428
    or 412 answer, see :func:`precondition_failed`), then the body is valid (else DRF's 400).
    Returns the validated serializer and None, or None and the answer to give."""
    refused = precondition_failed(request, row, kind, stale_message)
    if refused is not None:
        return None, refused
    serializer = serializer_class(data=request.data, **serializer_options)
    serializer.is_valid(raise_exception=True)
    return serializer, None


def error_response(exc: Exception) -> Response:
    """A refused write: 412 for a concurrent change (``ConflictError``), 400 otherwise, with the
    user's message."""
    code = (
        status.HTTP_412_PRECONDITION_FAILED
        if isinstance(exc, ConflictError)
        else status.HTTP_400_BAD_REQUEST
    )
    return Response({"detail": str(exc)}, status=code)
