"""The anonymised export's codebook (docs/anonymised-export.md) and its metadata file say the same
things: a recipient reads the page, a program reads the metadata, and neither may drift."""

from __future__ import annotations

import re
from pathlib import Path

from tanu.reports import anonymise
from tanu.reports.anonymise import COLUMNS, QUASI_IDENTIFIERS, make_plan, meta

CODEBOOK = Path(__file__).resolve().parents[3] / "docs" / "anonymised-export.md"


def _section(title: str) -> list[str]:
    """The lines of one '## ' section of the codebook."""
    text = CODEBOOK.read_text(encoding="utf-8")
    body = text.split(f"\n## {title}\n", 1)[1]
    return body.split("\n## ", 1)[0].splitlines()


def _table(lines: list[str]) -> dict[str, list[str]]:
    """The rows of the section's first table, keyed by their first cell's `name`."""
    rows: dict[str, list[str]] = {}
    for line in lines:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cells and re.fullmatch(r"`\w+`", cells[0]):
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def _metadata() -> dict:
    plan = make_plan({("2025", "KZ-75", "KZ", "25-34", "Female", "labour"): 11})
    return meta(plan, written=11, scope="KZ", source="tanu")


def test_the_codebook_describes_every_column_as_the_metadata_mapping_does() -> None:
    table = _table(_section("The CSV"))
    mapping = _metadata()["mapping"]

    assert list(table) == list(COLUMNS)
    assert {column: cells[0] for column, cells in table.items()} == mapping


def test_the_codebook_names_the_generalisation_levels_as_the_metadata_does() -> None:
    table = _table(_section("Generalisation"))
    generalisation = _metadata()["generalisation"]

    assert list(table) == list(QUASI_IDENTIFIERS)
    for name in QUASI_IDENTIFIERS:
        levels = [cell for cell in table[name] if cell]
        assert levels == generalisation[name]["levels"] == list(anonymise.LEVEL_NAMES[name])


def test_the_codebook_lists_the_metadata_notes_word_for_word_in_order() -> None:
    notes = [
        line.split(". ", 1)[1]
        for line in _section("The metadata's notes")
        if re.match(r"\d+\. ", line)
    ]

    assert notes == _metadata()["notes"]


def test_the_codebook_explains_every_other_metadata_key() -> None:
    explained = {
        key
        for line in _section("The metadata's other keys")
        if line.startswith("| `")
        for key in re.findall(r"`(\w+)`", line.split("|")[1])
    }
    described_above = {"mapping", "generalisation", "notes"}

    assert explained == set(_metadata()) - described_above
