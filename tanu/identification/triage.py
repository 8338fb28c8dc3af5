"""The quick triage: any 'yes' means a full screening is needed."""

from __future__ import annotations

from typing import Any


def covered_codes(data: dict[str, Any], yes: set[str], checklist_id: str) -> set[str]:
    codes: set[str] = set()
    for question in data["questions"]:
        if question["code"] in yes:
            codes.update(question["covers"].get(checklist_id, []))
    return codes


def triage_result(data: dict[str, Any], yes: set[str]) -> dict[str, Any]:
    """A full screening is needed as soon as one question is answered yes: the triage only
    decides whether to take the time for the full checklist, never that someone is not a victim."""
    return {"full_screening": bool(yes), "yes_count": len(yes)}
