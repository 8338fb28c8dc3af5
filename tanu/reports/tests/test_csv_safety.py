"""Statistics downloads never hold a cell that a spreadsheet would run as a formula; negative
figures stay numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tanu.reports import downloads
from tanu.reports.filters import Filters
from tanu.reports.stats import PublishedRow, PublishedTable


def _table() -> PublishedTable:
    return PublishedTable(
        name="by_service",
        title='=HYPERLINK("http://x.example","x")',
        dimension="service",
        unit="cases",
        column_keys=["n"],
        columns=["cases"],
        rows=[
            PublishedRow(key="a", label="=cmd|' /C calc'!A0", values=[-5], total=-5),
            PublishedRow(key="b", label="@SUM(A1:A2)", values=["-3"], total="-3"),
            PublishedRow(key="c", label="Алматы", values=["<5"], total="<5"),
        ],
        column_totals=[7],
        grand_total=7,
        multi=False,
    )


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_table_csv_quotes_formula_cells_and_keeps_negative_figures() -> None:
    rows = _rows(downloads.table_csv(_table(), Filters(), note="+note"))
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1:A2)" in cells
    assert "-5" in cells and "-3" in cells  # numbers, written as numbers
    assert "'+note" in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
    assert not any(cell.startswith("-") and cell not in ("-5", "-3") for cell in cells)


def test_chart_data_csv_quotes_formula_cells() -> None:
    rows = _rows(downloads.points_csv("=title", [("-label", -2), ("ok", 4)], "@value"))
    assert rows[:3] == [["'=title", "'@value"], ["'-label", "-2"], ["ok", "4"]]


def test_the_workbook_holds_no_formula() -> None:
    book = load_workbook(io.BytesIO(downloads.tables_xlsx([_table()], Filters(), note="=note")))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(not (isinstance(v, str) and v.startswith(("=", "@", "+"))) for v in values)
    assert -5 in values
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)
