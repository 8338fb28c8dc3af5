"""`tanu assess [--input FILE]`: assess screenings given as JSON Lines.

Each input line is one screening::

    {"id": "s1", "checklist": "ilo-adult-labour", "observed": ["AL-DR-01"],
     "not_observed": ["AL-DR-02"], "declined": []}

(codes named nowhere are unknown; "observed", "not_observed" and "declined" may be left out).
Each output line, in input order, is the result::

    {"id": "s1", "outcome": "possible_victim", "threshold_met": false, "enough_asked": false,
     "dimensions": {"deceptive_recruitment": {"positive": false, "strong": 1, ...}, ...},
     "decisive": ["AL-DR-03", ...]}

The outcome is one of ``presumed_victim``, ``possible_victim``, ``no_indication`` (only when
enough was asked: every strong indicator answered and every dimension answered) and
``incomplete`` (nothing found, but not enough asked to say "no indication").

or, for a line that cannot be assessed, ``{"id": <id or null>, "error": "<message>"}``; the
other lines go on. Blank lines are skipped. The exit status is 1 when any line was bad.
The input is streamed: memory use does not grow with the number of lines.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.identification.engine import Assessment, AssessmentError, Checklist, assess
from tanu.identification.management.commands.checklist import get_checklist_data

ANSWER_KEYS = ("observed", "not_observed", "declined")
ALLOWED_KEYS = frozenset({"id", "checklist", *ANSWER_KEYS})


class BadLine(Exception):  # noqa: N818 - a signal inside this module, not an error API
    """A line that cannot be assessed; the message goes to the output."""


class ChecklistCache:
    """Checklists by id, each read and indexed once per run (unknown ids remembered too)."""

    def __init__(self) -> None:
        self._found: dict[str, Checklist | str] = {}

    def get(self, checklist_id: str) -> Checklist:
        found = self._found.get(checklist_id)
        if found is None:
            data = get_checklist_data(checklist_id)
            if data is None:
                found = f"unknown checklist {checklist_id!r}"
            else:
                try:
                    found = Checklist.from_dict(data)
                except AssessmentError as error:
                    found = str(error)
            self._found[checklist_id] = found
        if isinstance(found, str):
            raise BadLine(found)
        return found


def _answers(screening: dict[str, Any], key: str) -> list[str]:
    value = screening.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadLine(f'"{key}" must be a list of indicator codes (strings)')
    return value  # the engine refuses items that are not indicator codes


def _screening_id(screening: Any) -> str | int | None:
    if not isinstance(screening, dict):
        return None
    value = screening.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    return None


def _assess_screening(screening: Any, checklists: ChecklistCache) -> str:
    if not isinstance(screening, dict):
        raise BadLine(f"expected a JSON object, got {type(screening).__name__}")
    screening_id = screening.get("id")
    if screening_id is not None and _screening_id(screening) is None:
        raise BadLine('"id" must be a string or a whole number')
    unexpected = screening.keys() - ALLOWED_KEYS
    if unexpected:
        names = ", ".join(f'"{key}"' for key in sorted(unexpected))
        raise BadLine(
            f"unexpected key(s) {names}; allowed: id, checklist, {', '.join(ANSWER_KEYS)}"
        )
    checklist_id = screening.get("checklist")
    if checklist_id is None:
        raise BadLine('missing "checklist"')
    if not isinstance(checklist_id, str):
        raise BadLine('"checklist" must be a string (a checklist id)')
    checklist = checklists.get(checklist_id)
    observed = _answers(screening, "observed")
    not_observed = _answers(screening, "not_observed")
    declined = _answers(screening, "declined")
    try:
        result = assess(checklist, observed, not_observed, declined)
    except AssessmentError as error:
        raise BadLine(str(error)) from None
    return _encode(screening_id, result)


_encode_value = json.JSONEncoder(separators=(",", ":")).encode
_dimension_json: dict[tuple[str, bool, int, int, int], str] = {}


def _dimension_fragment(key: str, positive: bool, strong: int, medium: int, weak: int) -> str:
    fragment = _encode_value(
        {key: {"positive": positive, "strong": strong, "medium": medium, "weak": weak}}
    )[1:-1]
    _dimension_json[key, positive, strong, medium, weak] = fragment
    return fragment


def _encode(screening_id: str | int | None, result: Assessment) -> str:
    """The result line, as ``json.dumps(..., separators=(",", ":"))`` would write it.

    Built from cached fragments: the same few dimension results recur in every run.
    """
    cache_get = _dimension_json.get
    dimensions = ",".join(
        cache_get((key, r.positive, r.strong, r.medium, r.weak))
        or _dimension_fragment(key, r.positive, r.strong, r.medium, r.weak)
        for key, r in result.dimensions.items()
    )
    # Indicator codes need no escaping: validate_checklist allows only [A-Za-z0-9_.-].
    decisive = '["' + '","'.join(result.decisive) + '"]' if result.decisive else "[]"
    return (
        f'{{"id":{_encode_value(screening_id)},"outcome":"{result.outcome}",'
        f'"threshold_met":{"true" if result.threshold_met else "false"},'
        f'"enough_asked":{"true" if result.enough_asked else "false"},'
        f'"dimensions":{{{dimensions}}},"decisive":{decisive}}}'
    )


def _error_line(screening_id: str | int | None, message: str) -> str:
    return f'{{"id":{_encode_value(screening_id)},"error":{_encode_value(message)}}}'


def assess_line(
    line: str | bytes, checklists: ChecklistCache, line_number: int
) -> tuple[str, bool]:
    """The output line (JSON, no newline) for one input line, and whether the line was good.

    Error messages start with the line number ("line 3: ..."), blank lines included.
    """
    try:
        screening = json.loads(line)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        return _error_line(None, f"line {line_number}: not valid JSON: {error}"), False
    try:
        return _assess_screening(screening, checklists), True
    except BadLine as bad:
        return _error_line(_screening_id(screening), f"line {line_number}: {bad}"), False


def assess_stream(lines: Iterable[str | bytes], out: IO[str]) -> int:
    """Assess every line of ``lines``, writing one output line each; return the bad-line count."""
    checklists = ChecklistCache()
    write = out.write
    bad_lines = 0
    for line_number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        encoded, good = assess_line(line, checklists, line_number)
        if not good:
            bad_lines += 1
        write(encoded + "\n")
    out.flush()
    return bad_lines


class Command(BaseCommand):
    help = (
        "Assess screenings given as JSON Lines (stdin or --input FILE), one result line per "
        "input line; exit status 1 when any line could not be assessed."
    )
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", metavar="FILE", help="read screenings from FILE instead of stdin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options.get("stdout") or sys.stdout
        if options.get("input"):
            try:
                handle = open(options["input"], "rb")  # noqa: SIM115 - closed below
            except OSError as error:
                raise CommandError(f"cannot read {options['input']}: {error.strerror}") from None
            with handle:
                bad_lines = assess_stream(handle, out)
        else:
            stdin = options.get("stdin") or sys.stdin
            # Bytes when possible: json.loads decodes UTF-8 itself and a badly encoded line
            # then fails alone instead of stopping the run.
            bad_lines = assess_stream(getattr(stdin, "buffer", stdin), out)
        if bad_lines:
            raise SystemExit(1)
