"""`tanu assess`: JSON Lines in, one result line per screening out, bad lines reported."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tanu.identification.checklist_files import load_all
from tanu.identification.engine import DIMENSIONS, Checklist, assess
from tanu.identification.management.commands import assess as assess_command
from tanu.identification.tests import SMALL_GRADES, make_checklist_data

FIXTURE = make_checklist_data(SMALL_GRADES, checklist_id="test-adult-labour")
RESULT_KEYS = {"id", "outcome", "threshold_met", "enough_asked", "dimensions", "decisive"}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Serve the fixture checklist to the command; record which ids it asked for."""
    asked: list[str] = []

    def get_checklist_data(checklist_id: str) -> dict[str, Any] | None:
        asked.append(checklist_id)
        return FIXTURE if checklist_id == FIXTURE["id"] else None

    monkeypatch.setattr(assess_command, "get_checklist_data", get_checklist_data)
    return asked


def run(stdin: str | bytes, *args: str) -> tuple[list[dict[str, Any]], int]:
    """Run the command; return the output lines (parsed) and the exit status."""
    out = io.StringIO()
    stream = io.BytesIO(stdin) if isinstance(stdin, bytes) else io.StringIO(stdin)
    try:
        call_command("assess", *args, stdin=stream, stdout=out)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    text = out.getvalue()
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()], status


def line(**fields: Any) -> str:
    return json.dumps({"checklist": "test-adult-labour", **fields}) + "\n"


def test_each_screening_gets_one_result_line_in_order(reads: list[str]) -> None:
    stdin = (
        line(id="a", observed=["AL-DR-01", "AL-DR-02"], not_observed=["AL-EC-01"])
        + line(id="b", observed=[], not_observed=[])
        + line(id=3, observed=["AL-EC-01"], declined=["AL-EC-02"])
    )
    results, status = run(stdin)
    assert status == 0
    assert [r["id"] for r in results] == ["a", "b", 3]
    for result in results:
        assert set(result) == RESULT_KEYS
        assert list(result["dimensions"]) == list(DIMENSIONS)
        for counts in result["dimensions"].values():
            assert set(counts) == {"positive", "strong", "medium", "weak"}
    assert results[0]["dimensions"]["deceptive_recruitment"] == {
        "positive": True,
        "strong": 2,
        "medium": 0,
        "weak": 0,
    }
    assert results[1]["outcome"] == "incomplete"
    assert results[2]["outcome"] == "possible_victim"


def test_an_unasked_screening_is_incomplete_and_a_fully_asked_one_no_indication(
    reads: list[str],
) -> None:
    every_code = [item["code"] for item in FIXTURE["indicators"]]
    stdin = (
        line(id="nothing asked")
        + line(id="half asked", not_observed=every_code[: len(every_code) // 2])
        + line(id="all asked", not_observed=every_code)
    )
    results, status = run(stdin)
    assert status == 0
    assert [(r["outcome"], r["enough_asked"]) for r in results] == [
        ("incomplete", False),
        ("incomplete", False),
        ("no_indication", True),
    ]


def test_the_results_are_the_engines(reads: list[str]) -> None:
    checklist = Checklist.from_dict(FIXTURE)
    observed = ["AL-DR-01", "AL-DR-04", "AL-EC-04", "AL-EC-05", "AL-CD-02"]
    not_observed = ["AL-EC-06", "AL-CD-01"]
    results, _ = run(line(id="x", observed=observed, not_observed=not_observed))
    expected = assess(checklist, observed, not_observed).to_dict()
    assert results[0] == {"id": "x", **{key: expected[key] for key in RESULT_KEYS - {"id"}}}
    assert len(results[0]["decisive"]) == 10


def test_output_lines_are_compact_json_with_the_keys_in_the_documented_order(
    reads: list[str],
) -> None:
    out = io.StringIO()
    stdin = line(id="é", observed=["AL-DR-01", "AL-EC-04"]) + "[]\n"
    with pytest.raises(SystemExit):
        call_command("assess", stdin=io.StringIO(stdin), stdout=out)
    for text in out.getvalue().splitlines():
        parsed = json.loads(text)
        assert text == json.dumps(parsed, separators=(",", ":"))
    first = json.loads(out.getvalue().splitlines()[0])
    assert list(first) == [
        "id",
        "outcome",
        "threshold_met",
        "enough_asked",
        "dimensions",
        "decisive",
    ]
    assert first["id"] == "é"


def test_blank_lines_are_skipped(reads: list[str]) -> None:
    results, status = run("\n" + line(id=1) + "   \n\n" + line(id=2))
    assert status == 0
    assert [r["id"] for r in results] == [1, 2]


def test_answers_may_be_left_out_and_then_are_unknown(reads: list[str]) -> None:
    results, status = run(json.dumps({"checklist": "test-adult-labour"}) + "\n")
    assert status == 0
    assert results[0]["id"] is None
    assert results[0]["decisive"][0] == "AL-DR-01"


@pytest.mark.parametrize(
    ("bad_line", "expected_id", "message"),
    [
        ("{not json", None, "line 2: not valid JSON"),
        ("[1, 2]", None, "line 2: expected a JSON object, got list"),
        ('"text"', None, "expected a JSON object, got str"),
        ('{"id": "m"}', "m", 'missing "checklist"'),
        ('{"id": "u", "checklist": "nope"}', "u", "unknown checklist 'nope'"),
        ('{"id": "n", "checklist": 7}', "n", '"checklist" must be a string'),
        (
            '{"id": "c", "checklist": "test-adult-labour", "observed": ["AL-XX-01"]}',
            "c",
            "unknown indicator code for checklist test-adult-labour: AL-XX-01",
        ),
        (
            '{"id": "b", "checklist": "test-adult-labour", "observed": ["AL-DR-01"], '
            '"not_observed": ["AL-DR-01"]}',
            "b",
            "indicator both observed and not observed: AL-DR-01",
        ),
        (
            '{"id": "s", "checklist": "test-adult-labour", "observed": "AL-DR-01"}',
            "s",
            '"observed" must be a list of indicator codes',
        ),
        (
            '{"id": "i", "checklist": "test-adult-labour", "not_observed": [1]}',
            "i",
            "not_observed must be a list of indicator codes (strings)",
        ),
        (
            '{"id": "d", "checklist": "test-adult-labour", "declined": {"AL-DR-01": true}}',
            "d",
            '"declined" must be a list of indicator codes',
        ),
        (
            '{"id": true, "checklist": "test-adult-labour"}',
            None,
            '"id" must be a string or a whole number',
        ),
        (
            '{"id": "t", "checklist": "test-adult-labour", "not-observed": []}',
            "t",
            'unexpected key(s) "not-observed"',
        ),
    ],
)
def test_a_bad_line_gets_an_error_and_the_rest_go_on(
    reads: list[str], bad_line: str, expected_id: Any, message: str
) -> None:
    results, status = run(line(id="before") + bad_line + "\n" + line(id="after"))
    assert status == 1
    assert [r["id"] for r in results] == ["before", expected_id, "after"]
    assert set(results[1]) == {"id", "error"}
    assert message in results[1]["error"]
    assert "outcome" in results[0]
    assert "outcome" in results[2]


def test_a_line_that_is_not_utf8_is_a_bad_line(reads: list[str]) -> None:
    stdin = line(id=1).encode() + b'{"id": "\xff"}\n' + line(id=2).encode()
    results, status = run(stdin)
    assert status == 1
    assert [r.get("id") for r in results] == [1, None, 2]
    assert "not valid JSON" in results[1]["error"]


def test_the_input_may_come_from_a_file(reads: list[str], tmp_path: Path) -> None:
    path = tmp_path / "screenings.jsonl"
    path.write_text(line(id="f1", observed=["AL-DR-01"]) + line(id="f2"), encoding="utf-8")
    results, status = run("this stdin is not read\n", "--input", str(path))
    assert status == 0
    assert [r["id"] for r in results] == ["f1", "f2"]


def test_a_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"cannot read .*missing\.jsonl: No such file"):
        call_command("assess", "--input", str(tmp_path / "missing.jsonl"), stdout=io.StringIO())


def test_each_checklist_is_read_once_per_run(reads: list[str]) -> None:
    stdin = line(id=1) * 5 + '{"checklist": "nope"}\n' * 3
    _, status = run(stdin)
    assert status == 1
    assert reads == ["test-adult-labour", "nope"]


def test_no_input_gives_no_output_and_success(reads: list[str]) -> None:
    assert run("") == ([], 0)


def test_tanu_assess_runs_end_to_end_on_the_shipped_checklists(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": 1, "checklist": "ilo-adult-labour", "observed": ["AL-DR-01"], "not_observed": []}\n'
        '{"id": 2, "checklist": "ilo-child-sexual", "observed": ["AL-DR-01"]}\n',
        encoding="utf-8",
    )
    # The checklists in force are in the database (the shipped files are the first versions).
    env = {
        **os.environ,
        "TANU_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "tanu.settings",
        "TANU_DATABASE_URL": f"sqlite:///{tmp_path / 'tanu.sqlite3'}",
    }
    unready = subprocess.run(
        [sys.executable, "-m", "tanu", "assess", "--input", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert unready.returncode == 1
    assert "the database is not ready (run tanu migrate)" in unready.stderr
    subprocess.run(
        [sys.executable, "-m", "tanu", "migrate", "--no-input"],
        capture_output=True,
        env=env,
        timeout=300,
        check=True,
    )
    completed = subprocess.run(
        [sys.executable, "-m", "tanu", "assess", "--input", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    first, second = (json.loads(text) for text in completed.stdout.splitlines())
    assert first["id"] == 1
    assert first["outcome"] == assess(load_all()["ilo-adult-labour"], ["AL-DR-01"]).outcome
    assert second == {
        "id": 2,
        "error": "line 2: unknown indicator code for checklist ilo-child-sexual: AL-DR-01",
    }
