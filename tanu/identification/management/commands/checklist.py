"""`tanu checklist list` and `tanu checklist show ID [--format json|text]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.identification import checklist_files
from tanu.identification.engine import LANGUAGES


def checklist_ids() -> list[str]:
    """Ids of the checklists that can be shown and used, sorted."""
    return sorted(checklist_files.load_all_data())


def get_checklist_data(checklist_id: str) -> dict[str, Any] | None:
    """The data of checklist ``checklist_id`` (as in its JSON file), or None when unknown.

    This is the one place the commands read checklists from; it reads the shipped files.
    """
    return checklist_files.load_all_data().get(checklist_id)


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
        show.add_argument("--format", choices=["json", "text"], default="json")
        show.add_argument("--language", choices=list(LANGUAGES), default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self.list_checklists()
        else:
            self.show_checklist(options["checklist_id"], options["format"], options["language"])

    def list_checklists(self) -> None:
        for checklist_id in checklist_ids():
            data = get_checklist_data(checklist_id) or {}
            self.stdout.write(
                f"{checklist_id}\tversion {data.get('version')}\t{data.get('population')}"
                f"\t{data.get('form')}\t{len(data.get('indicators', []))} indicators"
            )

    def show_checklist(self, checklist_id: str, output_format: str, language: str) -> None:
        data = get_checklist_data(checklist_id)
        if data is None:
            known = ", ".join(checklist_ids()) or "none"
            raise CommandError(f"unknown checklist {checklist_id!r} (known: {known})")
        if output_format == "json":
            self.stdout.write(json.dumps(checklist_document(data), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(checklist_text(data, language))
