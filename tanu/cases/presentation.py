"""A person's stored values as words for a reader: document types, contact channels and the
"safe to contact" flag, languages and dates in the reader's language (pages, slips and prints).
The stored values and the API keep their codes."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

LANGUAGE_NAMES: dict[str, Promise] = {
    "kk": pgettext_lazy("language of a person", "Kazakh"),
    "ru": pgettext_lazy("language of a person", "Russian"),
    "en": pgettext_lazy("language of a person", "English"),
    "uz": pgettext_lazy("language of a person", "Uzbek"),
    "ky": pgettext_lazy("language of a person", "Kyrgyz"),
    "tg": pgettext_lazy("language of a person", "Tajik"),
    "tk": pgettext_lazy("language of a person", "Turkmen"),
    "ug": pgettext_lazy("language of a person", "Uyghur"),
    "zh": pgettext_lazy("language of a person", "Chinese"),
    "tr": pgettext_lazy("language of a person", "Turkish"),
    "az": pgettext_lazy("language of a person", "Azerbaijani"),
    "uk": pgettext_lazy("language of a person", "Ukrainian"),
    "ko": pgettext_lazy("language of a person", "Korean"),
    "de": pgettext_lazy("language of a person", "German"),
    "other": pgettext_lazy("language of a person", "another language"),
}


def language_name(code: str) -> str:
    """The name of a language in the reader's language; text that is not a known code stays."""
    name = LANGUAGE_NAMES.get(code.strip().lower())
    return str(name) if name is not None else code.strip()


def language_names(value: str | list[str] | None) -> str:
    """'kk, uz' (or ['kk', 'uz']) -> 'Kazakh, Uzbek' in the reader's language."""
    if not value:
        return ""
    parts = value if isinstance(value, list) else re.split(r"[,;/]\s*|\s+", value)
    return ", ".join(language_name(p) for p in parts if p and p.strip())


def local_date(value: date | datetime | str | None) -> str:
    """A date in the reader's locale (ISO strings are parsed; other text stays as it is)."""
    if not value:
        return ""
    day: date
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    elif isinstance(value, datetime):
        day = value.date()
    else:
        day = value
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def document_label(code: str) -> str:
    from tanu.cases.forms import DOCUMENT_TYPES

    return str(dict(DOCUMENT_TYPES).get(code, code))


def channel_label(code: str) -> str:
    from tanu.cases.forms import CONTACT_CHANNELS

    return str(dict(CONTACT_CHANNELS).get(code, code))


def safety_label(safe: object) -> str:
    return _("safe to contact") if safe is True else _("NOT safe: someone else may read it")
