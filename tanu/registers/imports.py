"""A legacy register of persons from a spreadsheet: the template, and the check of every row.

The columns are fixed codes, the same in every language (the header row of the template):
:data:`COLUMNS`. Only ``external_id`` and one of the three names are required; a column may be
left out of the file altogether, except ``external_id`` and at least one name column.

- Names are taken as written, in any script (Kazakh or Russian Cyrillic, passport Latin, the
  2021 Kazakh Latin alphabet): search and linkage compare them through tanu.lib.translit.
- Dates are ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (a date cell of an XLSX file is read as a date).
- Sex is ``F`` or ``M`` (Latin, or the Cyrillic letters that look or mean the same: ``Ж``,
  ``М``), or empty.
- The region is an ISO 3166-2 code (``KZ-75``; the codes before 2020, such as ``KZ-ALA``, are
  read too), or the region's name in Kazakh, Russian or English.
- An outcome that is not one of tanu's outcome codes is left empty (a legacy register's own
  words are kept in the notes, if the agency wants them).

All or nothing: every row is checked, and any problem (listed with its row number as a
spreadsheet numbers it, the header being row 1, its column and the reason, in the reader's
language) means nothing is imported. A row whose ``external_id`` the agency imported before is
not a problem: it is left as it is, even if its values changed, and counted as imported before.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tanu.accounts.models import Agency, Region
from tanu.cases.actions import ImportedPerson
from tanu.cases.models import Sex
from tanu.identification.engine import ALL_OUTCOMES
from tanu.lib import crypto, csvsafe, spreadsheets
from tanu.registers.models import ImportedRecord

MAX_ROWS = 20_000
MAX_BYTES = 8 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an XLSX file is a zip: its content, unpacked
LIMITS = spreadsheets.Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS + 1,  # and the header
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_columns=30,
)

COLUMNS = (
    "external_id",
    "family_name",
    "given_name",
    "patronymic",
    "date_of_birth",
    "sex",
    "citizenship",
    "document_number",
    "region",
    "registered_on",
    "outcome",
    "notes",
)
NAMES = ("family_name", "given_name", "patronymic")
MAX_LENGTH = {
    "external_id": 100,
    "family_name": 200,
    "given_name": 200,
    "patronymic": 200,
    "citizenship": 40,
    "document_number": 40,
    "notes": 5000,
}
EARLIEST = date(1900, 1, 1)
EXTERNAL_ID_KIND = "text.external_id"

#: ISO 3166-2:KZ codes before the 2020 revision, still in older registers.
FORMER_CODES = {
    "KZ-AST": "KZ-71",
    "KZ-ALA": "KZ-75",
    "KZ-SHY": "KZ-79",
    "KZ-AKM": "KZ-11",
    "KZ-AKT": "KZ-15",
    "KZ-ALM": "KZ-19",
    "KZ-ATY": "KZ-23",
    "KZ-ZAP": "KZ-27",
    "KZ-ZHA": "KZ-31",
    "KZ-KAR": "KZ-35",
    "KZ-KUS": "KZ-39",
    "KZ-KZY": "KZ-43",
    "KZ-MAN": "KZ-47",
    "KZ-PAV": "KZ-55",
    "KZ-SEV": "KZ-59",
    "KZ-YUZ": "KZ-61",
    "KZ-VOS": "KZ-63",
}
SEXES = {"F": Sex.FEMALE, "Ж": Sex.FEMALE, "M": Sex.MALE, "М": Sex.MALE}

MSG_EMPTY = gettext_noop("The file is empty. Download the template and fill it in.")
MSG_NOT_READABLE = gettext_noop(
    "This file cannot be read as CSV or XLSX. Download the template, fill it in and save it "
    "as XLSX or as CSV."
)
MSG_TOO_LARGE = gettext_noop(
    "The file is too large: at most %(mb)s MB and %(rows)s rows at a time."
)
MSG_HEADER = gettext_noop(
    "The first row must be the template's header (%(columns)s). Missing: %(missing)s."
)
MSG_NO_ROWS = gettext_noop("The file has a header but no rows.")
MSG_REQUIRED = gettext_noop("The external id is empty.")
MSG_NO_NAME = gettext_noop("There is no name: fill in the family name, given name or patronymic.")
MSG_TOO_LONG = gettext_noop("Longer than %(max)s characters.")
MSG_DUPLICATE = gettext_noop("The same external id as in row %(row)s.")
MSG_DATE = gettext_noop("“%(value)s” is not a date: write YYYY-MM-DD or DD.MM.YYYY.")
MSG_FUTURE = gettext_noop("The date is in the future.")
MSG_TOO_EARLY = gettext_noop("The date is before 1900.")
MSG_SEX = gettext_noop("“%(value)s” is not F, M or empty.")
MSG_REGION = gettext_noop(
    "“%(value)s” is not a region of Kazakhstan: write its code (KZ-75) or its name."
)


class RegisterFileError(Exception):
    """The file as a whole cannot be used: nothing was imported. The message is for the user."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class CheckedRow:
    number: int
    external_id: str
    digest: str
    region_id: int | None
    person: ImportedPerson


@dataclass
class CheckedFile:
    """Every row of a file checked: the problems, the rows to import and the count of rows the
    agency imported before."""

    digest: str
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    already_imported: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(text: str) -> str:
    return " ".join(str(text).replace("ё", "е").replace("Ё", "Е").split()).casefold()


def too_large() -> str:
    return _(MSG_TOO_LARGE) % {"mb": MAX_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def external_id_digest(external_id: str) -> str:
    return crypto.blind_index(external_id, kind=EXTERNAL_ID_KIND)


# -- the template --------------------------------------------------------------------------


def template_csv() -> bytes:
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for index in range(1, len(COLUMNS) + 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 40 if COLUMNS[index - 1] == "notes" else 18
        # Text cells: Excel keeps leading zeros of ids and document numbers.
        sheet.column_dimensions[letter].number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- checking a file -----------------------------------------------------------------------


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (also as an XLSX date cell reads, with a midnight time) or ``DD.MM.YYYY``;
    None when it is neither or no such day exists."""
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DOTTED.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def region_names() -> dict[str, int]:
    """Region ids by code (current and former) and by name in the three languages."""
    names: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for region in Region.objects.all():
        by_code[region.code] = region.pk
        for text in (region.code, region.name_en, region.name_ru, region.name_kk):
            if text:
                names[_key(text)] = region.pk
    for former, current in FORMER_CODES.items():
        if current in by_code:
            names[_key(former)] = by_code[current]
    return names


def _check_date(
    text: str, column: str, number: int, today: date, problems: list[RowProblem]
) -> date | None:
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        problems.append(RowProblem(number, column, _(MSG_DATE) % {"value": text[:40]}))
    elif day > today:
        problems.append(RowProblem(number, column, _(MSG_FUTURE)))
    elif day < EARLIEST:
        problems.append(RowProblem(number, column, _(MSG_TOO_EARLY)))
    else:
        return day
    return None


def _cells(header: list[str], row: list[str]) -> dict[str, str]:
    cells = dict.fromkeys(COLUMNS, "")
    for index, code in enumerate(header):
        if code and index < len(row) and not cells[code]:
            value = row[index]
            cells[code] = value.strip() if code == "notes" else " ".join(value.split())
    return cells


def _person(cells: dict[str, str], born: date | None) -> dict[str, object]:
    number = cells["document_number"]
    return {
        "family_name": cells["family_name"],
        "given_name": cells["given_name"],
        "patronymic": cells["patronymic"],
        "date_of_birth": born.isoformat() if born else "",
        "sex": SEXES.get(cells["sex"].upper(), Sex.UNKNOWN),
        "citizenship": cells["citizenship"],
        "documents": [{"type": "other", "number": number}] if number else [],
    }


def _outcome(text: str) -> str:
    code = re.sub(r"[\s-]+", "_", text.strip().casefold())
    return code if code in ALL_OUTCOMES else ""


def read_header(rows: list[list[str]]) -> list[str]:
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RegisterFileError(_(MSG_EMPTY))
    header = [_key(cell).lstrip("\ufeff") for cell in rows[0]]
    header = [code if code in COLUMNS else "" for code in header]
    missing = [] if "external_id" in header else ["external_id"]
    if not any(name in header for name in NAMES):
        missing.append(" / ".join(NAMES))
    if missing:
        raise RegisterFileError(
            _(MSG_HEADER) % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    return header


def check_file(
    data: bytes, agency: Agency, *, progress: Callable[[int], None] | None = None
) -> CheckedFile:
    """Every row checked; raises :class:`RegisterFileError` when the file as a whole is
    unusable. ``progress`` is told the rows checked so far, every thousand rows."""
    try:
        rows = spreadsheets.read_rows(data, LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        if exc.kind == "too_large":
            raise RegisterFileError(too_large()) from exc
        message = MSG_EMPTY if exc.kind == "empty" else MSG_NOT_READABLE
        raise RegisterFileError(_(message)) from exc
    header = read_header(rows)
    body = [(number, row) for number, row in enumerate(rows[1:], 2) if any(c.strip() for c in row)]
    if len(body) > MAX_ROWS:
        raise RegisterFileError(too_large())
    if not body:
        raise RegisterFileError(_(MSG_NO_ROWS))

    regions = region_names()
    today = timezone.localdate()
    result = CheckedFile(digest=file_digest(data), total=len(body))
    seen: dict[str, int] = {}
    checked: list[tuple[int, str, str, int | None, ImportedPerson]] = []
    for count, (number, row) in enumerate(body, 1):
        cells = _cells(header, row)
        problems: list[RowProblem] = []
        for code, limit in MAX_LENGTH.items():
            if len(cells[code]) > limit:
                problems.append(RowProblem(number, code, _(MSG_TOO_LONG) % {"max": limit}))
        digest = ""
        if not cells["external_id"]:
            problems.append(RowProblem(number, "external_id", _(MSG_REQUIRED)))
        else:
            digest = external_id_digest(cells["external_id"])
            if digest in seen:
                problems.append(
                    RowProblem(number, "external_id", _(MSG_DUPLICATE) % {"row": seen[digest]})
                )
            seen.setdefault(digest, number)
        if not any(cells[name] for name in NAMES):
            problems.append(RowProblem(number, " / ".join(NAMES), _(MSG_NO_NAME)))
        born = _check_date(cells["date_of_birth"], "date_of_birth", number, today, problems)
        registered = _check_date(cells["registered_on"], "registered_on", number, today, problems)
        if cells["sex"] and cells["sex"].upper() not in SEXES:
            problems.append(RowProblem(number, "sex", _(MSG_SEX) % {"value": cells["sex"][:20]}))
        region_id = regions.get(_key(cells["region"])) if cells["region"] else None
        if cells["region"] and region_id is None:
            problems.append(
                RowProblem(number, "region", _(MSG_REGION) % {"value": cells["region"][:60]})
            )
        if problems:
            result.problems.extend(problems)
        elif not result.problems:
            person = ImportedPerson(
                person=_person(cells, born),
                registered_on=registered,
                outcome=_outcome(cells["outcome"]),
                notes=cells["notes"],
            )
            checked.append((number, cells["external_id"], digest, region_id, person))
        if progress and count % 1000 == 0:
            progress(count)
    if progress:
        progress(len(body))
    if result.problems:
        return result
    digests = list(seen)
    known: set[str] = set()
    for start in range(0, len(digests), 5000):
        known.update(
            ImportedRecord.objects.filter(
                agency=agency, digest__in=digests[start : start + 5000]
            ).values_list("digest", flat=True)
        )
    for number, external_id, digest, region_id, person in checked:
        if digest in known:
            result.already_imported += 1
        else:
            result.rows.append(CheckedRow(number, external_id, digest, region_id, person))
    return result
