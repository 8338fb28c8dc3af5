"""The scenario exercises: at least twelve, in three languages, each key made of real checklist
codes, and the engine agreeing with every stated outcome."""

from __future__ import annotations

import copy

import pytest

from tanu.identification import engine
from tanu.identification.checklist_files import CHECKLIST_DIR, load_checklist_file
from tanu.referrals.models import Service
from tanu.training.exercises import SCENARIO_DIR, all_scenarios, load_file, validate_scenario

CHECKLISTS = {
    data["id"]: engine.Checklist.from_dict(data)
    for data in (load_checklist_file(p) for p in CHECKLIST_DIR.glob("ilo-*.json"))
}
FILES = sorted(SCENARIO_DIR.glob("*.json"))


def test_there_are_at_least_twelve_scenarios_with_unique_ids() -> None:
    scenarios = all_scenarios()
    assert len(scenarios) >= 12
    assert len({s.id for s in scenarios}) == len(scenarios)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_engine_agrees_with_every_stated_outcome(path: object) -> None:
    data = load_file(path)  # type: ignore[arg-type]
    checklist = CHECKLISTS[data["checklist"]]
    assert set(data["key"]["observed"]) <= checklist.codes
    observed = set(data["key"]["observed"])
    result = engine.assess(checklist, observed, checklist.codes - observed)
    assert result.outcome == data["key"]["outcome"]
    assert set(data["key"]["referrals"]) <= set(Service.Kind.values)
    assert validate_scenario(data, CHECKLISTS) == []
    for field in ("title", "story", "lesson"):
        assert all(data[field][lang].strip() for lang in ("kk", "ru", "en"))


def test_the_scenarios_cover_what_the_seminars_teach() -> None:
    tags = [set(s.tags) for s in all_scenarios()]
    for wanted in (
        {"labour", "adult"},
        {"sexual", "adult"},
        {"labour", "child"},
        {"sexual", "child"},
        {"begging"},
        {"criminality"},
        {"domestic_servitude"},
        {"internal"},
        {"cross_border"},
        {"detention_visit"},
        {"not_trafficking"},
    ):
        assert any(wanted <= t for t in tags), wanted
    outcomes = {s.key_outcome for s in all_scenarios()}
    assert outcomes == {"presumed_victim", "possible_victim", "no_indication"}
    checklists = {s.checklist for s in all_scenarios()}
    assert checklists == set(CHECKLISTS)


def test_cases_that_are_not_trafficking_do_not_reach_presumed_victim() -> None:
    for scenario in all_scenarios():
        if "not_trafficking" in scenario.tags:
            assert scenario.key_outcome == "no_indication", scenario.id


def test_a_wrong_key_is_caught_by_validation() -> None:
    data = load_file(FILES[0])
    wrong = copy.deepcopy(data)
    wrong["key"]["outcome"] = "no_indication"
    assert any("engine gives" in p for p in validate_scenario(wrong, CHECKLISTS))
    unknown = copy.deepcopy(data)
    unknown["key"]["observed"].append("ZZ-99")
    assert any("not in" in p for p in validate_scenario(unknown, CHECKLISTS))
    no_why = copy.deepcopy(data)
    no_why["why"].popitem()
    assert any("why" in p for p in validate_scenario(no_why, CHECKLISTS))
    missing_language = copy.deepcopy(data)
    del missing_language["story"]["kk"]
    assert any("story" in p for p in validate_scenario(missing_language, CHECKLISTS))
    assert validate_scenario([], CHECKLISTS) == ["a scenario must be a JSON object"]
