"""Small server-rendered SVG bar charts (no script, no inline style, so the page's
Content-Security-Policy holds) and the CSV behind each chart.

Every bar carries its own text label (series name and value), so colour is never the only carrier
of meaning; the chart has a title and a description for screen readers, and the same numbers are
always in a table and a CSV download next to it. The drawing is 360 units wide, so it is at its
natural size on a 360 px phone and scales up on wider screens.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tanu.lib import csvsafe

WIDTH = 360
BAR_AREA = 180
LABEL_CHARS = 46
NOTE_HEIGHT = 16
BAR_HEIGHT = 18
ROW_GAP = 4
LABEL_HEIGHT = 20
GROUP_GAP = 10
COLOURS = ("#5f6368", "#0b5394", "#b45f06", "#1e6b2f")


@dataclass(frozen=True)
class Group:
    label: str
    values: Sequence[float | None]  # one per series; None: no data
    note: str = ""  # extra text after the values, e.g. "flagged"


def _fmt(value: float | None, unit: str, digits: int) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}{unit}"


def bar_chart(
    title: str,
    series: Sequence[str],
    groups: Sequence[Group],
    *,
    max_value: float = 100.0,
    unit: str = "%",
    digits: int = 0,
    chart_id: str = "chart",
    empty_text: str = "",
) -> SafeString:
    """Horizontal bars: for each group a label line, one bar per series, then the note."""
    rows_per_group = len(series)
    group_height = LABEL_HEIGHT + rows_per_group * (BAR_HEIGHT + ROW_GAP) + GROUP_GAP
    notes = sum(1 for g in groups if g.note)
    height = max(40, 24 + len(groups) * group_height + notes * NOTE_HEIGHT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(series, groups, unit, digits))}</desc>',
    ]
    if not groups:
        parts.append(
            f'<text x="0" y="24" font-size="13" fill="#1a1a1a">{escape(empty_text)}</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
    scale = BAR_AREA / max_value if max_value else 0
    y = 4
    for group in groups:
        y += LABEL_HEIGHT - 4
        parts.append(
            f'<text x="0" y="{y}" font-size="14" font-weight="bold" fill="#1a1a1a">'
            f"{escape(_short(group.label))}</text>"
        )
        y += 4
        for index, name in enumerate(series):
            value = group.values[index] if index < len(group.values) else None
            length = 0.0 if value is None else max(0.0, min(value, max_value)) * scale
            colour = COLOURS[index % len(COLOURS)]
            parts.append(
                f'<rect x="0" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{length + 4:.1f}" y="{y + BAR_HEIGHT - 4}" font-size="13" '
                f'fill="#1a1a1a">{escape(f"{name}: {_fmt(value, unit, digits)}")}</text>'
            )
            y += BAR_HEIGHT + ROW_GAP
        if group.note:
            parts.append(
                f'<text x="0" y="{y + NOTE_HEIGHT - 6}" font-size="12" fill="#1a1a1a">'
                f"{escape(_short(group.note))}</text>"
            )
            y += NOTE_HEIGHT
        y += GROUP_GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _short(label: str) -> str:
    """Long labels are cut on the drawing (the description, table and CSV keep them whole)."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _description(series: Sequence[str], groups: Sequence[Group], unit: str, digits: int) -> str:
    lines = []
    for group in groups:
        values = ", ".join(
            f"{name} {_fmt(group.values[i] if i < len(group.values) else None, unit, digits)}"
            for i, name in enumerate(series)
        )
        lines.append(f"{group.label}: {values}" + (f" ({group.note})" if group.note else ""))
    return "; ".join(lines)


def csv_response(
    filename: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(cell: object) -> object:
    """Floats with at most four decimals; csvsafe neutralises text that starts like a formula."""
    if isinstance(cell, float):
        return f"{cell:.4f}".rstrip("0").rstrip(".")
    return cell
