"""The starter question bank (``data/questions.json``): questions in Kazakh, Russian and English,
tagged with learning objectives and indicator dimensions, each with its explanation. Loading is
idempotent: a question whose English text is already in the bank is left alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tanu.accounts.models import User
from tanu.training import actions
from tanu.training.models import Question

STARTER_FILE = Path(__file__).resolve().parent / "data" / "questions.json"


def starter_questions() -> list[dict[str, Any]]:
    with STARTER_FILE.open(encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def _option(entry: dict[str, Any]) -> dict[str, Any]:
    match = entry.get("match") or {}
    return {
        **{f"text_{lang}": entry["text"][lang] for lang in ("kk", "ru", "en")},
        **{f"match_{lang}": match.get(lang, "") for lang in ("kk", "ru", "en")},
        "is_correct": bool(entry.get("correct")),
    }


def load_starter_bank(*, actor: User) -> int:
    """Add the starter questions that are not in the bank yet; returns how many were added."""
    known = set(Question.objects.values_list("text_en", flat=True))
    added = 0
    for entry in starter_questions():
        if entry["text"]["en"] in known:
            continue
        data = {
            "kind": entry["kind"],
            **{f"text_{lang}": entry["text"][lang] for lang in ("kk", "ru", "en")},
            **{f"explanation_{lang}": entry["explanation"][lang] for lang in ("kk", "ru", "en")},
            "objectives": entry["objectives"],
            "dimensions": entry["dimensions"],
            "is_active": True,
        }
        actions.do_save_question(
            actor=actor, data=data, options=[_option(o) for o in entry["options"]]
        )
        added += 1
    return added
