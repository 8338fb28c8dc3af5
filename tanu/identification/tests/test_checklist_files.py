"""The shipped checklist files, how they are read, and `tanu checklist`.

These tests read the real files in ``tanu/identification/checklists/``: they are part of the
product and must be present (a missing file fails, it is not skipped).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tanu.identification.checklist_files import (
    CHECKLIST_DIR,
    load_all,
    load_all_data,
    load_checklist_file,
    load_triage,
)
from tanu.identification.engine import DIMENSIONS, LANGUAGES, InvalidChecklist, validate_checklist
from tanu.identification.tests import (
    ADULT_THRESHOLD,
    CHILD_THRESHOLD,
    DESIGN_RULE_CLAUSES,
    SMALL_GRADES,
    make_checklist_data,
)

ILO_LISTS = {
    "ilo-adult-labour": ("adult", "labour", "AL-"),
    "ilo-adult-sexual": ("adult", "sexual", "AS-"),
    "ilo-child-labour": ("child", "labour", "CL-"),
    "ilo-child-sexual": ("child", "sexual", "CS-"),
}
CODE_PATTERN = re.compile(r"^[AC][LS]-[A-Z]{2}-\d{2}$")


def per_dimension(data: dict[str, Any]) -> list[int]:
    counts = Counter(indicator["dimension"] for indicator in data["indicators"])
    return [counts[key] for key in DIMENSIONS]


# -- the shipped files ---------------------------------------------------------------------


def test_the_four_ilo_checklists_are_shipped() -> None:
    for checklist_id in ILO_LISTS:
        assert (CHECKLIST_DIR / f"{checklist_id}.json").is_file(), checklist_id
    assert set(load_all_data()) == set(ILO_LISTS)


@pytest.mark.parametrize("checklist_id", list(ILO_LISTS))
def test_each_ilo_checklist_passes_validation(checklist_id: str) -> None:
    data = load_checklist_file(CHECKLIST_DIR / f"{checklist_id}.json")
    assert validate_checklist(data) == []
    population, form, prefix = ILO_LISTS[checklist_id]
    assert data["id"] == checklist_id
    assert (data["population"], data["form"]) == (population, form)
    assert all(item["code"].startswith(prefix) for item in data["indicators"])
    assert all(CODE_PATTERN.match(item["code"]) for item in data["indicators"])
    assert data["rule"]["dimension_positive"] == DESIGN_RULE_CLAUSES
    threshold = ADULT_THRESHOLD if population == "adult" else CHILD_THRESHOLD
    assert data["rule"]["threshold"] == threshold


def test_all_checklists_load_as_engine_checklists() -> None:
    checklists = load_all()
    assert set(checklists) == set(ILO_LISTS)
    for checklist_id, checklist in checklists.items():
        assert checklist.id == checklist_id
        assert checklist.dimensions == DIMENSIONS


def test_no_code_is_shared_between_two_lists() -> None:
    seen: dict[str, str] = {}
    for checklist_id, data in load_all_data().items():
        for indicator in data["indicators"]:
            assert indicator["code"] not in seen, (indicator["code"], checklist_id)
            seen[indicator["code"]] = checklist_id


def test_adult_labour_has_67_indicators_in_the_ilo_shape() -> None:
    data = load_all_data()["ilo-adult-labour"]
    assert len(data["indicators"]) == 67
    assert per_dimension(data) == [10, 10, 16, 9, 15, 7]


def test_child_labour_has_65_indicators_and_no_weak_grade() -> None:
    data = load_all_data()["ilo-child-labour"]
    assert len(data["indicators"]) == 65
    assert per_dimension(data) == [10, 10, 15, 8, 15, 7]
    assert {indicator["strength"] for indicator in data["indicators"]} <= {"strong", "medium"}


def test_the_triage_has_at_most_20_questions_and_names_only_existing_codes() -> None:
    triage = load_triage()
    questions = triage["questions"]
    assert 0 < len(questions) <= 20
    lists = load_all_data()
    codes_of = {cid: {item["code"] for item in data["indicators"]} for cid, data in lists.items()}
    all_codes = set().union(*codes_of.values())
    for question in questions:
        for checklist_id, codes in question.get("covers", {}).items():
            assert checklist_id in codes_of, (question.get("code"), checklist_id)
            assert set(codes) <= codes_of[checklist_id], (question.get("code"), checklist_id)

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for item in value.values() for s in strings(item)]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        return []

    named = {s for s in strings(triage) if CODE_PATTERN.match(s)}
    assert named, "the triage names no indicator code"
    assert named <= all_codes, sorted(named - all_codes)


def test_the_triage_is_not_loaded_as_a_checklist() -> None:
    assert "triage" not in load_all()
    assert load_triage()["id"] == "triage"


# -- reading files -------------------------------------------------------------------------


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_load_all_reads_only_ilo_files_from_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "ilo-test.json", make_checklist_data(SMALL_GRADES, checklist_id="t1"))
    write(tmp_path / "triage.json", {"id": "triage", "questions": []})
    write(tmp_path / "other.json", {"id": "other"})
    assert list(load_all(tmp_path)) == ["t1"]
    assert load_triage(tmp_path) == {"id": "triage", "questions": []}


def test_an_invalid_checklist_file_is_refused(tmp_path: Path) -> None:
    data = make_checklist_data(SMALL_GRADES, checklist_id="broken")
    data["indicators"][0]["strength"] = "huge"
    write(tmp_path / "ilo-broken.json", data)
    with pytest.raises(InvalidChecklist, match="broken"):
        load_all(tmp_path)


def test_two_files_with_the_same_id_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "ilo-a.json", make_checklist_data(SMALL_GRADES, checklist_id="same"))
    write(tmp_path / "ilo-b.json", make_checklist_data(SMALL_GRADES, checklist_id="same"))
    with pytest.raises(ValueError, match="same"):
        load_all_data(tmp_path)


def test_a_file_that_is_not_a_json_object_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="JSON object"):
        load_checklist_file(write(tmp_path / "ilo-list.json", [1, 2]))


# -- tanu checklist ------------------------------------------------------------------------


def checklist_command(*args: str) -> str:
    out = io.StringIO()
    call_command("checklist", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_checklist_list_prints_one_line_per_checklist() -> None:
    lines = checklist_command("list").splitlines()
    assert len(lines) == len(ILO_LISTS)
    first = lines[0].split("\t")
    assert first == ["ilo-adult-labour", "version 2", "adult", "labour", "67 indicators"]


@pytest.mark.django_db
def test_checklist_show_prints_the_checklist_as_json() -> None:
    shown = json.loads(checklist_command("show", "ilo-child-labour", "--format", "json"))
    data = load_all_data()["ilo-child-labour"]
    assert list(shown) == [
        "id",
        "version",
        "population",
        "form",
        "title",
        "rule",
        "dimensions",
        "indicators",
    ]
    assert shown["id"] == "ilo-child-labour"
    assert shown["rule"] == data["rule"]
    assert [d["key"] for d in shown["dimensions"]] == list(DIMENSIONS)
    assert len(shown["indicators"]) == 65
    indicator = shown["indicators"][0]
    assert list(indicator) == ["code", "dimension", "strength", "label", "prompt", "source"]
    assert set(indicator["label"]) == set(LANGUAGES) == set(indicator["prompt"])
    assert indicator["label"] == data["indicators"][0]["label"]


@pytest.mark.django_db
def test_checklist_show_keeps_kazakh_and_russian_text_readable() -> None:
    text = checklist_command("show", "ilo-adult-labour")
    title = load_all_data()["ilo-adult-labour"]["title"]
    assert title["kk"] in text
    assert title["ru"] in text


@pytest.mark.django_db
def test_checklist_show_as_text_lists_indicators_by_dimension() -> None:
    text = checklist_command("show", "ilo-adult-sexual", "--format", "text", "--language", "ru")
    data = load_all_data()["ilo-adult-sexual"]
    assert text.startswith("ilo-adult-sexual (version 2): adult, sexual exploitation")
    assert data["title"]["ru"] in text
    for indicator in data["indicators"]:
        assert indicator["code"] in text
        assert indicator["label"]["ru"] in text


@pytest.mark.django_db
def test_checklist_show_of_an_unknown_id_is_an_error() -> None:
    with pytest.raises(CommandError, match="unknown checklist 'ilo-nope'"):
        checklist_command("show", "ilo-nope")


def test_tanu_checklist_show_of_an_unknown_id_exits_with_status_1(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TANU_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "tanu.settings",
        "TANU_DATABASE_URL": f"sqlite:///{tmp_path / 'tanu.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "-m", "tanu", "migrate", "--no-input"],
        capture_output=True,
        env=env,
        timeout=300,
        check=True,
    )
    completed = subprocess.run(
        [sys.executable, "-m", "tanu", "checklist", "show", "ilo-nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "unknown checklist 'ilo-nope'" in completed.stderr
