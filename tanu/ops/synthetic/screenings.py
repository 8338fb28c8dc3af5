"""Synthetic screenings: spread over the days (more every year, fewer at weekends), over the
agencies that screen and their places; answers follow three profiles (no indication, possible
victim, presumed victim) and every result is computed by the real engine
(:mod:`tanu.identification.engine`). A few are drafts and a few were corrected (superseded).
Presumed and possible victims go on to a case (:mod:`tanu.ops.synthetic.cases`) or, for adults
who declined one, an anonymous notification."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tanu.cases.models import AnonymousNotification, age_band
from tanu.identification import catalogue, engine
from tanu.identification.models import Screening
from tanu.ops.synthetic.cases import CASE_RATE, CITIZENSHIPS, DECLINE_RATE, CaseMaker
from tanu.ops.synthetic.generator import ALMATY_TZ, clamp, weighted
from tanu.ops.synthetic.visits import VisitMaker
from tanu.ops.synthetic.world import RegionInfo

# Agency key -> the agency's share of a region's screenings, and where it screens.
SCREENING_SHARE: dict[str, float] = {
    "admin_police": 0.36,
    "criminal_police": 0.14,
    "migration": 0.14,
    "rehab_homeless": 0.12,
    "juvenile_centre": 0.08,
    "ngo": 0.11,
    "shelter": 0.05,
}
PLACES: dict[str, tuple[tuple[str, float], ...]] = {
    "admin_police": (
        ("patrol", 0.6),
        ("border_or_transport", 0.2),
        ("workplace_inspection", 0.1),
        ("hotline", 0.05),
        ("other", 0.05),
    ),
    "criminal_police": (
        ("workplace_inspection", 0.35),
        ("patrol", 0.2),
        ("hotline", 0.15),
        ("border_or_transport", 0.1),
        ("other", 0.2),
    ),
    "migration": (
        ("border_or_transport", 0.5),
        ("workplace_inspection", 0.3),
        ("detention_facility", 0.2),
    ),
    "rehab_homeless": (("rehabilitation_centre", 0.9), ("other", 0.1)),
    "juvenile_centre": (("rehabilitation_centre", 0.8), ("other", 0.2)),
    "ngo": (("detention_facility", 0.45), ("rehabilitation_centre", 0.35), ("hotline", 0.2)),
    "shelter": (("hotline", 0.3), ("other", 0.4), ("rehabilitation_centre", 0.3)),
}
YEAR_WEIGHT = {2019: 0.5, 2020: 0.45, 2021: 0.7, 2022: 0.85, 2023: 1.0, 2024: 1.1, 2025: 1.2}
WEEKDAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 0.95, 0.5, 0.35)

# Of the interviews with nothing to find, how many were asked in full; the rest stopped early
# and are finalised as incomplete with one of these reasons.
FULL_INTERVIEW_RATE = 0.9
STOP_REASONS = (("declined", 0.4), ("left", 0.3), ("no_interpreter", 0.15), ("not_safe", 0.15))
# Target profiles; the engine decides the real outcome (about the same mix).
PROFILES = (("none", 0.77), ("possible", 0.15), ("presumed", 0.08))
DRAFT_RATE_RECENT, DRAFT_RATE_OLD = 0.15, 0.01
CORRECTION_RATE = 0.004


@dataclass
class ChecklistSet:
    """The checklists one person is screened with, for an age group and a form."""

    version_ids: list[int]
    by_id: dict[str, engine.Checklist]
    codes: list[str]
    # per checklist: dimension -> strength -> codes
    slots: dict[str, dict[str, dict[str, list[str]]]]


def checklist_sets() -> dict[tuple[str, str], ChecklistSet]:
    sets: dict[tuple[str, str], ChecklistSet] = {}
    for age_group in ("adult", "child", "unknown_maybe_child", "unknown"):
        for form in ("labour", "sexual", "unknown"):
            rows = catalogue.lists_for(age_group, form)
            by_id = {row.checklist_id: catalogue.engine_checklist(row) for row in rows}
            slots: dict[str, dict[str, dict[str, list[str]]]] = {}
            for cid, checklist in by_id.items():
                dims: dict[str, dict[str, list[str]]] = {}
                for indicator in checklist.indicators.values():
                    dims.setdefault(indicator.dimension, {}).setdefault(
                        indicator.strength, []
                    ).append(indicator.code)
                slots[cid] = dims
            codes = sorted({c for checklist in by_id.values() for c in checklist.codes})
            sets[(age_group, form)] = ChecklistSet(
                version_ids=[row.pk for row in rows], by_id=by_id, codes=codes, slots=slots
            )
    return sets


def _positive_set(dims: dict[str, list[str]], rng: random.Random) -> list[str]:
    """Indicators that make one dimension positive, by one of the rule's clauses."""
    strong, medium, weak = dims.get("strong", []), dims.get("medium", []), dims.get("weak", [])
    options = []
    if len(strong) >= 2:
        options.append(lambda: rng.sample(strong, 2))
    if strong and (medium or weak):
        options.append(lambda: [rng.choice(strong), rng.choice(medium or weak)])
    if len(medium) >= 3:
        options.append(lambda: rng.sample(medium, 3))
    if len(medium) >= 2 and weak:
        options.append(lambda: [*rng.sample(medium, 2), rng.choice(weak)])
    return rng.choice(options)() if options else []


def answers_for(
    cs: ChecklistSet, profile: str, rng: random.Random, asked_range: tuple[int, int]
) -> dict[str, str]:
    """Answers for a profile: which indicators were asked, which observed, which declined."""
    observed: set[str] = set()
    target_id = rng.choice(sorted(cs.by_id))
    checklist = cs.by_id[target_id]
    dims = cs.slots[target_id]
    if profile == "presumed":
        for group in checklist.rule.threshold:
            observed.update(_positive_set(dims[rng.choice(group)], rng))
    elif profile == "possible":
        if rng.random() < 0.5:
            observed.add(rng.choice([c for d in dims.values() for c in d.get("strong", [])]))
        else:
            observed.update(_positive_set(dims[rng.choice(checklist.dimensions)], rng))
    else:
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            dim = dims[rng.choice(checklist.dimensions)]
            pool = dim.get("weak", []) or dim.get("medium", [])
            if pool:
                observed.add(rng.choice(pool))
    low, high = asked_range
    asked = set(rng.sample(cs.codes, min(len(cs.codes), rng.randint(low, high))))
    if profile == "none" and rng.random() < FULL_INTERVIEW_RATE:
        # Most interviews that clear a person were asked in full: every strong indicator and
        # something in every dimension of every list (the engine's "enough asked").
        for slots in cs.slots.values():
            for dim in slots.values():
                asked.update(dim.get("strong", []))
                asked.add(rng.choice([c for codes in dim.values() for c in codes]))
    answers = {code: "not_observed" for code in sorted(asked - observed)}
    for code in answers:
        if rng.random() < 0.02:
            answers[code] = "declined"
    for code in observed:
        answers[code] = "observed"
    return answers


def assess(cs: ChecklistSet, age_group: str, form: str, answers: dict[str, str]):
    kinds: dict[str, list[str]] = {"observed": [], "not_observed": [], "declined": []}
    for code, answer in answers.items():
        kinds[answer].append(code)
    return engine.assess_person(
        cs.by_id,
        age_group=age_group,
        form=form,
        observed=kinds["observed"],
        not_observed=kinds["not_observed"],
        declined=kinds["declined"],
    )


def day_counts(n: int, first: date, last: date, rng: random.Random) -> list[tuple[date, int]]:
    """How many screenings fall on each day: more every year, fewer at weekends, a little noise;
    exactly ``n`` in all (largest remainders)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weights = [
        YEAR_WEIGHT.get(d.year, 1.3) * WEEKDAY_WEIGHT[d.weekday()] * rng.uniform(0.7, 1.3)
        for d in days
    ]
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    short = n - sum(counts)
    for i in sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)[:short]:
        counts[i] += 1
    return [(d, c) for d, c in zip(days, counts, strict=True) if c]


def _at(day: date, rng: random.Random, start_hour: int = 8, end_hour: int = 20) -> datetime:
    seconds = rng.randrange(start_hour * 3600, end_hour * 3600)
    local = datetime(day.year, day.month, day.day, tzinfo=ALMATY_TZ) + timedelta(seconds=seconds)
    return local.astimezone(UTC)


class ScreeningMaker(CaseMaker, VisitMaker):
    """Makes a screening: its answers and result, its finalising and correction."""

    def _screening(self, day: date, region: RegionInfo) -> None:
        rng = self.rng
        key = weighted(rng, list(SCREENING_SHARE.items()))
        agency = region.agencies[key]
        place = weighted(rng, PLACES[key])
        if key == "juvenile_centre":
            age_group = weighted(
                rng, (("child", 0.75), ("unknown_maybe_child", 0.2), ("adult", 0.05))
            )
        else:
            age_group = weighted(
                rng,
                (("adult", 0.8), ("child", 0.1), ("unknown_maybe_child", 0.06), ("unknown", 0.04)),
            )
        if age_group == "adult":
            age_years: int | None = min(70, 18 + int(rng.expovariate(1 / 12)))
        elif age_group == "child":
            age_years = rng.randint(9, 17)
        else:
            age_years = None
        if rng.random() < 0.3:
            age_years = None
        form = weighted(rng, (("labour", 0.55), ("sexual", 0.25), ("unknown", 0.2)))
        language = weighted(
            rng,
            (("ru", 0.5), ("kk", 0.4), ("uz", 0.04), ("ky", 0.02), ("tg", 0.02), ("en", 0.01)),
        )
        profile = weighted(rng, PROFILES)
        cs = self.sets[(age_group, form)]
        asked = (25, 60) if profile == "presumed" else (10, 40)
        answers = answers_for(cs, profile, rng, asked)
        created_at = _at(day, rng)
        recent = (self.today - day).days < 14
        draft = rng.random() < (DRAFT_RATE_RECENT if recent else DRAFT_RATE_OLD)
        result = assess(cs, age_group, form, answers)
        screening = Screening(
            agency_id=agency.id,
            region_id=region.id,
            created_by_id=agency.user_id,
            created_at=created_at,
            updated_at=created_at,
            screened_on=day,
            source=weighted(rng, (("web", 0.85), ("paper", 0.1), ("api", 0.05))),
            place=place,
            facility_name="",
            interview_language=language,
            interpreter_used=language not in ("ru", "kk") and rng.random() < 0.8,
            age_group=age_group,
            age_years=age_years,
            form=form,
            answers=answers,
            result=result.to_dict(),
            outcome=result.outcome,
            threshold_met=result.assessment.threshold_met,
            judgement="",
            notes="",
            status=Screening.Status.DRAFT,
            revision=1 + len(answers) // 8,
        )
        if place in ("detention_facility", "rehabilitation_centre") and key == "ngo":
            linked = self._visit_for(region.id, day, place, agency.user_id)
            if linked is not None:
                screening.visit_id, screening.facility_name = linked
        if not draft:
            self._finalise(screening, created_at, agency.user_id)
        self._add_screening(screening, cs, region)
        if not draft and self.room > 1 and rng.random() < CORRECTION_RATE:
            screening = self._correct(screening, cs, region)
        self.outcomes[screening.outcome] += 1
        if screening.status != Screening.Status.FINAL:
            return
        if screening.outcome in CASE_RATE:
            if rng.random() < CASE_RATE[screening.outcome]:
                self._case(screening, region, agency)
            elif age_group in ("adult", "unknown") and rng.random() < DECLINE_RATE:
                self._add(
                    AnonymousNotification(
                        region_id=region.id,
                        agency_id=agency.id,
                        recorded_by_id=agency.user_id,
                        recorded_at=screening.finalised_at or screening.created_at,
                        sex=weighted(rng, (("female", 0.5), ("male", 0.48), ("unknown", 0.02))),
                        age_band=age_band(age_years),
                        citizenship=weighted(rng, CITIZENSHIPS),
                        form=form,
                        outcome=screening.outcome,
                    )
                )

    def _finalise(self, screening: Screening, created_at: datetime, user_id: int) -> None:
        rng = self.rng
        finalised = clamp(created_at + timedelta(minutes=rng.randint(10, 90)), self.now)
        screening.status = Screening.Status.FINAL
        screening.finalised_at = finalised
        screening.finalised_by_id = user_id
        screening.updated_at = finalised
        screening.judgement = weighted(
            rng, (("agree", 0.85), ("more_concerned", 0.08), ("less_concerned", 0.07))
        )
        if screening.outcome == "incomplete":
            screening.stop_reason = weighted(rng, STOP_REASONS)
        screening.revision += 1

    def _add_screening(self, screening: Screening, cs: ChecklistSet, region: RegionInfo) -> None:
        self._add(screening)
        self._number(screening, "S", region.short, screening.screened_on.year)
        through = Screening.checklist_versions.through
        for version_id in cs.version_ids:
            self._add(through(screening_id=screening.pk, checklistversion_id=version_id))

    def _correct(self, original: Screening, cs: ChecklistSet, region: RegionInfo) -> Screening:
        rng = self.rng
        answers = dict(original.answers)
        codes = [c for c in cs.codes if c not in answers]
        if codes:
            answers[rng.choice(codes)] = "not_observed"
        result = assess(cs, original.age_group, original.form, answers)
        created = clamp(original.created_at + timedelta(days=rng.randint(1, 5)), self.now)
        correction = Screening(
            **{
                f.attname: getattr(original, f.attname)
                for f in Screening._meta.concrete_fields
                if f.attname not in ("id", "reference")
            }
        )
        correction.answers = answers
        correction.result = result.to_dict()
        correction.outcome = result.outcome
        correction.threshold_met = result.assessment.threshold_met
        correction.created_at = correction.updated_at = created
        correction.revision = 2
        self._finalise(correction, created, original.created_by_id)
        original.status = Screening.Status.SUPERSEDED
        original.updated_at = correction.finalised_at or created
        self._add_screening(correction, cs, region)
        correction.supersedes_id = original.pk
        return correction
