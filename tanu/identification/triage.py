"""The quick triage: any 'yes' means a full screening is needed.

Also the *sparse* measure of how often the triage would miss a presumed victim (see
docs/identification.md): presumed victims who disclose just enough to meet the rule, the fewest
indicators, chosen at random among the patterns that make each needed dimension positive.
Pure Python over the checklist data and the engine, so that the benchmark and the tests measure
the same thing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

from tanu.identification import engine


def all_covered_codes(data: Mapping[str, Any], checklist_id: str) -> set[str]:
    """Every indicator of the checklist that some triage question covers."""
    return {code for q in data["questions"] for code in q["covers"].get(checklist_id, [])}


def triage_result(data: dict[str, Any], yes: set[str]) -> dict[str, Any]:
    """A full screening is needed as soon as one question is answered yes: the triage only
    decides whether to take the time for the full checklist, never that someone is not a victim."""
    return {"full_screening": bool(yes), "yes_count": len(yes)}


# ---------------------------------------------------------------------------------------------
# Sparse presumed victims


def _by_grade(checklist: engine.Checklist) -> dict[str, dict[str, list[str]]]:
    grades: dict[str, dict[str, list[str]]] = {
        key: {grade: [] for grade in engine.STRENGTHS} for key in checklist.dimensions
    }
    for indicator in checklist.indicators.values():
        grades[indicator.dimension][indicator.strength].append(indicator.code)
    return grades


def _feasible(clause: Mapping[str, int], grades: Mapping[str, list[str]]) -> bool:
    strong, medium, weak = (len(grades[g]) for g in engine.STRENGTHS)
    need_m, need_w = clause.get("medium", 0), clause.get("weak", 0)
    return (
        strong >= clause.get("strong", 0)
        and medium >= need_m
        and weak >= need_w
        and medium + weak - need_m - need_w >= clause.get("medium_or_weak", 0)
    )


def _realise(
    clause: Mapping[str, int], grades: Mapping[str, list[str]], rng: random.Random
) -> list[str]:
    """Exactly the indicators the clause asks for, each drawn at random from its grade."""
    chosen = rng.sample(grades["strong"], clause.get("strong", 0))
    medium = rng.sample(grades["medium"], clause.get("medium", 0))
    weak = rng.sample(grades["weak"], clause.get("weak", 0))
    chosen += medium + weak
    rest = [c for c in grades["medium"] + grades["weak"] if c not in medium and c not in weak]
    chosen += rng.sample(rest, clause.get("medium_or_weak", 0))
    return chosen


def sparse_presumed_victims(
    checklist: engine.Checklist, rng: random.Random
) -> Iterator[frozenset[str]]:
    """Endless sparse presumed victims of ``checklist`` (their observed indicators).

    For each threshold group: one of its dimensions at random (among those that can be made
    positive), one of the rule's clauses at random (among those the dimension's indicators can
    meet), and exactly the indicators that clause asks for, at random within each grade. So each
    needed dimension is positive with the fewest indicators, and the threshold is just met."""
    grades = _by_grade(checklist)
    clauses = checklist.rule.dimension_positive
    options = [
        [
            (key, [c for c in clauses if _feasible(c, grades[key])])
            for key in group
            if any(_feasible(c, grades[key]) for c in clauses)
        ]
        for group in checklist.rule.threshold
    ]
    while True:
        observed: set[str] = set()
        for group in options:
            key, feasible = rng.choice(group)
            observed.update(_realise(rng.choice(feasible), grades[key], rng))
        yield frozenset(observed)


def sparse_miss_rate(
    triage: Mapping[str, Any], checklist: engine.Checklist, *, n: int, seed: int
) -> tuple[int, int]:
    """(misses, n): how many of ``n`` sparse presumed victims (drawn with ``seed``) the triage
    would miss, every answer being "no" because no question covers any observed indicator."""
    covered = all_covered_codes(triage, checklist.id)
    victims = sparse_presumed_victims(checklist, random.Random(seed))
    misses = 0
    for _ in range(n):
        observed = next(victims)
        if engine.assess(checklist, observed).outcome != engine.PRESUMED_VICTIM:
            raise AssertionError(f"not a presumed victim of {checklist.id}: {sorted(observed)}")
        if not observed & covered:
            misses += 1
    return misses, n
