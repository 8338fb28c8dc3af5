"""A seminar's participants from a spreadsheet: the template to fill in (CSV or XLSX) and the
check of an uploaded file.

The header row may be in Kazakh, Russian or English, or use the column codes (``full_name``,
``role``, ``agency``, ``position``): the template comes with the headers in the reader's
language, and a file made from a colleague's template in another language is read as well.
Roles are written as in the template's list, in any of the three languages, or as codes.

The import is all or nothing: every row is checked first, and one bad row (a missing name, an
unknown role, the same person twice in the file or already on the list) means nothing is
imported; the problems are listed by row number, as a spreadsheet numbers them (the header is
row 1). Files larger than :data:`MAX_BYTES` or with more than :data:`MAX_ROWS` participants are
refused as a whole.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from tanu.accounts.models import Agency
from tanu.lib import csvsafe, spreadsheets
from tanu.training.models import Participant, ParticipantRole, Seminar

MAX_BYTES = 1024 * 1024
MAX_ROWS = 300
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX file is a zip: its content, unpacked
MAX_COLUMNS = 20
LIMITS = spreadsheets.Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS + 1,  # and the header
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_columns=MAX_COLUMNS,
)
MAX_LENGTH = 200
COLUMNS = ("full_name", "role", "agency", "position")
REQUIRED = ("full_name", "role", "agency")

COLUMN_LABELS = {
    "full_name": gettext_noop("Full name (surname first)"),
    "role": gettext_noop("Role"),
    "agency": gettext_noop("Organisation"),
    "position": gettext_noop("Position"),
}

MSG_EMPTY = gettext_noop("The file is empty. Download the template and fill it in.")
MSG_NOT_READABLE = gettext_noop(
    "This file cannot be read as CSV or XLSX. Download the template, fill it in and save it "
    "as XLSX or as “CSV UTF-8”."
)
MSG_TOO_LARGE = gettext_noop(
    "The file is too large: at most %(mb)s MB and %(rows)s participants at a time."
)
MSG_HEADER = gettext_noop(
    "The first row must be the template's header (%(columns)s). Missing: %(missing)s."
)
MSG_NO_ROWS = gettext_noop("The file has a header but no participants.")
MSG_NAME = gettext_noop("The name is empty.")
MSG_ROLE_EMPTY = gettext_noop("The role is empty.")
MSG_ROLE = gettext_noop("“%(value)s” is not a role from the list.")
MSG_AGENCY = gettext_noop("The organisation is empty.")
MSG_TOO_LONG = gettext_noop("“%(column)s” is longer than %(max)s characters.")
MSG_DUPLICATE_FILE = gettext_noop("The same person as in row %(row)s.")
MSG_DUPLICATE_LIST = gettext_noop("This person is already on the list of participants.")


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing was imported. The message is for the user."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass
class CheckedFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(text: str) -> str:
    return " ".join(str(text).replace("ё", "е").replace("Ё", "Е").split()).casefold()


def header_labels(lang: str) -> list[str]:
    with override(lang):
        return [_(COLUMN_LABELS[c]) for c in COLUMNS]


def role_labels(lang: str) -> list[str]:
    with override(lang):
        return [str(label) for _value, label in ParticipantRole.choices]


def _header_names() -> dict[str, str]:
    names = {c: c for c in COLUMNS}
    for lang in ("kk", "ru", "en"):
        for code, label in zip(COLUMNS, header_labels(lang), strict=True):
            names[_key(label)] = code
    return names


def _role_names() -> dict[str, str]:
    names = {_key(value): value for value in ParticipantRole.values}
    for lang in ("kk", "ru", "en"):
        with override(lang):
            for value, label in ParticipantRole.choices:
                names[_key(str(label))] = value
    return names


# -- the template --------------------------------------------------------------------------


def template_csv(lang: str) -> bytes:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(header_labels(lang))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with override(lang):
        sheet.title = _("Participants")[:31]
        roles = book.create_sheet(_("Roles")[:31])
    sheet.append(header_labels(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (40, 34, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for label in role_labels(lang):
        roles.append([label])
    roles.column_dimensions["A"].width = 40
    count = len(ParticipantRole.choices)
    choice = DataValidation(type="list", formula1=f"='{roles.title}'!$A$1:$A${count}")
    sheet.add_data_validation(choice)
    choice.add(f"B2:B{MAX_ROWS + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- reading an upload ---------------------------------------------------------------------


def _too_large() -> str:
    return _(MSG_TOO_LARGE) % {"mb": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS}


def read_rows(data: bytes) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file (told apart by their content, not their name)."""
    try:
        return spreadsheets.read_rows(data, LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        if exc.kind == "too_large":
            raise ImportFileError(_too_large()) from exc
        message = MSG_EMPTY if exc.kind == "empty" else MSG_NOT_READABLE
        raise ImportFileError(_(message)) from exc


def check_file(data: bytes, seminar: Seminar) -> CheckedFile:
    """Every row checked; raises ImportFileError when the file as a whole is unusable."""
    from tanu.training.actions import name_index

    rows = read_rows(data)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportFileError(_(MSG_EMPTY))
    names = _header_names()
    header = [names.get(_key(cell), "") for cell in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _(MSG_HEADER)
            % {
                "columns": ", ".join(header_labels_current()),
                "missing": ", ".join(_(COLUMN_LABELS[c]) for c in missing),
            }
        )
    body = [(number, row) for number, row in enumerate(rows[1:], 2) if any(c.strip() for c in row)]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_too_large())
    if not body:
        raise ImportFileError(_(MSG_NO_ROWS))

    roles = _role_names()
    agencies = {
        _key(name): agency
        for agency in Agency.objects.filter(region=seminar.region, is_active=True)
        for name in {agency.name_en, agency.name_ru, agency.name_kk} - {""}
    }
    existing = set(Participant.objects.filter(seminar=seminar).values_list("name_index", flat=True))
    seen: dict[str, int] = {}
    result = CheckedFile()
    for number, row in body:
        cells = {code: "" for code in COLUMNS}
        for index, code in enumerate(header):
            if code and index < len(row) and not cells[code]:
                cells[code] = " ".join(row[index].split())
        problems: list[str] = []
        for code in COLUMNS:
            if len(cells[code]) > MAX_LENGTH:
                problems.append(
                    _(MSG_TOO_LONG) % {"column": _(COLUMN_LABELS[code]), "max": MAX_LENGTH}
                )
        if not cells["full_name"]:
            problems.append(_(MSG_NAME))
        role = roles.get(_key(cells["role"]))
        if not cells["role"]:
            problems.append(_(MSG_ROLE_EMPTY))
        elif role is None:
            problems.append(_(MSG_ROLE) % {"value": cells["role"][:60]})
        if not cells["agency"]:
            problems.append(_(MSG_AGENCY))
        if cells["full_name"]:
            digest = name_index(cells["full_name"])
            if digest in seen:
                problems.append(_(MSG_DUPLICATE_FILE) % {"row": seen[digest]})
            elif digest in existing:
                problems.append(_(MSG_DUPLICATE_LIST))
            seen.setdefault(digest, number)
        if problems:
            result.problems.extend(RowProblem(number, p) for p in problems)
            continue
        agency = agencies.get(_key(cells["agency"]))
        result.rows.append(
            {
                "full_name": cells["full_name"],
                "role": role,
                "agency": agency,
                "agency_name": "" if agency else cells["agency"],
                "position": cells["position"],
            }
        )
    return result


def header_labels_current() -> list[str]:
    return [_(COLUMN_LABELS[c]) for c in COLUMNS]
