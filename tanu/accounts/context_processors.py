from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tanu(request: HttpRequest) -> dict[str, Any]:
    return {"TANU_DEMO": settings.DEMO}
