"""Charts drawn by the app as SVG: horizontal bars, each labelled with its figure, so that
colour is never the only carrier of meaning. Every chart is an ``<svg role="img">`` with a
``<title>`` and a ``<desc>`` that lists its figures for screen readers. No script, no inline
style (only SVG presentation attributes, which the Content-Security-Policy allows).

A "<5" figure is drawn as a short hatched, dashed outline (not as a number-sized bar) with its
label, so that the drawing never suggests a value that is not published."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from tanu.reports.suppression import Published

WIDTH = 680
LABEL_WIDTH = 250
VALUE_WIDTH = 70
ROW_HEIGHT = 26
TOP = 34
BAR_HEIGHT = 16
FILL = "#0b5394"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
MAX_LABEL_CHARS = 38


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def _id(name: str) -> str:
    return "chart-" + re.sub(r"[^a-z0-9_-]", "-", name.lower())


def bar_chart(
    name: str, title: str, points: Sequence[tuple[str, Published]], *, standalone: bool = False
) -> str:
    """An accessible SVG bar chart. ``standalone`` adds the XML declaration and namespace
    attributes a file on its own needs."""
    ident = _id(name)
    numbers = [v for _label, v in points if isinstance(v, int)]
    largest = max(numbers, default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16
    height = TOP + ROW_HEIGHT * max(1, len(points)) + 10
    summary = "; ".join(f"{label}: {value}" for label, value in points) or "—"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="{ident}" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}" '
        + (f'width="{WIDTH}" height="{height}" ' if standalone else 'width="100%" ')
        + f'font-family={quoteattr(FONT)} font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
        "<defs>"
        f'<pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" stroke-width="2"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="18" font-weight="700" fill="#1a1a1a">{escape(title)}</text>',
    ]
    if not points:
        parts.append(f'<text x="0" y="{TOP + 16}" fill="#4a4a4a">—</text>')
    for i, (label, value) in enumerate(points):
        y = TOP + i * ROW_HEIGHT
        text_y = y + BAR_HEIGHT - 3
        parts.append(
            f"<g><title>{escape(label)}: {escape(str(value))}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="#1a1a1a">'
            f"{escape(_shorten(label))}</text>"
        )
        x = LABEL_WIDTH
        if isinstance(value, int):
            width = round(bar_space * value / largest) if value > 0 else 0
            if width:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                    f'fill="{FILL}" stroke="#1a1a1a" stroke-width="0.5"/>'
                )
        else:
            width = 12
            parts.append(
                f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="url(#{ident}-hatch)" stroke="#1a1a1a" stroke-dasharray="2 2"/>'
            )
        parts.append(
            f'<text x="{x + width + 6}" y="{text_y}" fill="#1a1a1a">{escape(str(value))}</text></g>'
        )
    parts.append("</svg>")
    svg = "".join(parts)
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
    return svg
