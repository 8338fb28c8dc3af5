"""`tanu checklist list`, `show ID [--version N] [--format json|text]`,
`export ID [--version N] --format xlsform --output FILE.xlsx` and
`import FILE.xlsx [--by USERNAME]` (a draft, with its changes; without --by the audit trail names
the command and any national administrator may approve it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation

from tanu.accounts.models import User
from tanu.identification import catalogue, checklist_versions, xlsform
from tanu.identification.engine import LANGUAGES, InvalidChecklistError
from tanu.identification.models import ChecklistVersion


def _in_force() -> dict[str, ChecklistVersion]:
    try:
        return catalogue.current_versions()
    except DatabaseError as exc:
        raise CommandError(f"the database is not ready (run tanu migrate): {exc}") from exc


def checklist_ids() -> list[str]:
    """Ids of the checklists that can be shown and used, sorted."""
    return sorted(_in_force())


def get_checklist_data(checklist_id: str, version: int | None = None) -> dict[str, Any] | None:
    """The data of checklist ``checklist_id``: the version in force today, or version
    ``version``; None when unknown.

    This is the one place the commands read checklists from: the database, where the files'
    versions are the first ones.
    """
    if version is None:
        row = _in_force().get(checklist_id)
    else:
        row = catalogue.get_version(checklist_id, version)
    return None if row is None else row.data


def _texts(value: Any) -> dict[str, Any]:
    return {language: (value or {}).get(language, "") for language in LANGUAGES}


def checklist_document(data: dict[str, Any]) -> dict[str, Any]:
    """The shape `checklist show --format json` prints."""
    return {
        "id": data.get("id"),
        "version": data.get("version"),
        "population": data.get("population"),
        "form": data.get("form"),
        "title": _texts(data.get("title")),
        "rule": data.get("rule"),
        "dimensions": [
            {"key": item.get("key"), "label": _texts(item.get("label"))}
            for item in data.get("dimensions", [])
        ],
        "indicators": [
            {
                "code": item.get("code"),
                "dimension": item.get("dimension"),
                "strength": item.get("strength"),
                "label": _texts(item.get("label")),
                "prompt": _texts(item.get("prompt")),
                "source": item.get("source", ""),
            }
            for item in data.get("indicators", [])
        ],
    }


def _clause_text(clause: dict[str, int]) -> str:
    return " + ".join(f"{count} {key.replace('_', ' ')}" for key, count in clause.items())


def checklist_text(data: dict[str, Any], language: str) -> str:
    """A plain-text rendering for reading in a terminal."""
    doc = checklist_document(data)
    lines = [
        f"{doc['id']} (version {doc['version']}): {doc['population']}, {doc['form']} exploitation",
        doc["title"][language],
        "",
    ]
    rule = doc["rule"] or {}
    clauses = rule.get("dimension_positive", [])
    lines.append(
        "A dimension is positive with at least: " + "; or ".join(map(_clause_text, clauses))
    )
    groups = [" or ".join(group) for group in rule.get("threshold", [])]
    lines.append("ILO threshold: " + " AND ".join(f"({group})" for group in groups))
    by_dimension: dict[str, list[dict[str, Any]]] = {}
    for indicator in doc["indicators"]:
        by_dimension.setdefault(indicator["dimension"], []).append(indicator)
    for dimension in doc["dimensions"]:
        indicators = by_dimension.get(dimension["key"], [])
        lines += ["", f"{dimension['key']}: {dimension['label'][language]} ({len(indicators)})"]
        for indicator in indicators:
            lines.append(
                f"  {indicator['code']:<9} {indicator['strength']:<6} {indicator['label'][language]}"
            )
            lines.append(f"  {'':<16} {indicator['prompt'][language]}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "List the identification checklists, or show one with its indicators."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="one line per checklist: id, version, population, form, size")
        show = sub.add_parser("show", help="print one checklist")
        show.add_argument("checklist_id", metavar="ID")
        show.add_argument("--version", type=int, help="a version number (default: in force)")
        show.add_argument("--format", choices=["json", "text"], default="json")
        show.add_argument("--language", choices=list(LANGUAGES), default="en")
        export = sub.add_parser("export", help="write one checklist as an XLSForm workbook")
        export.add_argument("checklist_id", metavar="ID")
        export.add_argument("--version", type=int, help="a version number (default: in force)")
        export.add_argument("--format", choices=["xlsform"], default="xlsform")
        export.add_argument("--output", required=True, metavar="FILE.xlsx")
        imports = sub.add_parser(
            "import",
            help="read an XLSForm workbook as a new draft version, to be approved by a "
            "second national administrator",
        )
        imports.add_argument("file", metavar="FILE.xlsx")
        imports.add_argument(
            "--by",
            default="",
            metavar="USERNAME",
            help="the national administrator the draft is recorded under (who then may not "
            "approve it); without it, the audit trail names this command",
        )
        imports.add_argument("--language", choices=list(LANGUAGES), default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self.list_checklists()
        elif action == "show":
            self.show_checklist(
                options["checklist_id"], options["format"], options["language"], options["version"]
            )
        elif action == "export":
            self.export_checklist(options["checklist_id"], options["version"], options["output"])
        else:
            with translation.override(options["language"]):
                self.import_checklist(options["file"], options["by"])

    def list_checklists(self) -> None:
        for checklist_id in checklist_ids():
            data = get_checklist_data(checklist_id) or {}
            self.stdout.write(
                f"{checklist_id}\tversion {data.get('version')}\t{data.get('population')}"
                f"\t{data.get('form')}\t{len(data.get('indicators', []))} indicators"
            )

    def _data(self, checklist_id: str, version: int | None) -> dict[str, Any]:
        data = get_checklist_data(checklist_id, version)
        if data is None:
            known = ", ".join(checklist_ids()) or "none"
            which = f"checklist {checklist_id!r}" + (f" version {version}" if version else "")
            raise CommandError(f"unknown {which} (known: {known})")
        return data

    def show_checklist(
        self, checklist_id: str, output_format: str, language: str, version: int | None = None
    ) -> None:
        data = self._data(checklist_id, version)
        if output_format == "json":
            self.stdout.write(json.dumps(checklist_document(data), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(checklist_text(data, language))

    def export_checklist(self, checklist_id: str, version: int | None, output: str) -> None:
        data = self._data(checklist_id, version)
        path = Path(output)
        try:
            path.write_bytes(xlsform.write_xlsform(data))
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"{checklist_id} version {data['version']} written to {output}")

    def import_checklist(self, file: str, username: str) -> None:
        actor: User | None = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None or not checklist_versions.is_national_admin(actor):
                raise CommandError(f"{username!r} is not an active national administrator")
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            data = xlsform.read_xlsform(content)
        except xlsform.XLSFormError as exc:
            for problem in exc.problems:
                self.stderr.write(problem_line(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {file}: nothing was imported"
            ) from exc
        try:
            row = checklist_versions.do_import_checklist_version(data, actor=actor)
        except (checklist_versions.ChecklistVersionError, InvalidChecklistError) as exc:
            raise CommandError(f"{exc}: nothing was imported") from exc
        in_force, changes = checklist_versions.diff_against_in_force(row)
        self.stdout.write(
            f"{row.checklist_id} version {row.version} imported as a draft; it takes effect "
            "only when a second national administrator approves it."
        )
        if in_force is not None and changes is not None:
            self.stdout.write(f"Changes against version {in_force.version} (in force):")
            self.stdout.write("\n".join(diff_lines(changes)))


def problem_line(problem: xlsform.Problem) -> str:
    """One problem of a file, as a line: sheet, row, column, reason."""
    where = [problem.sheet or "file"]
    if problem.row is not None:
        where.append(f"row {problem.row}")
    if problem.column:
        where.append(f"column {problem.column}")
    return f"{', '.join(where)}: {problem.reason}"


def diff_lines(changes: checklist_versions.Diff) -> list[str]:
    """The changes of a new version, one line each, for a terminal."""
    lines = [f"  added {item['code']} ({item['strength']})" for item in changes.added]
    lines += [f"  removed {item['code']}" for item in changes.removed]
    lines += [f"  regraded {item['code']}: {old} -> {new}" for item, old, new in changes.regraded]
    lines += [f"  moved {item['code']}: {old} -> {new}" for item, old, new in changes.moved]
    lines += [
        f"  reworded {item['code']} ({', '.join(languages)})"
        for item, languages in changes.reworded
    ]
    if changes.rule_changed:
        lines.append(f"  rule before: {json.dumps(changes.rule_before)}")
        lines.append(f"  rule after:  {json.dumps(changes.rule_after)}")
    lines += [f"  changed {part}" for part in changes.other]
    return lines or ["  nothing"]
