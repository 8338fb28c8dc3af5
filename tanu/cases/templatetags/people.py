"""Template filters that show a person's stored values as words (tanu.cases.presentation)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from tanu.cases import presentation

register = template.Library()


@register.filter
def language_names(value: str | list[str] | None) -> str:
    return presentation.language_names(value)


@register.filter
def local_date(value: date | datetime | str | None) -> str:
    return presentation.local_date(value)


@register.filter
def document_label(code: str) -> str:
    return presentation.document_label(code)


@register.filter
def channel_label(code: str) -> str:
    return presentation.channel_label(code)


@register.filter
def safety_label(safe: object) -> str:
    return presentation.safety_label(safe)
