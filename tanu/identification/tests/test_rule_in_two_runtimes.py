"""One rule, two runtimes: the phone's rule (static/identification/rule.js, run by node) and the
Python engine agree on every outcome and every dimension of generated answer sets."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tanu.identification import engine
from tanu.identification.checklist_files import CHECKLIST_DIR, load_checklist_file

RUNNER = Path(__file__).with_name("assess_lines.cjs")
ANSWER_SETS = 100_000
LETTERS = {"o": "observed", "n": "not_observed", "d": "declined", "u": "unknown"}
# How answers are drawn: from sparse interviews that stopped early to interviews where every
# question was put, so that every outcome comes up often.
MIXES = (
    {"o": 2, "n": 30, "d": 2, "u": 3, "-": 63},
    {"o": 5, "n": 80, "d": 5, "u": 5, "-": 5},
    {"o": 3, "n": 95, "d": 2, "u": 0, "-": 0},
    {"o": 10, "n": 85, "d": 5, "u": 0, "-": 0},
    {"o": 25, "n": 50, "d": 5, "u": 10, "-": 10},
    {"o": 60, "n": 20, "d": 10, "u": 5, "-": 5},
)


def _shipped_lists() -> list[dict[str, Any]]:
    lists = [load_checklist_file(path) for path in sorted(CHECKLIST_DIR.glob("ilo-*.json"))]
    assert len(lists) == 4
    return lists


def _answer_sets(codes: list[str], count: int, seed: int) -> Iterator[tuple[str, str, str]]:
    rng = random.Random(seed)
    mixes = [(list(mix), list(mix.values())) for mix in MIXES]
    for _ in range(count):
        letters, weights = rng.choice(mixes)
        answers = "".join(rng.choices(letters, weights, k=len(codes)))
        yield rng.choice(engine.AGE_GROUPS), rng.choice(engine.PERSON_FORMS), answers


def _dimensions(result: engine.Assessment) -> str:
    return ",".join(
        f"{key}:{int(d.positive)}:{d.strong}:{d.medium}:{d.weak}"
        for key, d in result.dimensions.items()
    )


def _python_line(
    by_population: dict[str, dict[str, engine.Checklist]],
    codes: list[str],
    age_group: str,
    form: str,
    letters: str,
) -> list[Any]:
    population = "child" if age_group in ("child", "unknown_maybe_child") else "adult"
    lists = by_population[population]
    forms = engine.FORMS if form == "unknown" else (form,)
    known = frozenset().union(*(lists[f"ilo-{population}-{f}"].codes for f in forms))
    kinds: dict[str, list[str]] = {"observed": [], "not_observed": [], "declined": []}
    for code, letter in zip(codes, letters, strict=True):
        answer = LETTERS.get(letter)
        if code in known and answer in kinds:
            kinds[answer].append(code)  # type: ignore[index]
    result = engine.assess_person(
        lists,
        age_group=age_group,
        form=form,
        observed=kinds["observed"],
        not_observed=kinds["not_observed"],
        declined=kinds["declined"],
    )
    return [
        result.outcome,
        result.checklist,
        result.assessment.threshold_met,
        result.enough_asked,
        result.unasked_strong,
        [f"{r.checklist}={r.outcome}/{_dimensions(r)}" for r in result.lists],
    ]


def test_the_phone_and_the_server_agree_on_every_outcome_and_dimension_of_100000_answer_sets() -> (
    None
):
    node = shutil.which("node")
    assert node, "node (Node.js) is needed to run the phone's rule outside the browser"
    data = _shipped_lists()
    codes = [indicator["code"] for checklist in data for indicator in checklist["indicators"]]
    by_population: dict[str, dict[str, engine.Checklist]] = {"adult": {}, "child": {}}
    for checklist in data:
        by_population[checklist["population"]][checklist["id"]] = engine.Checklist.from_dict(
            checklist
        )
    sets = list(_answer_sets(codes, ANSWER_SETS, seed=18))

    with tempfile.TemporaryFile("w+") as stdin:
        stdin.write(json.dumps({"checklists": data, "codes": codes}) + "\n")
        for answer_set in sets:
            stdin.write(json.dumps(answer_set) + "\n")
        stdin.seek(0)
        run = subprocess.run(
            [node, str(RUNNER)], stdin=stdin, capture_output=True, text=True, check=True
        )
    phone_lines = run.stdout.splitlines()
    assert len(phone_lines) == ANSWER_SETS

    outcomes: Counter[str] = Counter()
    forms_chosen: Counter[str] = Counter()
    for answer_set, phone_line in zip(sets, phone_lines, strict=True):
        expected = _python_line(by_population, codes, *answer_set)
        assert json.loads(phone_line) == expected, answer_set
        outcomes[expected[0]] += 1
        forms_chosen[expected[1]] += 1

    # The sets reach every outcome and every list often: agreement is not on one easy case.
    assert set(outcomes) == set(engine.ALL_OUTCOMES)
    assert min(outcomes.values()) > ANSWER_SETS // 50, outcomes
    assert len(forms_chosen) == 4 and min(forms_chosen.values()) > ANSWER_SETS // 20


def test_the_phone_rule_reports_a_difference_when_one_grade_differs() -> None:
    """The comparison can fail: the phone's rule run on a list whose grade was changed gives a
    different dimension, which the Python engine on the shipped list does not."""
    node = shutil.which("node")
    assert node
    data = _shipped_lists()
    adult_labour = next(c for c in data if c["id"] == "ilo-adult-labour")
    regraded = json.loads(json.dumps(data))
    changed = next(c for c in regraded if c["id"] == "ilo-adult-labour")
    regraded_indicator = next(i for i in changed["indicators"] if i["strength"] == "strong")
    regraded_indicator["strength"] = "weak"
    codes = [regraded_indicator["code"]]
    head = json.dumps({"checklists": regraded, "codes": codes})
    run = subprocess.run(
        [node, str(RUNNER)],
        input=head + "\n" + json.dumps(["adult", "labour", "o"]) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    checklist = engine.Checklist.from_dict(adult_labour)
    python = _python_line(
        {"adult": {checklist.id: checklist}, "child": {}}, codes, "adult", "labour", "o"
    )
    assert python[0] == engine.POSSIBLE_VICTIM  # a strong indicator observed
    assert json.loads(run.stdout)[0] == engine.INCOMPLETE  # a weak one alone, little asked
