"""Denied object access (the 404s of need-to-know) goes on the audit trail.

The access helpers (``get_<object>_for_user`` in ``tanu/*/access.py``) call :func:`raise_denied`
instead of ``raise Http404``. It notes the object type and id for the current request and
raises ``Http404`` as before; :class:`tanu.audit.middleware.DeniedAccessAuditMiddleware` writes
one ``denied`` entry per object once the view has answered 404 to a signed-in user (web pages
and API alike, bearer tokens included). The entry names the actor, the object type and the id
asked for: never a personal value. Outside a request (commands, tests calling helpers) nothing is
noted.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import NoReturn

from django.http import Http404

from tanu.audit.models import ObjectType

_denials: ContextVar[list[tuple[ObjectType, str]] | None] = ContextVar("tanu_denials", default=None)


def raise_denied(object_type: ObjectType, object_id: object) -> NoReturn:
    """Note a denied access to ``object_type`` ``object_id`` and answer 404."""
    pending = _denials.get()
    if pending is not None:
        pending.append((object_type, str(object_id)[:64]))
    raise Http404
