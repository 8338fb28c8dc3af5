"""The charts of tanu, drawn on the server as SVG: no script and no inline style, so the page's
Content-Security-Policy holds. Every bar carries its own text label, so colour never carries the
meaning alone. Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
lists its figures for screen readers, and the same numbers are always in a table and a CSV
download next to it.

- :func:`published_bar_chart`: the statistics' published figures, one bar each. A "<5" figure is
  drawn as a short hatched, dashed outline (not as a number-sized bar) with its label, so the
  drawing never suggests a value that is not published.
- :func:`bar_chart`: groups of bars, one per series (training results). The drawing is 360 units
  wide, so it is at its natural size on a 360 px phone and scales up on wider screens.
- :func:`csv_response`: the CSV behind a chart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tanu.lib import csvsafe

#: A published figure: a number, or a text such as "<5" for a suppressed cell.
Published = int | str

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


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    """Long labels are cut on the drawing (the description, table and CSV keep them whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


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


# --- The statistics' published figures ---

FIGURES_WIDTH = 680
FIGURES_LABEL_WIDTH = 250
FIGURES_VALUE_WIDTH = 70
FIGURES_ROW_HEIGHT = 26
FIGURES_TOP = 34
FIGURES_BAR_HEIGHT = 16
FILL = "#0b5394"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
FIGURES_LABEL_CHARS = 38


def _id(name: str) -> str:
    return "chart-" + re.sub(r"[^a-z0-9_-]", "-", name.lower())


def published_bar_chart(
    name: str, title: str, points: Sequence[tuple[str, Published]], *, standalone: bool = False
) -> str:
    """An accessible SVG bar chart. ``standalone`` adds the XML declaration and namespace
    attributes a file on its own needs."""
    ident = _id(name)
    numbers = [v for _label, v in points if isinstance(v, int)]
    largest = max(numbers, default=0) or 1
    bar_space = FIGURES_WIDTH - FIGURES_LABEL_WIDTH - FIGURES_VALUE_WIDTH - 16
    height = FIGURES_TOP + FIGURES_ROW_HEIGHT * max(1, len(points)) + 10
    summary = "; ".join(f"{label}: {value}" for label, value in points) or "—"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="{ident}" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {FIGURES_WIDTH} {height}" '
        + (f'width="{FIGURES_WIDTH}" height="{height}" ' if standalone else 'width="100%" ')
        + f'font-family={quoteattr(FONT)} font-size="13">',
        f'<title id="{ident}-title">{xml_escape(title)}</title>',
        f'<desc id="{ident}-desc">{xml_escape(summary)}</desc>',
        "<defs>"
        f'<pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" stroke-width="2"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{FIGURES_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="18" font-weight="700" fill="#1a1a1a">{xml_escape(title)}</text>',
    ]
    if not points:
        parts.append(f'<text x="0" y="{FIGURES_TOP + 16}" fill="#4a4a4a">—</text>')
    for i, (label, value) in enumerate(points):
        y = FIGURES_TOP + i * FIGURES_ROW_HEIGHT
        text_y = y + FIGURES_BAR_HEIGHT - 3
        parts.append(
            f"<g><title>{xml_escape(label)}: {xml_escape(str(value))}</title>"
            f'<text x="{FIGURES_LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="#1a1a1a">'
            f"{xml_escape(_short(label, FIGURES_LABEL_CHARS))}</text>"
        )
        x = FIGURES_LABEL_WIDTH
        if isinstance(value, int):
            width = round(bar_space * value / largest) if value > 0 else 0
            if width:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{width}" height="{FIGURES_BAR_HEIGHT}" '
                    f'fill="{FILL}" stroke="#1a1a1a" stroke-width="0.5"/>'
                )
        else:
            width = 12
            parts.append(
                f'<rect x="{x}" y="{y}" width="{width}" height="{FIGURES_BAR_HEIGHT}" '
                f'fill="url(#{ident}-hatch)" stroke="#1a1a1a" stroke-dasharray="2 2"/>'
            )
        parts.append(
            f'<text x="{x + width + 6}" y="{text_y}" fill="#1a1a1a">'
            f"{xml_escape(str(value))}</text></g>"
        )
    parts.append("</svg>")
    svg = "".join(parts)
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
    return svg
