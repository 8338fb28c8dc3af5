"""Aggregate tables as CSV and XLSX, exactly as shown (every figure protected)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tanu.lib import charts, csvsafe
from tanu.reports.filters import Filters
from tanu.reports.stats import PublishedTable
from tanu.reports.suppression import Published


def _cell(value: Published | str) -> Any:
    """Numbers stay numbers; text never starts like a spreadsheet formula (tanu.lib.csvsafe)."""
    if isinstance(value, int):
        return value
    return csvsafe.safe_cell(str(value))


def _filter_lines(filters: Filters) -> list[list[str]]:
    described = filters.describe()
    shown = ", ".join(f"{k}={v}" for k, v in described.items() if v is not None) or _("none")
    # Local time (TANU_TIME_ZONE) in the reader's format, as on the page, with its UTC offset.
    return [[_("filters"), shown], [_("generated"), charts.local_timestamp()]]


def _rounding_line() -> list[str]:
    return [_("note"), str(charts.ROUNDING_NOTE)]


def table_csv(table: PublishedTable, filters: Filters, note: str) -> bytes:
    """One table as CSV (UTF-8 with a byte order mark, so that spreadsheets read Cyrillic)."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    for line in table.grid():
        writer.writerow([_cell(v) for v in line])
    writer.writerow([])
    for about in _filter_lines(filters):
        writer.writerow(about)
    writer.writerow([_("note"), note])
    writer.writerow(_rounding_line())
    return buffer.getvalue().encode("utf-8-sig")


def points_csv(title: str, points: Sequence[tuple[str, Published]], value_label: str) -> bytes:
    """A chart's data as CSV."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow([title, value_label])
    for label, value in points:
        writer.writerow([_cell(label), _cell(value)])
    writer.writerow([])
    writer.writerow(_rounding_line())
    return buffer.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: Sequence[PublishedTable], filters: Filters, note: str) -> bytes:
    """Every table on a sheet of its own, and a sheet about the figures."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "about"
    about.append([_("Statistics from tanu")])
    about["A1"].font = Font(bold=True)
    for about_line in _filter_lines(filters):
        about.append(csvsafe.safe_row(about_line))
    about.append(csvsafe.safe_row([_("note"), note]))
    about.append(csvsafe.safe_row(_rounding_line()))
    about.append([])
    about.append([_("sheet"), _("table")])
    for table in tables:
        about.append(csvsafe.safe_row([table.name[:31], table.title]))
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append([csvsafe.safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True)
        for i, grid_line in enumerate(table.grid()):
            sheet.append([_cell(v) for v in grid_line])
            if i == 0:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        sheet.append([])
        sheet.append(csvsafe.safe_row(_rounding_line()))
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
