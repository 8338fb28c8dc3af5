"""Shapes checklist data and assessment results for the templates, in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from tanu.identification.models import ChecklistVersion

DIMENSION_ORDER = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "destination_abuse_of_vulnerability",
)


def lang() -> str:
    return (get_language() or "ru")[:2]


def text(value: dict[str, str] | str | None) -> str:
    if isinstance(value, dict):
        return value.get(lang()) or value.get("en") or ""
    return value or ""


@dataclass
class IndicatorView:
    code: str
    strength: str
    label: str
    prompt: str
    checklist: str
    answer: str = "unknown"


@dataclass
class DimensionView:
    key: str
    label: str
    indicators: list[IndicatorView] = field(default_factory=list)


def dimension_labels(rows: list[ChecklistVersion]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for row in rows:
        for dim in row.data["dimensions"]:
            labels.setdefault(dim["key"], text(dim["label"]))
    return labels


def grouped_indicators(
    rows: list[ChecklistVersion], answers: dict[str, str] | None = None
) -> list[DimensionView]:
    """The indicators of the given lists grouped by dimension, in DESIGN's order."""
    answers = answers or {}
    labels = dimension_labels(rows)
    groups = {key: DimensionView(key, labels.get(key, key)) for key in DIMENSION_ORDER}
    for row in sorted(rows, key=lambda r: r.form):
        title = text(row.data.get("title"))
        for ind in row.data["indicators"]:
            groups[ind["dimension"]].indicators.append(
                IndicatorView(
                    code=ind["code"],
                    strength=ind["strength"],
                    label=text(ind["label"]),
                    prompt=text(ind["prompt"]),
                    checklist=title,
                    answer=answers.get(ind["code"], "unknown"),
                )
            )
    return [g for g in groups.values() if g.indicators]


def label_index(rows: list[ChecklistVersion]) -> dict[str, str]:
    return {ind["code"]: text(ind["label"]) for row in rows for ind in row.data["indicators"]}


def result_view(result: dict[str, Any], rows: list[ChecklistVersion]) -> dict[str, Any]:
    """The stored assessment with labels attached, for the assessment panel."""
    if not result:
        return {}
    labels = label_index(rows)
    dim_labels = dimension_labels(rows)
    dims = []
    for key in DIMENSION_ORDER:
        d = result.get("dimensions", {}).get(key)
        if d is None:
            continue
        codes = result.get("indicators", {}).get(key, [])
        dims.append(
            {
                "key": key,
                "label": dim_labels.get(key, key),
                "positive": d["positive"],
                "strong": d["strong"],
                "medium": d["medium"],
                "weak": d["weak"],
                "observed": [{"code": c, "label": labels.get(c, c)} for c in codes],
            }
        )
    untouched = result.get("untouched_dimensions", [])
    return {
        "outcome": result.get("outcome"),
        "threshold_met": result.get("threshold_met"),
        # None: a result finalised before "enough asked" existed, on the old rule.
        "enough_asked": result.get("enough_asked"),
        "unasked_strong": result.get("unasked_strong", 0),
        "untouched": [dim_labels.get(key, key) for key in DIMENSION_ORDER if key in untouched],
        "dimensions": dims,
        "decisive": [{"code": c, "label": labels.get(c, c)} for c in result.get("decisive", [])],
        "assessed_as_child": result.get("assessed_as_child", False),
        "checklist": result.get("checklist"),
        "other": result.get("other"),
    }


#: Answers that mean the question was put to the person ("declined" included: it was asked).
ASKED_ANSWERS = frozenset({"observed", "not_observed", "declined"})


@dataclass
class Progress:
    """How many of the screening's questions were asked."""

    asked: int
    total: int


def progress(groups: list[DimensionView]) -> Progress:
    """Questions asked so far: an indicator listed in two lists (form unknown) counts once."""
    seen = {ind.code: ind.answer in ASKED_ANSWERS for group in groups for ind in group.indicators}
    return Progress(asked=sum(seen.values()), total=len(seen))


@dataclass
class DimensionPage:
    """One dimension as a page of the screening on a phone, with its neighbours for the buttons."""

    group: DimensionView
    number: int
    previous: DimensionView | None
    next: DimensionView | None


def dimension_pages(groups: list[DimensionView]) -> list[DimensionPage]:
    return [
        DimensionPage(
            group=group,
            number=index + 1,
            previous=groups[index - 1] if index else None,
            next=groups[index + 1] if index + 1 < len(groups) else None,
        )
        for index, group in enumerate(groups)
    ]
