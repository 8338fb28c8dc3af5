"""What the training pages share: a form's errors as one line, the posted data, and QR codes."""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpRequest


def _errors(form: Any) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def posted(request: HttpRequest) -> Any:
    """The posted data for a form, even when empty (an unticked list is an answer too)."""
    return request.POST if request.method == "POST" else None


def qr_data_uri(url: str) -> str:
    return str(segno.make_qr(url).svg_data_uri(scale=4, border=2))
