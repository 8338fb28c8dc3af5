"""Scenario exercises: fictional cases (``scenarios/*.json``, in Kazakh, Russian and English)
that trainees screen with the real checklists, scored against an expert key.

A scenario file holds: ``id``; ``checklist`` (one of the four ILO lists); ``tags``; ``title``,
``story`` and ``lesson`` in kk/ru/en; ``key`` with the indicator codes present in the story
(``observed``), the ``outcome`` the assessment engine gives for exactly those codes, and the
right ``referrals`` (service kinds of :class:`tanu.referrals.models.Service.Kind`); and ``why``,
for every key code, where the story shows it. :func:`validate_scenario` checks all of this,
including that the engine agrees with the stated outcome.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tanu.identification import engine
from tanu.identification.checklist_files import CHECKLIST_DIR, load_checklist_file
from tanu.referrals.models import Service
from tanu.training.models import current_language
from tanu.training.scoring import ExerciseScore, score_exercise

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
LANGUAGES = ("kk", "ru", "en")
TAGS = frozenset(
    {
        "labour",
        "sexual",
        "adult",
        "child",
        "internal",
        "cross_border",
        "begging",
        "criminality",
        "domestic_servitude",
        "detention_visit",
        "not_trafficking",
        "possible",
    }
)


class ScenarioError(ValueError):
    pass


def _texts(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping) or any(
        not isinstance(value.get(lang), str) or not value.get(lang, "").strip()
        for lang in LANGUAGES
    ):
        problems.append(f"{where} needs kk, ru and en texts")


@cache
def _file_checklists() -> dict[str, engine.Checklist]:
    lists = {}
    for path in sorted(CHECKLIST_DIR.glob("ilo-*.json")):
        data = load_checklist_file(path)
        lists[data["id"]] = engine.Checklist.from_dict(data)
    return lists


def validate_scenario(
    data: Any, checklists: Mapping[str, engine.Checklist] | None = None
) -> list[str]:
    """The problems of one scenario (an empty list when it is valid)."""
    checklists = checklists if checklists is not None else _file_checklists()
    if not isinstance(data, Mapping):
        return ["a scenario must be a JSON object"]
    problems: list[str] = []
    if not isinstance(data.get("id"), str) or not data["id"]:
        problems.append("id must be a non-empty string")
    checklist = checklists.get(str(data.get("checklist")))
    if checklist is None:
        problems.append(f"unknown checklist {data.get('checklist')!r}")
    tags = data.get("tags")
    if not isinstance(tags, list) or not set(tags) <= TAGS:
        problems.append(f"tags must be a list of {', '.join(sorted(TAGS))}")
    for name in ("title", "story", "lesson"):
        _texts(data.get(name), name, problems)
    key = data.get("key")
    if not isinstance(key, Mapping):
        return [*problems, "key must be an object"]
    observed = key.get("observed")
    if not isinstance(observed, list) or not all(isinstance(c, str) for c in observed):
        return [*problems, "key.observed must be a list of indicator codes"]
    if checklist is not None:
        unknown = sorted(set(observed) - checklist.codes)
        if unknown:
            problems.append(f"key codes not in {checklist.id}: {', '.join(unknown)}")
        else:
            # The story is told in full: what the key does not list was not observed.
            outcome = engine.assess(checklist, observed, checklist.codes - set(observed)).outcome
            if outcome != key.get("outcome"):
                problems.append(
                    f"key.outcome is {key.get('outcome')!r} but the engine gives {outcome!r}"
                )
    referrals = key.get("referrals")
    if not isinstance(referrals, list) or not set(referrals) <= set(Service.Kind.values):
        problems.append("key.referrals must be a list of service kinds")
    why = data.get("why")
    if not isinstance(why, Mapping):
        problems.append("why must be an object")
    else:
        if set(why) != set(observed):
            problems.append("why must explain every key code, and only those")
        for code, text in why.items():
            _texts(text, f"why {code}", problems)
    return problems


@dataclass(frozen=True)
class Scenario:
    id: str
    position: int
    checklist: str
    tags: tuple[str, ...]
    title_texts: Mapping[str, str]
    story_texts: Mapping[str, str]
    lesson_texts: Mapping[str, str]
    key_observed: tuple[str, ...]
    key_outcome: str
    key_referrals: tuple[str, ...]
    why_texts: Mapping[str, Mapping[str, str]]

    def _pick(self, texts: Mapping[str, str], lang: str | None = None) -> str:
        lang = lang or current_language()
        return texts.get(lang) or texts.get("ru") or texts.get("en", "")

    @property
    def title(self) -> str:
        return self._pick(self.title_texts)

    @property
    def story(self) -> str:
        return self._pick(self.story_texts)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.story.split("\n\n") if p.strip()]

    @property
    def lesson(self) -> str:
        return self._pick(self.lesson_texts)

    def why(self, code: str) -> str:
        texts = self.why_texts.get(code)
        return self._pick(texts) if texts else ""

    @property
    def population(self) -> str:
        return "child" if "child" in self.tags else "adult"

    def score(
        self, observed: Iterable[str], outcome: str, referrals: Iterable[str]
    ) -> ExerciseScore:
        checklist = _file_checklists().get(self.checklist)
        order = list(checklist.indicators) if checklist is not None else []
        return score_exercise(
            observed=observed,
            key_observed=self.key_observed,
            outcome=outcome,
            key_outcome=self.key_outcome,
            referrals=referrals,
            key_referrals=self.key_referrals,
            order=order,
        )


def _scenario(data: Mapping[str, Any], position: int) -> Scenario:
    return Scenario(
        id=data["id"],
        position=position,
        checklist=data["checklist"],
        tags=tuple(data["tags"]),
        title_texts=dict(data["title"]),
        story_texts=dict(data["story"]),
        lesson_texts=dict(data["lesson"]),
        key_observed=tuple(data["key"]["observed"]),
        key_outcome=data["key"]["outcome"],
        key_referrals=tuple(data["key"]["referrals"]),
        why_texts={code: dict(texts) for code, texts in data["why"].items()},
    )


def load_file(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def all_scenarios() -> tuple[Scenario, ...]:
    """Every scenario, in file name order. A broken file is an error, not a silent skip."""
    found = []
    for position, path in enumerate(sorted(SCENARIO_DIR.glob("*.json")), 1):
        data = load_file(path)
        problems = validate_scenario(data)
        if problems:
            raise ScenarioError(f"{path.name}: " + "; ".join(problems))
        found.append(_scenario(data, position))
    return tuple(found)


def get_scenario(scenario_id: str) -> Scenario | None:
    for scenario in all_scenarios():
        if scenario.id == scenario_id:
            return scenario
    return None
