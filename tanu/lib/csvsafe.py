"""CSV files that a spreadsheet opens safely: no cell starts like a formula.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab or
carriage return can hide such a start), so text from users or from the database could make it
run commands or send data away when an official opens an export ("CSV injection", OWASP). Every
CSV that tanu writes goes through :func:`writer` (or :func:`safe_cell`), which puts a single quote
before such text cells: the spreadsheet shows the text as it is, with the quote hidden or
visible, and runs nothing.

Numbers stay numbers: a Python ``int``, ``float`` or ``Decimal``, and text that is a plain number
(``"-5"``, ``"+3"``, ``"-0.25"``, ``"1e-3"``), are written unchanged, so statistics with negative
figures still read as numbers. ``"-5+2"`` or ``"-1,5"`` are not plain numbers and are
neutralised. Files read back by tanu itself (the service directory) take the quote off again
with :func:`restore`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

__all__ = ["FORMULA_START", "restore", "safe_cell", "safe_row", "writer"]

#: A cell starting with one of these is neutralised (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs: numbers as they are, None as ``""``,
    text starting with ``= + - @``, tab or carriage return behind a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def restore(text: str) -> str:
    """The text of a cell written by :func:`safe_cell` (the quote taken off again)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`safe_cell`."""

    def __init__(self, stream: _Writable, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable, **kwargs: Any) -> SafeWriter:
    """A CSV writer (same arguments as ``csv.writer``) that neutralises formula cells."""
    return SafeWriter(stream, **kwargs)
