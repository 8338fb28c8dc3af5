"""The charts of tanu, drawn on the server as SVG: no script and no inline style, so the page's
Content-Security-Policy holds. Every bar carries its own text label, so colour never carries the
meaning alone. Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
lists its figures for screen readers, and the same numbers are always in a table and a CSV
download next to it.

- :func:`published_bar_chart`: the statistics' published figures, one horizontal bar each, its
  label on the line above. A "<5" figure is drawn as a short hatched, dashed outline (not as a
  number-sized bar) with its label, so the drawing never suggests a value that is not published.
- :func:`bar_chart`: groups of horizontal bars, one per series (training results).
- :func:`csv_response`: the CSV behind a chart, with the rounding note under it.

Phone first: both drawings are :data:`WIDTH` (360) units wide and their smallest text is
:data:`MIN_FONT` units, so that on a 360 px phone, where the drawing is shrunk to the page's
width (about 336 px), no text is drawn smaller than 12 px. A page caps the drawing's width
(``max-width``) so that it does not grow without end on a wide screen.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from tanu.lib import csvsafe

#: A published figure: a number, or a text such as "<5" for a suppressed cell.
Published = int | str

#: Said beside every table of figures (pages, the PDF, CSV and XLSX downloads): one shared text.
ROUNDING_NOTE = gettext_lazy(
    "Figures are rounded separately, so totals may differ from the sum of their parts."
)

WIDTH = 360
#: The smallest text on a drawing, in drawing units: 12 px or more on a 360 px phone.
MIN_FONT = 14
LABEL_FONT = 15
BAR_AREA = 160
LABEL_CHARS = 38
NOTE_HEIGHT = 18
BAR_HEIGHT = 18
ROW_GAP = 4
LABEL_HEIGHT = 22
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
            f'<text x="0" y="24" font-size="{LABEL_FONT}" fill="#1a1a1a">{escape(empty_text)}</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
    scale = BAR_AREA / max_value if max_value else 0
    y = 4
    for group in groups:
        y += LABEL_HEIGHT - 4
        parts.append(
            f'<text x="0" y="{y}" font-size="{LABEL_FONT}" font-weight="bold" fill="#1a1a1a">'
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
                f'<text x="{length + 4:.1f}" y="{y + BAR_HEIGHT - 4}" font-size="{MIN_FONT}" '
                f'fill="#1a1a1a">{escape(f"{name}: {_fmt(value, unit, digits)}")}</text>'
            )
            y += BAR_HEIGHT + ROW_GAP
        if group.note:
            parts.append(
                f'<text x="0" y="{y + NOTE_HEIGHT - 5}" font-size="{MIN_FONT}" fill="#1a1a1a">'
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
    filename: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    notes: Sequence[Sequence[object]] = (),
) -> HttpResponse:
    """The rows, then an empty line and the ``notes`` lines (e.g. the rounding note and when
    the file was made, in local time)."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    if notes:
        writer.writerow([])
        for line in notes:
            writer.writerow([_csv_cell(cell) for cell in line])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def local_timestamp() -> str:
    """Now, in local time (TANU_TIME_ZONE) in the reader's format, with its offset from UTC,
    e.g. "05.12.2026 02:38 (UTC+05:00)": what downloads say about when they were made."""
    now = timezone.localtime()
    offset = now.strftime("%z") or "+0000"
    shown = formats.date_format(now, "SHORT_DATETIME_FORMAT")
    return f"{shown} (UTC{offset[:3]}:{offset[3:]})"


def _csv_cell(cell: object) -> object:
    """Floats with at most four decimals; csvsafe neutralises text that starts like a formula."""
    if isinstance(cell, float):
        return f"{cell:.4f}".rstrip("0").rstrip(".")
    return cell


# --- The statistics' published figures ---

FIGURES_WIDTH = WIDTH
FIGURES_VALUE_WIDTH = 64
FIGURES_LABEL_HEIGHT = 20
FIGURES_BAR_HEIGHT = 18
FIGURES_ROW_HEIGHT = FIGURES_LABEL_HEIGHT + FIGURES_BAR_HEIGHT + 8
FIGURES_TITLE_HEIGHT = 28
FILL = "#0b5394"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
FIGURES_LABEL_CHARS = 40


def _id(name: str) -> str:
    return "chart-" + re.sub(r"[^a-z0-9_-]", "-", name.lower())


def published_bar_chart(
    name: str, title: str, points: Sequence[tuple[str, Published]], *, standalone: bool = False
) -> str:
    """An accessible SVG chart of horizontal bars: each label on its own line, its bar under it
    and the figure at the bar's end. ``standalone`` (a file on its own) adds the XML declaration,
    a fixed size and the title drawn on top; on a page the heading above says the title."""
    ident = _id(name)
    numbers = [v for _label, v in points if isinstance(v, int)]
    largest = max(numbers, default=0) or 1
    bar_space = FIGURES_WIDTH - FIGURES_VALUE_WIDTH
    top = FIGURES_TITLE_HEIGHT if standalone else 4
    height = top + FIGURES_ROW_HEIGHT * max(1, len(points)) + 4
    summary = "; ".join(f"{label}: {value}" for label, value in points) or "—"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="{ident}" class="chart" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {FIGURES_WIDTH} {height}" '
        + (f'width="{FIGURES_WIDTH}" height="{height}" ' if standalone else 'width="100%" ')
        + f'font-family={quoteattr(FONT)} font-size="{LABEL_FONT}">',
        f'<title id="{ident}-title">{xml_escape(title)}</title>',
        f'<desc id="{ident}-desc">{xml_escape(summary)}</desc>',
        "<defs>"
        f'<pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" stroke-width="2"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{FIGURES_WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    if standalone:
        parts.append(
            f'<text x="0" y="18" font-weight="700" fill="#1a1a1a">'
            f"{xml_escape(_short(title, FIGURES_LABEL_CHARS))}</text>"
        )
    if not points:
        parts.append(f'<text x="0" y="{top + 16}" fill="#4a4a4a">—</text>')
    for i, (label, value) in enumerate(points):
        y = top + i * FIGURES_ROW_HEIGHT
        bar_y = y + FIGURES_LABEL_HEIGHT
        parts.append(
            f"<g><title>{xml_escape(label)}: {xml_escape(str(value))}</title>"
            f'<text x="0" y="{y + FIGURES_LABEL_HEIGHT - 5}" fill="#1a1a1a">'
            f"{xml_escape(_short(label, FIGURES_LABEL_CHARS))}</text>"
        )
        if isinstance(value, int):
            width = round(bar_space * value / largest) if value > 0 else 0
            if width:
                parts.append(
                    f'<rect x="0" y="{bar_y}" width="{width}" height="{FIGURES_BAR_HEIGHT}" '
                    f'fill="{FILL}" stroke="#1a1a1a" stroke-width="0.5"/>'
                )
        else:
            width = 12
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{width}" height="{FIGURES_BAR_HEIGHT}" '
                f'fill="url(#{ident}-hatch)" stroke="#1a1a1a" stroke-dasharray="2 2"/>'
            )
        parts.append(
            f'<text x="{width + 6}" y="{bar_y + FIGURES_BAR_HEIGHT - 4}" fill="#1a1a1a" '
            f'font-weight="700">{xml_escape(str(value))}</text></g>'
        )
    parts.append("</svg>")
    svg = "".join(parts)
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
    return svg
