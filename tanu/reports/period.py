"""The quarterly period report as PDF, in Kazakh, Russian or English: the main tables (every
figure protected) and charts drawn with reportlab, labelled with their figures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tanu.accounts.models import Region
from tanu.lib.charts import ROUNDING_NOTE
from tanu.lib.pdf import FONT_DIR
from tanu.reports import stats
from tanu.reports.filters import Filters
from tanu.reports.suppression import Published

LANGUAGES = ("kk", "ru", "en")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
#: The tables of the report, in order.
REPORT_TABLES = (
    "by_region",
    "by_month",
    "by_form",
    "by_age_group",
    "by_agency_type",
    "persons_by_sex",
    "persons_by_citizenship",
    "persons_by_age_band",
)


def _fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def quarter_filters(base: Filters, year: int, quarter: int) -> Filters:
    return replace(base, year=year, month_from=3 * quarter - 2, month_to=3 * quarter)


def bar_drawing(points: Sequence[tuple[str, Published]], width: float = 170 * mm) -> Drawing:
    """Horizontal bars, each with its label and figure; "<5" as a short dashed outline."""
    row = 16
    label_width = 70 * mm
    value_width = 18 * mm
    height = row * max(1, len(points)) + 4
    drawing = Drawing(width, height)
    numbers = [v for _l, v in points if isinstance(v, int)]
    largest = max(numbers, default=0) or 1
    space = width - label_width - value_width
    for i, (label, value) in enumerate(points):
        y = height - (i + 1) * row
        short = label if len(label) <= 42 else label[:41] + "…"
        drawing.add(
            String(label_width - 4, y + 4, short, fontName=FONT, fontSize=8, textAnchor="end")
        )
        if isinstance(value, int):
            bar = space * value / largest
            if bar > 0:
                drawing.add(
                    Rect(
                        label_width,
                        y + 2,
                        bar,
                        row - 5,
                        fillColor=colors.HexColor("#0b5394"),
                        strokeColor=colors.black,
                        strokeWidth=0.3,
                    )
                )
        else:
            bar = 8
            drawing.add(
                Rect(
                    label_width,
                    y + 2,
                    bar,
                    row - 5,
                    fillColor=colors.white,
                    strokeColor=colors.black,
                    strokeWidth=0.5,
                    strokeDashArray=[2, 2],
                )
            )
        drawing.add(String(label_width + bar + 3, y + 4, str(value), fontName=FONT, fontSize=8))
    return drawing


def render(filters: Filters, year: int, quarter: int, lang: str) -> bytes:
    """The report for one quarter within the user's filters, in one language."""
    _fonts()
    with translation.override(lang):
        period = quarter_filters(filters, year, quarter)
        data = stats.overview(period)
        region = Region.objects.filter(pk=period.region_id).first() if period.region_id else None
        title = _("Statistics for quarter %(quarter)s of %(year)s") % {
            "quarter": quarter,
            "year": year,
        }
        scope = region.name if region else _("Kazakhstan, all regions")
        styles = getSampleStyleSheet()
        body = ParagraphStyle("r-body", parent=styles["BodyText"], fontName=FONT, fontSize=9)
        small = ParagraphStyle("r-small", parent=body, fontSize=8)
        head = ParagraphStyle("r-h2", parent=styles["Heading2"], fontName=FONT_BOLD, fontSize=12)
        top = ParagraphStyle("r-h1", parent=styles["Title"], fontName=FONT_BOLD, fontSize=16)
        story: list[object] = [
            Paragraph(escape(title), top),
            Paragraph(escape(scope), body),
            Paragraph(
                escape(
                    _("Generated on %(date)s by tanu.")
                    % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
                ),
                small,
            ),
            Paragraph(escape(data.note), small),
        ]
        funnel = data.table("funnel")
        if funnel is not None:
            story += _section(funnel, body, small, head, chart=True)
        story += _section(stats.timings_table(data.timings), body, small, head, chart=False)
        for name in REPORT_TABLES:
            table = data.table(name)
            if table is not None:
                story += _section(table, body, small, head, chart=name in ("by_region", "by_month"))
        for table in data.optional:
            story += _section(table, body, small, head, chart=False)
        if data.proceedings:
            story += [Spacer(1, 6 * mm), Paragraph(escape(_("Criminal proceedings")), top)]
            for table in data.proceedings:
                story += _section(table, body, small, head, chart=False)
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=title,
            author="tanu",
            lang=lang,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
        )
        doc.build(story)
        return buffer.getvalue()


def _section(
    table: stats.PublishedTable,
    body: ParagraphStyle,
    small: ParagraphStyle,
    head: ParagraphStyle,
    *,
    chart: bool,
) -> list[object]:
    grid = [[Paragraph(escape(str(cell)), small) for cell in line] for line in table.grid()]
    widths = None
    if grid:
        first = 62 * mm
        rest = (174 * mm - first) / max(1, len(grid[0]) - 1)
        widths = [first, *([rest] * (len(grid[0]) - 1))]
    flow = Table(grid, repeatRows=1, colWidths=widths)
    flow.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    parts: list[object] = [Spacer(1, 4 * mm), Paragraph(escape(table.title), head)]
    if chart and table.rows:
        parts.append(KeepTogether([bar_drawing(table.chart_points()), Spacer(1, 2 * mm)]))
    parts.append(flow)
    parts.append(Paragraph(escape(str(ROUNDING_NOTE)), small))
    if table.note:
        parts.append(Paragraph(escape(table.note), small))
    return parts
