"""Tables that become cards on a phone: each cell carries its column's heading."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def with_labels(values: Iterable[Any], labels: Iterable[Any]) -> list[tuple[Any, Any]]:
    """[(label, value), ...] for cells and the headings of their columns."""
    return [(label, value) for value, label in zip(values, labels, strict=False)]
