"""`tanu persons duplicates`: one row per likely pair with exactly the issue's columns, as CSV
or JSON, on the terminal or in a file, with the external ids of the register import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from tanu.accounts.tests.personas import Personas, make_personas
from tanu.cases.models import Person
from tanu.linkage.commands import COLUMNS
from tanu.linkage.models import MatchPair
from tanu.linkage.tests.population import add_aigerim, add_synthetic

REGISTER = (
    "external_id,family_name,given_name,patronymic,date_of_birth,sex,citizenship,"
    "document_number,region,registered_on,outcome,notes\n"
    "SH-0042,Сарсенбаева,Айгерим,Ерлановна,12.04.1999,F,KZ,,,,,\n"
)


class DuplicatesCommandTests(TestCase):
    personas: Personas
    aigerim: list[int]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        add_synthetic(cls.personas, n=300, seed=11)
        cls.aigerim = [p.pk for p in add_aigerim(cls.personas)[:2]]

    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("persons", "duplicates", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def import_register(self, tmp: Path) -> int:
        register = tmp / "register.csv"
        register.write_text(REGISTER, encoding="utf-8")
        call_command(
            "persons",
            "import",
            str(register),
            "--agency",
            str(self.personas.shelter.pk),
            "--by",
            self.personas.caseworker.username,
            stdout=io.StringIO(),
        )
        return Person.objects.latest("pk").pk

    def test_it_writes_one_csv_row_per_likely_pair_with_the_issues_columns(self) -> None:
        out, err = self.run_command()
        rows = list(csv.DictReader(io.StringIO(out)))
        assert tuple(csv.reader(io.StringIO(out)).__next__()) == COLUMNS
        first, second = sorted(self.aigerim)
        row = next(r for r in rows if (int(r["person_a"]), int(r["person_b"])) == (first, second))
        assert row["agency_a"] == str(self.personas.police.pk)
        assert row["agency_b"] == str(self.personas.shelter.pk)
        assert row["external_id_a"] == row["external_id_b"] == "", "not imported"
        assert 0.9 <= float(row["match_probability"]) <= 1
        assert {"family_name", "given_name", "date_of_birth"} <= set(row["agreements"].split())
        assert len(rows) == MatchPair.objects.count(), "the default threshold is the kept one"
        assert "reading persons" in err and "likely pairs" in err, "progress on the terminal"
        for value in ("Сарсенбаева", "Айгерим", "sarsenbaeva", "1999"):
            assert value not in out, "no personal value is written"

    def test_it_writes_json_to_a_file_with_the_import_s_external_ids(self) -> None:
        tmp = Path(self.enterContext(_tmpdir()))
        imported = self.import_register(tmp)
        target = tmp / "pairs.json"
        out, err = self.run_command("--format", "json", "--output", str(target))
        assert out == "" and str(target) in err
        rows = json.loads(target.read_text(encoding="utf-8"))
        assert rows and all(tuple(row) == COLUMNS for row in rows)
        found = [r for r in rows if imported in (r["person_a"], r["person_b"])]
        assert found, "the imported record is paired with her other records"
        for row in found:
            side = "a" if row["person_a"] == imported else "b"
            assert row[f"external_id_{side}"] == "SH-0042"
            assert isinstance(row["agreements"], list) and row["match_probability"] >= 0.9

    def test_another_threshold_changes_the_list_but_not_the_review_queue(self) -> None:
        default, _ = self.run_command()
        kept = MatchPair.objects.count()
        lowest = min(float(r["match_probability"]) for r in csv.DictReader(io.StringIO(default)))
        threshold = f"{(lowest + 1) / 2:g}"  # above the least likely pair kept by default
        stricter, err = self.run_command("--threshold", threshold)
        probabilities = [
            float(r["match_probability"]) for r in csv.DictReader(io.StringIO(stricter))
        ]
        assert len(probabilities) < len(default.splitlines()) - 1
        assert all(p >= float(threshold) for p in probabilities)
        assert MatchPair.objects.count() == kept and f"at {threshold}" in err

    def test_pairs_decided_different_are_not_listed(self) -> None:
        self.run_command()
        first, second = sorted(self.aigerim)
        MatchPair.objects.filter(person_a=first, person_b=second).update(
            status=MatchPair.Status.DIFFERENT
        )
        out, _ = self.run_command()
        assert f"\n{first},{second}," not in out
        assert MatchPair.objects.get(person_a=first, person_b=second).status == "different"


@pytest.mark.django_db
@pytest.mark.parametrize("threshold", ["0", "1", "1.5", "-0.1"])
def test_a_threshold_outside_0_and_1_is_refused(threshold: str) -> None:
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("persons", "duplicates", "--threshold", threshold, stdout=io.StringIO())


@pytest.mark.django_db
def test_an_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no folder"):
        call_command(
            "persons",
            "duplicates",
            "--output",
            str(tmp_path / "no" / "x.csv"),
            stdout=io.StringIO(),
        )


def _tmpdir():  # type: ignore[no-untyped-def]
    import tempfile

    return tempfile.TemporaryDirectory()
