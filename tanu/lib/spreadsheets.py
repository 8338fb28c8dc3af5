"""Rows of an uploaded spreadsheet, CSV or XLSX, read defensively.

Used by every import of a file filled in by hand (a seminar's participants, a legacy register of
persons). The two kinds are told apart by their content, not their name:

- XLSX (a zip file) is read with openpyxl in read-only mode, first sheet only, values not
  formulas. Before it is opened, the sizes its entries declare are added up: a "zip bomb" (a
  small file that unpacks to gigabytes) is refused, and the zip reader never unpacks an entry
  beyond its declared size.
- CSV is UTF-8 (with or without the byte-order mark Excel writes) or, failing that, Windows-1251
  (Excel set to Russian or Kazakh); separated by ``,``, ``;`` (Excel where the decimal separator
  is a comma, as in Kazakhstan) or tab, whichever the first line has most of. A file with NUL
  bytes is binary and refused. Cells that tanu's own CSV files protect against formulas
  (tanu.lib.csvsafe) get their text back.

Problems are raised as :class:`SpreadsheetError` with a :attr:`~SpreadsheetError.kind`; the caller
turns the kind into a message in the user's language.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Literal

from tanu.lib import csvsafe

Problem = Literal["empty", "unreadable", "too_large"]


class SpreadsheetError(Exception):
    """The file as a whole cannot be used: ``empty``, ``unreadable`` or ``too_large``."""

    def __init__(self, kind: Problem) -> None:
        super().__init__(kind)
        self.kind: Problem = kind


@dataclass(frozen=True)
class Limits:
    """How much a file may hold: bytes as uploaded, bytes unpacked (XLSX), rows (with the
    header) and columns read."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    max_columns: int = 20


def _xlsx_rows(data: bytes, limits: Limits) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(max_col=limits.max_columns, values_only=True):
            rows.append(["" if v is None else str(v) for v in values])
            if len(rows) > limits.max_rows:
                break
        book.close()
    except Exception as exc:  # a damaged or disguised file: openpyxl raises many kinds
        raise SpreadsheetError("unreadable") from exc
    return rows


def _csv_rows(data: bytes, limits: Limits) -> list[list[str]]:
    if b"\x00" in data:
        raise SpreadsheetError("unreadable")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")  # spreadsheets set to Russian
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([csvsafe.restore(cell) for cell in row[: limits.max_columns]])
            if len(rows) > limits.max_rows:
                break
    except csv.Error as exc:
        raise SpreadsheetError("unreadable") from exc
    return rows


def read_rows(data: bytes, limits: Limits) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file, header first, as text cells. At most
    ``limits.max_rows + 1`` rows are read: a caller that gets more knows the file is too long."""
    if not data.strip():
        raise SpreadsheetError("empty")
    if len(data) > limits.max_bytes:
        raise SpreadsheetError("too_large")
    if data[:4] == b"PK\x03\x04":  # a zip file: XLSX, or something else that cannot be read
        try:
            unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SpreadsheetError("unreadable") from exc
        if unpacked > limits.max_unpacked_bytes:  # a "zip bomb", or far more than a list
            raise SpreadsheetError("too_large")
        return _xlsx_rows(data, limits)
    return _csv_rows(data, limits)
