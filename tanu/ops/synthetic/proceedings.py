"""Synthetic criminal proceedings (tanu.proceedings) for a share of the synthetic cases.

Kazakhstan registers a few dozen trafficking criminal cases a year against hundreds of presumed
victims identified, so about one case of a presumed victim in five gets a proceeding (one in two
when the case was referred to the police for investigation; a few cases of possible victims too),
investigated by the criminal police of the case's region under article 128 (135 for a child;
sometimes with 125, 126, 308 or 309). Durations follow practice: registration a few days to two
months after the case is opened, two to six months of pre-trial investigation, one to four months
in court, then the verdict (convictions far more often than acquittals; sentences of 3 to 15
years), an appeal now and then, and the verdict coming into force. About one proceeding in five
is closed during the pre-trial investigation, with a listed reason. Compensation is claimed in
half the cases, sometimes awarded, rarely paid in full. Suspects and accused are counted by role,
sex and citizenship, never named; a few measures of state protection; the court's hearings, the
past ones already reminded of, the next one (for a trial still running) to come.

Everything is drawn from its own random generator, seeded per batch, so that the rest of the
synthetic data is the same with or without proceedings, and the same seed gives the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tanu.accounts.models import Role, User
from tanu.cases.models import Case
from tanu.ops.synthetic.generator import ALMATY_TZ, Generation, weighted
from tanu.proceedings.models import (
    Article,
    Hearing,
    Proceeding,
    ProtectionMeasure,
    SuspectCount,
)

if TYPE_CHECKING:
    from tanu.ops.synthetic.world import Out, RegionInfo, World

# The share of cases that get a proceeding: (without, with) a referral to the police.
RATE = {"presumed_victim": (0.15, 0.5), "possible_victim": (0.02, 0.15)}
PRE_TRIAL_CLOSED = 0.2  # closed during the pre-trial investigation
PRE_TRIAL_REASONS = (
    ("no_corpus", 0.35),
    ("requalified", 0.2),
    ("no_event", 0.15),
    ("joined", 0.1),
    ("limitation", 0.05),
    ("suspect_died", 0.04),
    ("amnesty", 0.03),
    ("other", 0.08),
)
VERDICTS = (("convicted", 0.82), ("acquitted", 0.07), ("case_closed", 0.11))
# Sentence ranges in months, as courts give them under article 128 (parts 1 to 3).
SENTENCES = (((36, 84), 0.45), ((84, 144), 0.4), ((120, 180), 0.15))
ROLES = (
    ("recruiter", 0.4),
    ("exploiter", 0.25),
    ("organiser", 0.15),
    ("transporter", 0.15),
    ("other", 0.05),
)
SUSPECT_CITIZENSHIPS = (("KZ", 0.8), ("UZ", 0.08), ("KG", 0.05), ("RU", 0.04), ("TJ", 0.03))
MEASURES = (
    ("confidential_data", 0.4),
    ("closed_hearing", 0.15),
    ("remote_testimony", 0.15),
    ("personal_guard", 0.1),
    ("safe_place", 0.1),
    ("home_and_property", 0.05),
    ("new_residence", 0.05),
)
HEARING_NOTES = [
    "",
    "",
    "",
    "Допрос потерпевшей по видеосвязи.",
    "Допрос свидетелей обвинения.",
    "Прения сторон.",
    "Отложено: неявка защитника.",
]
# The article a case is registered under, then those sometimes added beside it.
MAIN_ARTICLE = {True: "135", False: "128"}
EXTRA_ARTICLES = {"sexual": (("308", 0.25), ("309", 0.1)), "labour": (("126", 0.15),)}


@dataclass
class ProceedingPlan:
    """What proceedings need, prepared in the main process: the articles' ids by number, and
    per region the criminal police agency and the investigator who registers proceedings."""

    articles: dict[str, int]
    investigators: dict[int, tuple[int, int]]  # region id -> (agency id, investigator user id)


def _investigator(agency_id: int, short: str) -> User:
    existing = (
        User.objects.filter(agency_id=agency_id, role=Role.INVESTIGATOR, is_active=True)
        .exclude(username__startswith="loadtest.")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    user, _ = User.objects.get_or_create(
        username=f"synth.investigator.{short.lower()}",
        defaults={
            "role": Role.INVESTIGATOR,
            "agency_id": agency_id,
            "password": make_password(None),
        },
    )
    return user


@transaction.atomic
def prepare_proceedings(world: World, out: Out) -> ProceedingPlan:
    """The articles and an investigator of the criminal police in every region (idempotent)."""
    articles = dict(
        Article.objects.filter(is_active=True).order_by("number").values_list("number", "pk")
    )
    investigators: dict[int, tuple[int, int]] = {}
    for region in world.regions:
        police = region.agencies.get("criminal_police")
        if police is None:
            continue
        investigators[region.id] = (police.id, _investigator(police.id, region.short).pk)
    if "128" not in articles or "135" not in articles:
        out("synth: note: articles 128 and 135 are missing: no criminal proceedings")
        investigators = {}
    else:
        out(f"synth: criminal proceedings investigated in {len(investigators)} regions")
    return ProceedingPlan(articles=articles, investigators=investigators)


def _round(amount: float, step: int = 10_000) -> int:
    return max(step, int(amount) // step * step)


class ProceedingMaker(Generation):
    """Makes a case's criminal proceeding, its articles, suspects, protection and hearings."""

    proceedings: ProceedingPlan | None
    prng: random.Random  # proceedings' own generator, set afresh for every batch

    def _proceeding(
        self, case: Case, region: RegionInfo, police_referral: bool, first_day: date
    ) -> None:
        """Perhaps a proceeding on ``case`` (opened on ``first_day``, local time)."""
        plan = self.proceedings
        if plan is None or region.id not in plan.investigators:
            return
        rng = self.prng
        without, with_police = RATE.get(case.outcome, (0.0, 0.0))
        if rng.random() >= (with_police if police_referral else without):
            return
        if case.closure_reason == "not_trafficking":
            return
        today = self.today
        registered_on = first_day + timedelta(days=int(rng.triangular(2, 60, 14)))
        if registered_on > today:
            return
        agency_id, investigator_id = plan.investigators[region.id]
        registered_at = datetime.combine(registered_on, time(11, 0), tzinfo=ALMATY_TZ)
        proceeding = Proceeding(
            case_id=case.pk,
            erdr_number=(
                f"{registered_on:%y}{region.code[-2:]}1103{rng.randint(1, 9_999_999):07d}"
            ),
            registered_on=registered_on,
            investigating_agency_id=agency_id,
            stage=Proceeding.Stage.PRE_TRIAL,
            closing_reason="",
            verdict="",
            person_status=weighted(rng, (("victim", 0.85), ("witness", 0.12), ("none", 0.03))),
            cooperates=weighted(rng, ((True, 0.75), (False, 0.15), (None, 0.1))),
            created_by_id=investigator_id,
            created_at=registered_at,
            updated_at=registered_at,
            revision=1,
        )
        self._add(proceeding)
        self._articles(proceeding, case)
        last = self._stages(proceeding, registered_on)
        self._compensation(proceeding)
        self._suspects(proceeding)
        self._protection(proceeding)
        self._hearings(proceeding, region)
        proceeding.updated_at = min(datetime.combine(last, time(16, 0), tzinfo=ALMATY_TZ), self.now)

    def _articles(self, proceeding: Proceeding, case: Case) -> None:
        plan = self.proceedings
        assert plan is not None
        numbers = [MAIN_ARTICLE[case.is_child]]
        for number, chance in EXTRA_ARTICLES.get(case.form, ()):
            if number in plan.articles and self.prng.random() < chance:
                numbers.append(number)
        if self.prng.random() < 0.03 and "125" in plan.articles:
            numbers.append("125")
        through = Proceeding.articles.through
        for number in numbers:
            self._add(through(proceeding_id=proceeding.pk, article_id=plan.articles[number]))

    def _stages(self, p: Proceeding, registered_on: date) -> date:
        """Moves the proceeding on, stage by stage, as far as today; the last date reached."""
        rng, today = self.prng, self.today
        pre_trial = timedelta(days=rng.randint(60, 180))
        if rng.random() < PRE_TRIAL_CLOSED:
            closed = registered_on + timedelta(days=rng.randint(30, 180))
            if closed <= today:
                p.stage, p.closed_on = Proceeding.Stage.CLOSED, closed
                p.closing_reason = weighted(rng, PRE_TRIAL_REASONS)
                p.revision = 2
                return closed
            return registered_on
        steps: list[tuple[str, str, date]] = []
        sent = registered_on + pre_trial
        steps.append((Proceeding.Stage.SENT_TO_COURT, "sent_to_court_on", sent))
        trial = sent + timedelta(days=rng.randint(7, 30))
        steps.append((Proceeding.Stage.TRIAL, "trial_started_on", trial))
        verdict_on = trial + timedelta(days=rng.randint(30, 120))
        steps.append((Proceeding.Stage.VERDICT, "verdict_on", verdict_on))
        in_force = verdict_on + timedelta(days=rng.randint(15, 45))
        if rng.random() < 0.2:
            appeal = verdict_on + timedelta(days=rng.randint(10, 15))
            steps.append((Proceeding.Stage.APPEAL, "appeal_on", appeal))
            in_force = appeal + timedelta(days=rng.randint(30, 90))
        steps.append((Proceeding.Stage.CLOSED, "closed_on", in_force))
        # Drawn whatever the stage reached, so that a proceeding's outcome does not change
        # with the day synth runs.
        verdict = weighted(rng, VERDICTS)
        low, high = weighted(rng, SENTENCES)
        sentence = rng.randint(low, high)
        last = registered_on
        for stage, field, day in steps:
            if day > today:
                break
            setattr(p, field, day)
            p.stage = stage
            p.revision += 1
            last = day
            if stage == Proceeding.Stage.VERDICT:
                p.verdict = verdict
                p.sentence_months = sentence if verdict == "convicted" else None
            if stage == Proceeding.Stage.CLOSED:
                p.closing_reason = "verdict_in_force"
        return last

    def _compensation(self, p: Proceeding) -> None:
        rng = self.prng
        if rng.random() >= 0.5:
            return
        claimed = _round(rng.lognormvariate(14.2, 0.8))  # median about 1.5 million tenge
        p.compensation_claimed = claimed
        if p.verdict != "convicted" or rng.random() >= 0.65:
            return
        awarded = _round(claimed * rng.uniform(0.3, 1.0))
        p.compensation_awarded = awarded
        paid = weighted(rng, (("all", 0.1), ("part", 0.25), ("none", 0.65)))
        p.compensation_paid = {
            "all": awarded,
            "part": _round(awarded * rng.uniform(0.05, 0.5), 1000),
            "none": 0,
        }[paid]

    def _suspects(self, p: Proceeding) -> None:
        rng = self.prng
        in_court = p.sent_to_court_on is not None
        counts: dict[tuple[str, str, str, str], int] = {}
        for _ in range(weighted(rng, ((1, 0.45), (2, 0.3), (3, 0.15), (4, 0.1)))):
            standing = "accused" if in_court else "suspect"
            role = weighted(rng, ROLES)
            sex = "male" if rng.random() < 0.65 else "female"
            citizenship = weighted(rng, SUSPECT_CITIZENSHIPS)
            key = (standing, role, sex, citizenship)
            counts[key] = counts.get(key, 0) + weighted(rng, ((1, 0.85), (2, 0.15)))
        for (standing, role, sex, citizenship), count in counts.items():
            self._add(
                SuspectCount(
                    proceeding_id=p.pk,
                    standing=standing,
                    role=role,
                    sex=sex,
                    citizenship=citizenship,
                    count=count,
                )
            )

    def _protection(self, p: Proceeding) -> None:
        rng = self.prng
        kinds: list[str] = []
        for _ in range(weighted(rng, ((0, 0.6), (1, 0.3), (2, 0.1)))):
            kind = weighted(rng, MEASURES)
            if kind not in kinds:
                kinds.append(kind)
        for kind in kinds:
            starts = min(p.registered_on + timedelta(days=rng.randint(0, 30)), self.today)
            ends = p.closed_on if p.closed_on and rng.random() < 0.7 else None
            self._add(
                ProtectionMeasure(
                    proceeding_id=p.pk,
                    kind=kind,
                    starts_on=starts,
                    ends_on=max(ends, starts) if ends else None,
                )
            )

    def _hearings(self, p: Proceeding, region: RegionInfo) -> None:
        """The court's hearings from the trial's start to the verdict (or to today, and the next
        one to come, while the trial runs); a preliminary one when just sent to court."""
        rng = self.prng
        court = (
            f"Специализированный межрайонный суд по уголовным делам г. {region.city_ru}, "
            f"зал {rng.randint(1, 9)}"
        )
        days: list[date] = []
        if p.trial_started_on is not None:
            end = p.verdict_on or self.today
            span = max(0, (end - p.trial_started_on).days)
            days = sorted(
                {p.trial_started_on}
                | {
                    p.trial_started_on + timedelta(days=rng.randint(0, span))
                    for _ in range(rng.randint(1, 5))
                }
            )
            if p.verdict_on is None:
                days = [d for d in days if d < self.today]
                days.append(self.today + timedelta(days=rng.randint(1, 21)))
        elif p.stage == Proceeding.Stage.SENT_TO_COURT and rng.random() < 0.6:
            days = [self.today + timedelta(days=rng.randint(1, 21))]
        for day in days:
            starts = datetime.combine(
                day, time(rng.choice((9, 10, 11, 14, 15)), 0), tzinfo=ALMATY_TZ
            )
            self._add(
                Hearing(
                    proceeding_id=p.pk,
                    starts_at=starts,
                    place=court,
                    note=rng.choice(HEARING_NOTES),
                    reminded_on=day - timedelta(days=1) if starts < self.now else None,
                )
            )
