from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

# The language switcher names each language in that language, whatever the page's language: a
# reader who does not understand the page looks for their own language's name.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def tanu(request: HttpRequest) -> dict[str, Any]:
    return {
        "TANU_DEMO": settings.DEMO,
        "LANGUAGE_SWITCH": [
            (code, LANGUAGE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES
        ],
    }
