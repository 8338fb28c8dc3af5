"""Finding likely duplicates: one person written in five ways is found as one, distinct people
are not paired, pairs people decided stay decided, and the estimated model holds no person."""

from __future__ import annotations

import itertools
import json

import pytest
from django.test import TestCase

from tanu.accounts.tests.personas import Personas, make_personas
from tanu.audit.models import AuditEntry
from tanu.cases import extensions
from tanu.cases.actions import ImportedPerson, do_open_imported_cases, do_update_person
from tanu.cases.models import Case
from tanu.linkage import engine
from tanu.linkage.features import PersonValues, feature_row, patronymic_root
from tanu.linkage.models import LinkageRun, MatchPair
from tanu.linkage.tests.population import (
    AIGERIM_COMMON,
    add_aigerim,
    add_person,
    add_synthetic,
)


def _values(**changes: object) -> PersonValues:
    base = {
        "person_id": 1,
        "family_name": "",
        "given_name": "",
        "patronymic": "",
        "other_names": "",
        "date_of_birth": "",
        "estimated_age": None,
        "reference_year": 2026,
        "sex": "unknown",
        "citizenship": "",
        "region": "1",
        "documents": [],
    }
    return PersonValues(**{**base, **changes})  # type: ignore[arg-type]


def test_the_five_spellings_of_the_issue_give_one_name_key() -> None:
    spellings = [
        ("Әйгерім", "Сәрсенбаева"),
        ("Айгерим", "Сарсенбаева"),
        ("AIGERIM", "SARSENBAEVA"),
        ("Äigerım", "Särsenbaeva"),
    ]
    rows = [feature_row(_values(given_name=g, family_name=f)) for g, f in spellings]
    assert {(r["given"], r["family"]) for r in rows} == {("aigerim", "sarsenbaeva")}


def test_a_russian_and_a_kazakh_patronymic_give_the_same_father() -> None:
    assert patronymic_root("erlanovna") == patronymic_root("erlankizi") == "erlan"
    assert patronymic_root("erlanoviç") == patronymic_root("erlanuli") == "erlan"


def test_a_missing_patronymic_or_date_is_unknown_not_different() -> None:
    row = feature_row(_values(given_name="Айгерим", estimated_age=30))
    assert row["patronymic"] is None and row["father"] is None and row["dob"] is None
    assert row["birth_year"] == 1996, "the birth year comes from the estimated age"
    assert row["sex"] is None, "sex not known is missing, not a value that could disagree"


def test_document_numbers_are_compared_normalised() -> None:
    row = feature_row(_values(documents=[{"type": "passport", "number": "№ n 1234-5678"}]))
    assert row["documents"] == ["N12345678"]
    typed = feature_row(_values(documents=[{"type": "passport", "number": "Н12345678"}]))
    assert typed["documents"] == ["N12345678"], "a passport's N typed as the Cyrillic Н"


def test_plain_features_keep_the_raw_spelling() -> None:
    row = feature_row(_values(given_name="Әйгерім", family_name="Сәрсенбаева"), plain=True)
    assert (row["given"], row["family"]) == ("әйгерім", "сәрсенбаева")


class FullRunTests(TestCase):
    """A population of a few hundred synthetic persons with the issue's person among them."""

    personas: Personas
    truth: dict[int, int]
    aigerim: list[int]
    namesake: int

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.truth = add_synthetic(cls.personas)
        cls.aigerim = [p.pk for p in add_aigerim(cls.personas)]
        # Another woman of the same name, born elsewhere and years apart: not her.
        cls.namesake = add_person(
            {
                "given_name": "Әйгерім",
                "family_name": "Сәрсенбаева",
                "patronymic": "Болатқызы",
                "date_of_birth": "1986-09-30",
                "sex": "female",
                "citizenship": "KZ",
            },
            agency=cls.personas.aktau_police,
            creator=cls.personas.screener,
        ).pk

    def pairs(self) -> set[tuple[int, int]]:
        return set(MatchPair.objects.values_list("person_a_id", "person_b_id"))

    def test_it_finds_the_issues_person_in_all_five_spellings(self) -> None:
        engine.run_full()
        found = self.pairs()
        expected = set(itertools.combinations(sorted(self.aigerim), 2))
        assert expected <= found, f"missed {sorted(expected - found)}"
        pair = MatchPair.objects.get(person_a=self.aigerim[0], person_b=self.aigerim[1])
        assert {"family_name", "given_name", "date_of_birth"} <= set(pair.agreements)
        typo = MatchPair.objects.get(person_a=self.aigerim[0], person_b=self.aigerim[4])
        assert "patronymic" not in typo.agreements, "her patronymic is missing there"
        assert typo.run is not None and typo.match_probability >= engine.default_threshold()

    def test_distinct_people_are_not_paired(self) -> None:
        engine.run_full()
        found = self.pairs()
        assert not {p for p in found if self.namesake in p}, "a namesake born 13 years apart"
        wrong = {(a, b) for a, b in found if a in self.truth and b in self.truth}
        wrong = {(a, b) for a, b in wrong if self.truth[a] != self.truth[b]}
        synthetic = {(a, b) for a, b in found if a in self.truth and b in self.truth}
        assert synthetic, "the synthetic duplicates are found"
        assert len(wrong) <= 0.05 * len(synthetic), f"{len(wrong)} of {len(synthetic)} wrong"

    def test_a_pair_decided_different_is_not_reopened_or_changed(self) -> None:
        first, second = sorted(self.aigerim[:2])
        cases = {c.person_id: c for c in Case.objects.filter(person_id__in=(first, second))}
        decided = MatchPair.objects.create(
            person_a_id=first,
            person_b_id=second,
            agency_a_id=cases[first].agency_id,
            agency_b_id=cases[second].agency_id,
            region_a_id=cases[first].region_id,
            region_b_id=cases[second].region_id,
            match_probability=0.5,
            agreements=["sex"],
            status=MatchPair.Status.DIFFERENT,
            decided_by=self.personas.caseworker,
        )
        engine.run_full()
        decided.refresh_from_db()
        assert decided.status == MatchPair.Status.DIFFERENT
        assert (decided.match_probability, decided.agreements) == (0.5, ["sex"])
        assert MatchPair.objects.filter(person_a=first, person_b=second).count() == 1

    def test_an_open_pair_no_longer_found_is_removed_and_one_found_again_is_updated(
        self,
    ) -> None:
        engine.run_full()
        kept = MatchPair.objects.get(person_a=self.aigerim[0], person_b=self.aigerim[1])
        MatchPair.objects.filter(pk=kept.pk).update(match_probability=0.1, agreements=[])
        stale = MatchPair.objects.create(
            person_a_id=self.aigerim[0],
            person_b_id=self.namesake,
            agency_a_id=kept.agency_a_id,
            agency_b_id=self.personas.aktau_police.pk,
            region_a_id=kept.region_a_id,
            region_b_id=self.personas.aktau_police.region_id,
            match_probability=0.95,
        )
        engine.run_full()
        kept.refresh_from_db()
        assert kept.match_probability > 0.9 and kept.agreements
        assert not MatchPair.objects.filter(pk=stale.pk).exists()

    def test_the_estimated_model_is_stored_without_personal_values(self) -> None:
        result = engine.run_full()
        run = LinkageRun.objects.get(pk=result.run.pk)
        assert run.kind == LinkageRun.Kind.FULL and run.finished_at is not None
        assert run.persons == len(self.truth) + 6 and run.pairs == result.run.pairs
        comparisons = {c["output_column_name"]: c for c in run.model["comparisons"]}
        assert set(comparisons) == set(engine.FIELDS)
        for name, comparison in comparisons.items():
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            assert all("u_probability" in level for level in levels), name
            assert "m_probability" in levels[0], f"{name}: m estimated for agreement"
        assert 0 < run.model["probability_two_random_records_match"] < 0.01
        text = json.dumps(run.model, ensure_ascii=False).casefold()
        for value in ("сәрсенбаева", "sarsenbaeva", "aigerim", "1999", "erlan"):
            assert value not in text

    def test_an_edited_person_is_compared_with_the_others_once_committed(self) -> None:
        engine.run_full()
        MatchPair.objects.all().delete()
        case = Case.objects.get(person_id=self.aigerim[2])
        assert extensions.PERSON_CHANGED_HOOKS, "linkage listens for changed persons"
        with self.captureOnCommitCallbacks(execute=True):
            do_update_person(
                case,
                actor=self.personas.screener,
                data={"patronymic": "", **AIGERIM_COMMON},
                expected_revision=case.revision,
            )
            assert not MatchPair.objects.exists(), "nothing happens before the commit"
        # Candidates share a document or two name keys: the record with a typo in the family
        # name and no patronymic shares one key only, and waits for the nightly run.
        others = {p for p in self.aigerim[:4] if p != self.aigerim[2]}
        paired = {
            a if b == self.aigerim[2] else b for a, b in self.pairs() if self.aigerim[2] in (a, b)
        }
        assert others <= paired
        run = LinkageRun.objects.filter(kind=LinkageRun.Kind.INCREMENTAL).get()
        assert run.pairs == len(paired) and run.model == {}

    def test_persons_imported_from_a_register_are_compared_once_committed(self) -> None:
        engine.run_full()
        MatchPair.objects.all().delete()
        assert extensions.PERSONS_IMPORTED_HOOKS, "linkage listens for register imports"
        with self.captureOnCommitCallbacks(execute=True):
            [case] = do_open_imported_cases(
                [
                    ImportedPerson(
                        person={
                            **AIGERIM_COMMON,
                            "given_name": "AIGERIM",
                            "family_name": "SARSENBAEVA",
                            "patronymic": "ERLANKYZY",
                        }
                    )
                ],
                agency=self.personas.aktau_police,
                actor=None,
                import_id="test",
            )
            assert not MatchPair.objects.exists(), "nothing happens before the commit"
        paired = {a if b == case.person_id else b for a, b in self.pairs()}
        assert set(self.aigerim[:2]) <= paired
        assert self.namesake not in paired

    def test_each_run_is_one_audited_read_naming_no_person(self) -> None:
        full = engine.run_full().run
        single = engine.run_incremental(self.aigerim[0])
        assert single is not None
        entries = AuditEntry.objects.filter(object_type="linkage_run").order_by("seq")
        assert [(e.action, e.object_id, e.actor_id, e.actor_username) for e in entries] == [
            ("read", str(full.pk), None, "linkage"),
            ("read", str(single.run.pk), None, "linkage"),
        ]
        assert "family_name" in entries[0].fields and "region" not in entries[0].fields


@pytest.mark.django_db
def test_without_a_full_run_a_changed_person_waits_for_the_nightly_run(
    personas: Personas,
) -> None:
    person = add_aigerim(personas)[0]
    assert engine.run_incremental(person.pk) is None
    assert not MatchPair.objects.exists() and not LinkageRun.objects.exists()
