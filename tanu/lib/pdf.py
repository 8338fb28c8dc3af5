"""PDF documents (reports, slips, certificates, exports) with reportlab and a font that has
Kazakh and Russian letters (DejaVu Sans, shipped with tanu)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))


@dataclass
class Section:
    heading: str
    rows: Sequence[tuple[str, str]] = ()
    paragraphs: Sequence[str] = ()
    table: Sequence[Sequence[str]] = field(default_factory=list)


def render(
    title: str, sections: Sequence[Section], *, subtitle: str = "", footer: str = ""
) -> bytes:
    """A simple, accessible document: a title, then sections of key/value rows and paragraphs."""
    _register_fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "tanu-body", parent=styles["BodyText"], fontName="DejaVuSans", fontSize=10
    )
    head = ParagraphStyle("tanu-h2", parent=styles["Heading2"], fontName="DejaVuSans-Bold")
    top = ParagraphStyle("tanu-h1", parent=styles["Title"], fontName="DejaVuSans-Bold")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm
    )
    story: list[object] = [Paragraph(escape(title), top)]
    if subtitle:
        story.append(Paragraph(escape(subtitle), body))
    for section in sections:
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(escape(section.heading), head))
        if section.rows:
            data = [
                [Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in section.rows
            ]
            table = Table(data, colWidths=[55 * mm, None])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        if section.table:
            grid = [[Paragraph(escape(str(c)), body) for c in row] for row in section.table]
            table = Table(grid, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        for paragraph in section.paragraphs:
            story.append(Paragraph(escape(paragraph), body))
    if footer:
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(escape(footer), body))
    doc.build(story)
    return buffer.getvalue()
