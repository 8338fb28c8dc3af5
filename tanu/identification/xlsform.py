"""Checklists as XLSForm, the spreadsheet format of ODK, KoboToolbox and SurveyCTO.

:func:`write_xlsform` turns a checklist's data into a workbook: a ``survey`` sheet with one
``select_one`` question per indicator, grouped by dimension, labels and hints in Kazakh, Russian
and English, tanu's own columns (``code``, ``dimension``, ``strength``, ``tanu_source``) and
``calculate`` fields that assess the answers with the list's rule, so that ODK Collect or Enketo
shows the assessment offline; a ``choices`` sheet; a ``settings`` sheet with the id, version,
population, form of exploitation and the rule (JSON in ``tanu_rule``).

:func:`read_xlsform` reads such a workbook back into checklist data. The calculations and notes
are derived from the rule and ignored on reading. The checks of the data are the engine's
(:func:`tanu.identification.engine.validate_checklist`); this module only places each problem
on its sheet, row and column and words it in the reader's language.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tanu.identification import engine
from tanu.identification.models import Answer

LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша (kk)", "ru": "Русский (ru)", "en": "English (en)"}
DEFAULT_LANGUAGE = "ru"
ANSWER_LIST = "answer"
#: The answers in the order a screener meets them.
ANSWERS: tuple[str, ...] = (
    Answer.OBSERVED,
    Answer.NOT_OBSERVED,
    Answer.DECLINED,
    Answer.UNKNOWN,
)
SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"


def _label(language: str) -> str:
    return f"label::{LANGUAGE_NAMES[language]}"


def _hint(language: str) -> str:
    return f"hint::{LANGUAGE_NAMES[language]}"


def _title(language: str) -> str:
    return f"tanu_title::{LANGUAGE_NAMES[language]}"


SURVEY_COLUMNS: tuple[str, ...] = (
    "type",
    "name",
    *(_label(lang) for lang in engine.LANGUAGES),
    *(_hint(lang) for lang in engine.LANGUAGES),
    "relevant",
    "calculation",
    "code",
    "dimension",
    "strength",
    "tanu_source",
)
CHOICES_COLUMNS: tuple[str, ...] = (
    "list_name",
    "name",
    *(_label(lang) for lang in engine.LANGUAGES),
)
SETTINGS_COLUMNS: tuple[str, ...] = (
    "form_title",
    "form_id",
    "version",
    "default_language",
    "population",
    "form",
    "tanu_rule",
    *(_title(lang) for lang in engine.LANGUAGES),
    "tanu_source",
)

# A positive dimension, as the notes at the end of the form say it (docs/glossary.md).
DIMENSION_MET: dict[str, str] = {"kk": "анықталды", "ru": "выявлено", "en": "met"}

# The outcome notes shown at the end of the form (the engine's outcomes, in the reader's words).
OUTCOME_TEXTS: dict[str, dict[str, str]] = {
    engine.PRESUMED_VICTIM: {
        "kk": "Бағалау: болжамды құрбан — ХЕҰ ережесінің шарты орындалды. Дереу жолдама беріңіз.",
        "ru": "Оценка: предполагаемая жертва — условие правила МОТ выполнено. Направьте сейчас же.",
        "en": "Assessment: presumed victim — the ILO threshold is met. Refer now.",
    },
    engine.POSSIBLE_VICTIM: {
        "kk": "Бағалау: ықтимал құрбан — қосымша бағалауға жолдама беріңіз.",
        "ru": "Оценка: возможная жертва — направьте на дополнительную оценку.",
        "en": "Assessment: possible victim — refer for further assessment.",
    },
    engine.NO_INDICATION: {
        "kk": "Бағалау: адам саудасының белгілері анықталмады.",
        "ru": "Оценка: признаков торговли людьми не выявлено.",
        "en": "Assessment: no indication of trafficking.",
    },
    engine.INCOMPLETE: {
        "kk": "Бағалау: толық емес — жеткілікті сұралмады; бұл «белгі жоқ» дегенді білдірмейді.",
        "ru": "Оценка: неполная — спрошено недостаточно; это не означает «признаков нет».",
        "en": "Assessment: incomplete — not enough was asked; this is not «no indication».",
    },
}


# ---------------------------------------------------------------------------------------------
# Writing


def question_name(code: str) -> str:
    """The XLSForm name of an indicator's question: its code, made a valid XML name (a code
    may start with a digit; none starts with ``_``, so the prefixed names never collide)."""
    return code if code[:1].isalpha() else f"_{code}"


def _answered(name: str, *answers: str) -> str:
    return " + ".join(f"number(${{{name}}} = '{answer}')" for answer in answers)


def _sum(terms: list[str]) -> str:
    return " + ".join(f"({term})" for term in terms) if terms else "0"


def _clause(clause: dict[str, int], dim: str) -> str:
    parts = []
    for key, count in clause.items():
        if key == "medium_or_weak":
            parts.append(f"${{{dim}_medium}} + ${{{dim}_weak}} >= {count}")
        else:
            parts.append(f"${{{dim}_{key}}} >= {count}")
    return " and ".join(f"({part})" for part in parts)


def calculations(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``calculate`` fields (name, XPath) that assess the answers with the list's rule, in
    the engine's terms: counts of observed indicators by dimension and grade, each dimension's
    positivity, the threshold groups, whether enough was asked, and the outcome."""
    by_slot: dict[tuple[str, str], list[str]] = {}
    for indicator in data["indicators"]:
        slot = (indicator["dimension"], indicator["strength"])
        by_slot.setdefault(slot, []).append(question_name(indicator["code"]))
    rule = data["rule"]
    dims = [dimension["key"] for dimension in data["dimensions"]]
    fields: list[tuple[str, str]] = []
    touched: list[str] = []
    for dim in dims:
        for strength in engine.STRENGTHS:
            names = by_slot.get((dim, strength), [])
            fields.append(
                (f"{dim}_{strength}", _sum([_answered(name, Answer.OBSERVED) for name in names]))
            )
        clauses = " or ".join(f"({_clause(c, dim)})" for c in rule["dimension_positive"])
        fields.append((f"{dim}_positive", f"number({clauses})"))
        names = [name for strength in engine.STRENGTHS for name in by_slot.get((dim, strength), [])]
        if names:
            answered = _sum([_answered(n, Answer.OBSERVED, Answer.NOT_OBSERVED) for n in names])
            touched.append(f"({answered}) > 0")
    for number, group in enumerate(rule["threshold"], 1):
        either = " or ".join(f"${{{dim}_positive}} = 1" for dim in group)
        fields.append((f"threshold_group_{number}", f"number({either})"))
    groups = " and ".join(
        f"${{threshold_group_{n}}} = 1" for n in range(1, len(rule["threshold"]) + 1)
    )
    fields.append(("threshold_met", f"number({groups})"))
    positive = " or ".join(f"${{{dim}_positive}} = 1" for dim in dims)
    strong_observed = " + ".join(f"${{{dim}_strong}}" for dim in dims)
    fields.append(("any_positive", f"number({positive} or ({strong_observed}) > 0)"))
    strong = [question_name(i["code"]) for i in data["indicators"] if i["strength"] == "strong"]
    asked = _sum(
        [_answered(n, Answer.OBSERVED, Answer.NOT_OBSERVED, Answer.DECLINED) for n in strong]
    )
    enough = " and ".join([f"({asked}) = {len(strong)}", *touched])
    fields.append(("enough_asked", f"number({enough})"))
    fields.append(
        (
            "outcome",
            f"if(${{threshold_met}} = 1, '{engine.PRESUMED_VICTIM}', "
            f"if(${{any_positive}} = 1, '{engine.POSSIBLE_VICTIM}', "
            f"if(${{enough_asked}} = 1, '{engine.NO_INDICATION}', '{engine.INCOMPLETE}')))",
        )
    )
    return fields


def _write_rows(sheet: Worksheet, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    for index, column in enumerate(columns, 1):
        wide = column.startswith(("label", "hint", "calculation", "tanu_"))
        sheet.column_dimensions[get_column_letter(index)].width = 48 if wide else 16
    sheet.freeze_panes = "A2"


def _texts(prefix: Callable[[str], str], texts: dict[str, str]) -> dict[str, str]:
    return {prefix(lang): texts.get(lang, "") for lang in engine.LANGUAGES}


def survey_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for dimension in data["dimensions"]:
        key = dimension["key"]
        rows.append({"type": "begin_group", "name": key, **_texts(_label, dimension["label"])})
        for indicator in data["indicators"]:
            if indicator["dimension"] != key:
                continue
            rows.append(
                {
                    "type": f"select_one {ANSWER_LIST}",
                    "name": question_name(indicator["code"]),
                    **_texts(_label, indicator["label"]),
                    **_texts(_hint, indicator["prompt"]),
                    "code": indicator["code"],
                    "dimension": key,
                    "strength": indicator["strength"],
                    "tanu_source": indicator.get("source", ""),
                }
            )
        rows.append({"type": "end_group", "name": key})
    rows += [{"type": "calculate", "name": n, "calculation": c} for n, c in calculations(data)]
    for dimension in data["dimensions"]:
        key = dimension["key"]
        rows.append(
            {
                "type": "note",
                "name": f"note_{key}",
                "relevant": f"${{{key}_positive}} = 1",
                **{
                    _label(lang): f"{dimension['label'].get(lang, key)}: {DIMENSION_MET[lang]}"
                    for lang in engine.LANGUAGES
                },
            }
        )
    for outcome, texts in OUTCOME_TEXTS.items():
        rows.append(
            {
                "type": "note",
                "name": f"note_{outcome}",
                "relevant": f"${{outcome}} = '{outcome}'",
                **_texts(_label, texts),
            }
        )
    return rows


def choice_rows() -> list[dict[str, Any]]:
    rows = []
    for answer in ANSWERS:
        row: dict[str, Any] = {"list_name": ANSWER_LIST, "name": str(answer)}
        for lang in engine.LANGUAGES:
            with translation.override(lang):
                row[_label(lang)] = str(Answer(answer).label)
        rows.append(row)
    return rows


def settings_row(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "form_title": data["title"].get(DEFAULT_LANGUAGE, data["id"]),
        "form_id": data["id"],
        "version": str(data["version"]),
        "default_language": LANGUAGE_NAMES[DEFAULT_LANGUAGE],
        "population": data["population"],
        "form": data["form"],
        "tanu_rule": json.dumps(data["rule"], ensure_ascii=False),
        **_texts(_title, data["title"]),
        "tanu_source": data.get("source", ""),
    }


def write_xlsform(data: dict[str, Any]) -> bytes:
    """The checklist ``data`` (valid, as the engine accepts it) as an XLSForm workbook."""
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None  # a new workbook has its first sheet
    survey.title = SURVEY
    _write_rows(survey, SURVEY_COLUMNS, survey_rows(data))
    _write_rows(workbook.create_sheet(CHOICES), CHOICES_COLUMNS, choice_rows())
    _write_rows(workbook.create_sheet(SETTINGS), SETTINGS_COLUMNS, [settings_row(data)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Problem:
    """One problem of a file: where (sheet, spreadsheet row, column) and why, in the reader's
    language. ``row`` is None for a problem of a whole sheet."""

    sheet: str
    row: int | None
    column: str
    reason: str


class XLSFormError(ValueError):
    """The file is not a checklist tanu can import; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.reason for p in problems))


@dataclass
class _Places:
    """Where each part of the data was read from, to place the engine's problems."""

    indicator_rows: list[int]  # spreadsheet row of each indicator, in order
    dimension_rows: dict[str, int]  # dimension key -> row of its begin_group


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _sheet_rows(
    workbook: Any, name: str, problems: list[Problem]
) -> tuple[dict[str, int], list[tuple[int, list[str]]]] | None:
    if name not in workbook.sheetnames:
        problems.append(
            Problem(name, None, "", _("The file has no sheet named “%(sheet)s”.") % {"sheet": name})
        )
        return None
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        problems.append(Problem(name, None, "", _("The sheet is empty.")))
        return None
    header = {_cell_text(value): index for index, value in enumerate(rows[0]) if _cell_text(value)}
    body = [
        (number, [_cell_text(value) for value in row])
        for number, row in enumerate(rows[1:], 2)
        if any(_cell_text(value) for value in row)
    ]
    return header, body


def _require(
    sheet: str, header: dict[str, int], columns: tuple[str, ...], problems: list[Problem]
) -> bool:
    missing = [column for column in columns if column not in header]
    for column in missing:
        problems.append(
            Problem(sheet, 1, column, _("The column “%(column)s” is missing.") % {"column": column})
        )
    return not missing


def _get(header: dict[str, int], row: list[str], column: str) -> str:
    index = header.get(column)
    return row[index] if index is not None and index < len(row) else ""


def _read_settings(workbook: Any, data: dict[str, Any], problems: list[Problem]) -> None:
    found = _sheet_rows(workbook, SETTINGS, problems)
    if found is None:
        return
    header, body = found
    required = (
        "form_id",
        "version",
        "population",
        "form",
        "tanu_rule",
        *map(_title, engine.LANGUAGES),
    )
    if not _require(SETTINGS, header, required, problems):
        return
    if not body:
        problems.append(Problem(SETTINGS, 2, "form_id", _("The settings row is empty.")))
        return
    number, row = body[0]
    data["id"] = _get(header, row, "form_id")
    version = _get(header, row, "version")
    data["version"] = int(version) if version.isdigit() else version
    data["population"] = _get(header, row, "population")
    data["form"] = _get(header, row, "form")
    data["title"] = {lang: _get(header, row, _title(lang)) for lang in engine.LANGUAGES}
    source = _get(header, row, "tanu_source")
    if source:
        data["source"] = source
    try:
        data["rule"] = json.loads(_get(header, row, "tanu_rule"))
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                SETTINGS,
                number,
                "tanu_rule",
                _("The rule is not valid JSON (%(error)s).") % {"error": exc.msg},
            )
        )


def _read_survey(workbook: Any, data: dict[str, Any], problems: list[Problem]) -> _Places | None:
    places = _Places([], {})
    found = _sheet_rows(workbook, SURVEY, problems)
    if found is None:
        return None
    header, body = found
    required = (
        "type",
        "code",
        "dimension",
        "strength",
        *map(_label, engine.LANGUAGES),
        *map(_hint, engine.LANGUAGES),
    )
    if not _require(SURVEY, header, required, problems):
        return None
    data["dimensions"], data["indicators"] = [], []
    group = ""
    for number, row in body:
        kind = " ".join(_get(header, row, "type").split())
        if kind in ("begin_group", "begin group"):
            group = _get(header, row, "name")
            labels = {lang: _get(header, row, _label(lang)) for lang in engine.LANGUAGES}
            data["dimensions"].append({"key": group, "label": labels})
            places.dimension_rows.setdefault(group, number)
        elif kind.startswith("select_one"):
            if kind != f"select_one {ANSWER_LIST}":
                problems.append(
                    Problem(
                        SURVEY,
                        number,
                        "type",
                        _("An indicator must be “select_one %(list)s”, not “%(type)s”.")
                        % {"list": ANSWER_LIST, "type": kind},
                    )
                )
            indicator: dict[str, Any] = {
                "code": _get(header, row, "code"),
                "dimension": _get(header, row, "dimension") or group,
                "strength": _get(header, row, "strength"),
                "label": {lang: _get(header, row, _label(lang)) for lang in engine.LANGUAGES},
                "prompt": {lang: _get(header, row, _hint(lang)) for lang in engine.LANGUAGES},
            }
            source = _get(header, row, "tanu_source")
            if source:
                indicator["source"] = source
            data["indicators"].append(indicator)
            places.indicator_rows.append(number)
        elif kind in ("end_group", "end group"):
            group = ""
        elif kind not in ("calculate", "note"):
            problems.append(
                Problem(
                    SURVEY,
                    number,
                    "type",
                    _("tanu does not know the question type “%(type)s”.") % {"type": kind},
                )
            )
    return places


# The engine's problems (tanu.identification.engine.validate_checklist), placed and worded: a
# pattern of the engine's message, the column it concerns (None: the indicator's or dimension's
# own column is named in the match) and the reason in the reader's words.
_LANG = "(?P<lang>kk|ru|en)"
_INDICATOR = r"indicator (?P<code>\S+?)"


def _engine_patterns() -> list[tuple[re.Pattern[str], str, Callable[[dict[str, str]], str]]]:
    def lang_name(match: dict[str, str]) -> str:
        return LANGUAGE_NAMES[match["lang"]]

    return [
        (
            re.compile(rf"^{_INDICATOR} label has no {_LANG} text$"),
            "label",
            lambda m: _("The indicator has no label in %(language)s.") % {"language": lang_name(m)},
        ),
        (
            re.compile(rf"^{_INDICATOR} prompt has no {_LANG} text$"),
            "hint",
            lambda m: (
                _("The indicator has no question (hint) in %(language)s.")
                % {"language": lang_name(m)}
            ),
        ),
        (
            re.compile(rf"^{_INDICATOR} has strength (?P<value>.*), not strong/medium/weak$"),
            "strength",
            lambda m: (
                _("The grade %(value)s is not one of strong, medium, weak.") % {"value": m["value"]}
            ),
        ),
        (
            re.compile(
                rf"^{_INDICATOR} (has unknown dimension|is in dimension) (?P<value>'.*?'|None)"
            ),
            "dimension",
            lambda m: (
                _("The dimension %(value)s is not one of the six ILO dimensions.")
                % {"value": m["value"]}
            ),
        ),
        (
            re.compile(r"^indicator code (?P<code>\S+) is used twice$"),
            "code",
            lambda m: _("The code %(code)s is used by another indicator.") % {"code": m["code"]},
        ),
        (
            re.compile(r"^indicator code '(?P<code>.*)' may use only letters, digits, - _ and \.$"),
            "code",
            lambda m: (
                _("A code may use only letters, digits, - _ and . (not “%(code)s”).")
                % {"code": m["code"]}
            ),
        ),
        (
            re.compile(r"^indicator (?P<number>\d+) has no code$"),
            "code",
            lambda m: _("The indicator has no code."),
        ),
        (
            re.compile(rf"^dimension '(?P<dim>\w+)' label has no {_LANG} text$"),
            "label",
            lambda m: _("The dimension has no label in %(language)s.") % {"language": lang_name(m)},
        ),
        (
            re.compile(r"^dimension \d+ has unknown key (?P<value>.*)$"),
            "name",
            lambda m: (
                _("The group %(value)s is not one of the six ILO dimensions.")
                % {"value": m["value"]}
            ),
        ),
        (
            re.compile(rf"^title has no {_LANG} text$"),
            "tanu_title",
            lambda m: _("The checklist has no title in %(language)s.") % {"language": lang_name(m)},
        ),
        (
            re.compile(r"^version must be"),
            "version",
            lambda m: _("The version must be a whole number of 1 or more."),
        ),
        (
            re.compile(r"^population must be"),
            "population",
            lambda m: _("The population must be adult or child."),
        ),
        (
            re.compile(r"^form must be"),
            "form",
            lambda m: _("The form of exploitation must be labour or sexual."),
        ),
        (
            re.compile(r"^id must be"),
            "form_id",
            lambda m: _("The checklist has no id (form_id)."),
        ),
        (
            re.compile(r"^rule"),
            "tanu_rule",
            lambda m: (
                _("The rule is not one the engine understands: %(detail)s")
                % {"detail": m["message"]}
            ),
        ),
    ]


def _place(message: str, places: _Places, data: dict[str, Any]) -> list[Problem]:
    """Where an engine problem lies, and its reason in the reader's words."""
    for pattern, column, reason in _engine_patterns():
        match = pattern.match(message)
        if match is None:
            continue
        groups = {**match.groupdict(), "message": message}
        lang = groups.get("lang")
        if column in ("label", "hint", "tanu_title") and lang:
            column = f"{column}::{LANGUAGE_NAMES[lang]}"
        text = reason(groups)
        if column in {"form_id", "version", "population", "form", "tanu_rule"} or column.startswith(
            "tanu_title"
        ):
            return [Problem(SETTINGS, 2, column, text)]
        if groups.get("dim"):
            return [Problem(SURVEY, places.dimension_rows.get(groups["dim"]), column, text)]
        if column == "name":
            return [Problem(SURVEY, None, "name", text)]
        rows = _indicator_rows(groups, places, data)
        if "used twice" in message:
            rows = rows[1:]
        return [Problem(SURVEY, row, column, text) for row in rows] or [
            Problem(SURVEY, None, column, text)
        ]
    return [Problem(SURVEY, None, "", message)]


def _indicator_rows(groups: dict[str, str], places: _Places, data: dict[str, Any]) -> list[int]:
    if groups.get("number"):
        index = int(groups["number"]) - 1
        return [places.indicator_rows[index]] if index < len(places.indicator_rows) else []
    code = groups.get("code")
    return [
        row
        for row, indicator in zip(places.indicator_rows, data["indicators"], strict=True)
        if indicator["code"] == code
    ]


def read_xlsform(source: bytes | IO[bytes]) -> dict[str, Any]:
    """The checklist data of an XLSForm workbook; :class:`XLSFormError` lists every problem
    (nothing is returned when there is one)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise XLSFormError(
            [Problem("", None, "", _("The file is not an Excel workbook (.xlsx)."))]
        ) from exc
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    try:
        _read_settings(workbook, data, problems)
        places = _read_survey(workbook, data, problems)
    finally:
        workbook.close()
    if places is not None and "id" in data:
        # The engine checks what could be read; a rule that is not JSON is reported once.
        rule_unread = "rule" not in data
        for message in engine.validate_checklist(data):
            if not (rule_unread and message.startswith("rule")):
                problems += _place(message, places, data)
    if problems:
        raise XLSFormError(problems)
    return data
