"""Shared steps for the register tests: registers written as CSV or XLSX, and the command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command

from tanu.registers.imports import COLUMNS

#: Aigerim Sarsenbaeva in the four spellings a register may hold her in.
SPELLINGS = [
    ("Сәрсенбаева", "Әйгерім"),  # Kazakh Cyrillic
    ("Сарсенбаева", "Айгерим"),  # Kazakh on a Russian keyboard
    ("SARSENBAEVA", "AIGERIM"),  # passport Latin
    ("Särsenbaeva", "Äigerım"),  # the 2021 Kazakh Latin alphabet
]


def row(external_id: str, **values: str) -> dict[str, str]:
    return {"external_id": external_id, **values}


def register_csv(
    rows: list[dict[str, str]],
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    columns: tuple[str, ...] = COLUMNS,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def register_xlsx(rows: list[dict[str, object]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    for values in rows:
        sheet.append([values.get(column, None) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(path: Path, agency_id: int, *options: str) -> tuple[str, str]:
    """``tanu persons import`` with its output and error output."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "persons", "import", str(path), "--agency", str(agency_id), *options, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, content: bytes, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path
