"""Writes the audit entries of denied object access (see tanu.audit.denied)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tanu.audit.actions import record
from tanu.audit.denied import _denials
from tanu.audit.models import Action


class DeniedAccessAuditMiddleware:
    """After the view: one ``denied`` entry per object an access helper refused, when the answer
    is 404 and the request is a signed-in user's. Runs outside the view's transaction, so that
    the entry stays even when the view's writes roll back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _denials.set([])
        try:
            response = self.get_response(request)
            denials = _denials.get() or []
        finally:
            _denials.reset(token)
        if denials and response.status_code == 404:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                for object_type, object_id in dict.fromkeys(denials):
                    record(
                        Action.DENIED,
                        actor=user,
                        object_type=object_type,
                        object_id=object_id,
                        request=request,
                    )
        return response
