"""Demo training data (fictional): the six regional seminars of 2026 in Almaty, Taraz, Shymkent,
Ust-Kamenogorsk, Petropavlovsk and Aktau, 20 participants each, the starter question bank, and
plausible results: a pre-test near 55 %, a post-test near 85 % and a delayed retest six months
later near 50 %, as published evaluations of such training report; scenario exercises in which
the vulnerability indicators are missed most; the two surveys; certificates.

Names are made up from common Kazakh and Russian names. Results are simulated with a fixed seed
(a simple item-response model), so every load gives the same numbers. Idempotent: a seminar that
exists (same city and first day) is left alone."""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tanu.accounts.demo import CITIES, agency_for
from tanu.accounts.models import User
from tanu.identification import engine
from tanu.training import actions, bank, exercises
from tanu.training.models import (
    Attempt,
    AttemptItem,
    ExerciseAttempt,
    KnowledgeTest,
    Participant,
    ParticipantRole,
    Question,
    Seminar,
    SurveyResponse,
)

SEMINARS: list[tuple[str, date, date]] = [
    ("almaty", date(2026, 2, 10), date(2026, 2, 12)),
    ("taraz", date(2026, 3, 3), date(2026, 3, 5)),
    ("shymkent", date(2026, 3, 24), date(2026, 3, 26)),
    ("ustkamenogorsk", date(2026, 4, 14), date(2026, 4, 16)),
    ("petropavlovsk", date(2026, 5, 12), date(2026, 5, 14)),
    ("aktau", date(2026, 5, 26), date(2026, 5, 28)),
]
RETEST_AFTER_DAYS = 182
PARTICIPANTS_PER_SEMINAR = 20

AGENDA: list[tuple[int, time, time, str]] = [
    (0, time(9, 30), time(11, 0), "Торговля людьми: Закон 2024 года, ст. 128 и 135 УК РК"),
    (0, time(11, 30), time(13, 0), "Признаки МОТ и чек-листы tanu"),
    (0, time(14, 0), time(16, 0), "Беседа с возможной жертвой: доверие, переводчик, безопасность"),
    (1, time(9, 30), time(11, 0), "Разбор случаев: трудовая и сексуальная эксплуатация"),
    (1, time(11, 30), time(13, 0), "Дети: презумпция возраста и интересы ребёнка"),
    (1, time(14, 0), time(16, 0), "Защита персональных данных пострадавших"),
    (2, time(9, 30), time(11, 30), "Направление: кто, куда и с каким согласием"),
    (2, time(12, 0), time(13, 0), "Итоговый тест и обратная связь"),
]

# role -> (agency key in tanu.accounts.demo, positions, how many of the 20)
ROLE_PLAN: list[tuple[str, str, tuple[str, ...], int]] = [
    (
        ParticipantRole.ADMINISTRATIVE_POLICE,
        "admin_police",
        ("участковый инспектор полиции", "инспектор патрульной полиции", "старший инспектор"),
        6,
    ),
    (
        ParticipantRole.CRIMINAL_POLICE,
        "criminal_police",
        ("оперуполномоченный", "старший оперуполномоченный", "следователь"),
        5,
    ),
    (
        ParticipantRole.MIGRATION_SERVICE,
        "migration",
        ("инспектор миграционной службы", "старший инспектор"),
        2,
    ),
    (
        ParticipantRole.REHAB_CENTRE,
        "rehab_homeless",
        ("социальный работник", "психолог", "специалист по социальной работе"),
        3,
    ),
    (
        ParticipantRole.JUVENILE_CENTRE,
        "juvenile_centre",
        ("воспитатель", "психолог", "социальный педагог"),
        2,
    ),
    (ParticipantRole.SOCIAL_SERVICES, "social_protection", ("главный специалист",), 1),
    (ParticipantRole.NGO, "ngo", ("юрист", "консультант горячей линии"), 1),
]
# How well each group does, in logits (criminal police and NGO staff meet the subject most).
ROLE_EFFECT: dict[str, float] = {
    ParticipantRole.ADMINISTRATIVE_POLICE: -0.1,
    ParticipantRole.CRIMINAL_POLICE: 0.25,
    ParticipantRole.MIGRATION_SERVICE: 0.0,
    ParticipantRole.REHAB_CENTRE: -0.15,
    ParticipantRole.JUVENILE_CENTRE: 0.05,
    ParticipantRole.SOCIAL_SERVICES: 0.0,
    ParticipantRole.NGO: 0.4,
}
SEMINAR_EFFECT = {
    "almaty": 0.15,
    "taraz": -0.1,
    "shymkent": 0.0,
    "ustkamenogorsk": 0.05,
    "petropavlovsk": -0.15,
    "aktau": 0.05,
}
TARGET = {"pre": 0.55, "post": 0.85, "retest": 0.50}

MEN_GIVEN = ["Ерлан", "Нұрлан", "Асхат", "Дәурен", "Бауыржан", "Серік", "Тимур", "Алексей",
             "Дмитрий", "Сергей", "Марат", "Ержан", "Айдос", "Руслан", "Арман", "Игорь"]  # fmt: skip
WOMEN_GIVEN = ["Айгүл", "Жанар", "Гүлнар", "Динара", "Салтанат", "Айжан", "Ольга", "Елена",
               "Наталья", "Мадина", "Әсел", "Индира", "Светлана", "Камила"]  # fmt: skip
FAMILY = [("Ахметов", "Ахметова"), ("Жұмабаев", "Жұмабаева"), ("Сейітов", "Сейітова"),
          ("Омаров", "Омарова"), ("Кенжебеков", "Кенжебекова"), ("Иванов", "Иванова"),
          ("Петров", "Петрова"), ("Смагулов", "Смагулова"), ("Байжанов", "Байжанова"),
          ("Ким", "Ким"), ("Нұрланов", "Нұрланова"), ("Тоқтаров", "Тоқтарова"),
          ("Кузнецов", "Кузнецова"), ("Исаев", "Исаева"), ("Әбдірахманов", "Әбдірахманова")]  # fmt: skip
PATRONYMIC_MEN = ["Серікұлы", "Маратұлы", "Ерланович", "Викторович", "Болатұлы", "Сергеевич"]
PATRONYMIC_WOMEN = ["Серікқызы", "Маратқызы", "Ерлановна", "Викторовна", "Болатқызы", "Сергеевна"]


def _say(line: str) -> None:
    sys.stdout.write(f"  {line}\n")
    sys.stdout.flush()


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        given, family, patronymic = (
            rng.choice(MEN_GIVEN),
            rng.choice(FAMILY)[0],
            rng.choice(PATRONYMIC_MEN),
        )
    else:
        given, family, patronymic = (
            rng.choice(WOMEN_GIVEN),
            rng.choice(FAMILY)[1],
            rng.choice(PATRONYMIC_WOMEN),
        )
    return f"{family} {given} {patronymic}"


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass
class Person:
    participant: Participant
    ability: float


# ---------------------------------------------------------------------------------------------
# Simulated answers


def _difficulties(questions: list[Question], rng: random.Random) -> dict[int, tuple[float, float]]:
    """Per question: (difficulty, discrimination). Two items are far too easy, one far too hard
    and one does not discriminate: the item analysis should flag them."""
    params = {q.pk: (rng.uniform(-1.0, 1.0), rng.uniform(0.9, 1.6)) for q in questions}
    ordered = [q.pk for q in questions]
    if len(ordered) >= 6:
        params[ordered[3]] = (-4.5, 1.0)  # almost everybody knows it
        params[ordered[13]] = (-4.0, 1.0)
        params[ordered[18]] = (3.5, 1.2)  # almost nobody knows it
        params[ordered[27]] = (0.0, 0.0)  # a coin toss, whatever one knows
    return params


def _shift(people: list[Person], params: dict[int, tuple[float, float]], target: float) -> float:
    """The phase shift (in logits) that makes the expected mean score ``target``."""
    low, high = -8.0, 8.0
    items = list(params.values())
    for _ in range(50):
        mid = (low + high) / 2
        mean = sum(
            _sigmoid(disc * (p.ability + mid) - diff) if disc else 0.5
            for p in people
            for diff, disc in items
        ) / (len(people) * len(items))
        if mean < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _response(item: AttemptItem, question: Question, right: bool, rng: random.Random) -> Any:
    options = list(question.options.all())
    ids = [o.pk for o in options]
    if question.kind == Question.Kind.MATCHING:
        if right:
            return {str(pk): pk for pk in ids}
        wrong = list(ids)
        while wrong == ids:
            rng.shuffle(wrong)
        return {str(left): right_pk for left, right_pk in zip(ids, wrong, strict=True)}
    correct = [o.pk for o in options if o.is_correct]
    incorrect = [o.pk for o in options if not o.is_correct]
    if right:
        return correct if question.kind == Question.Kind.MULTIPLE else correct[:1]
    if question.kind == Question.Kind.MULTIPLE:
        chosen = [pk for pk in correct if rng.random() < 0.6]
        return chosen + rng.sample(incorrect, k=min(len(incorrect), rng.choice([1, 1, 2])))
    return [rng.choice(incorrect)] if incorrect else []


def _take(
    test: KnowledgeTest,
    people: list[Person],
    questions: list[Question],
    params: dict[int, tuple[float, float]],
    shift: float,
    day: date,
    show_up: float,
    rng: random.Random,
) -> int:
    attempts = []
    drawn: list[list[Question]] = []
    for person in people:
        if rng.random() > show_up:
            continue
        started = _aware(day, time(10, 0)) + timedelta(minutes=rng.randint(0, 10))
        attempts.append(
            Attempt(
                test=test,
                participant=person.participant,
                language=rng.choice(["ru", "ru", "ru", "kk"]),
                started_at=started,
                deadline=started + timedelta(minutes=test.time_limit_minutes),
                submitted_at=started + timedelta(minutes=rng.randint(9, test.time_limit_minutes)),
            )
        )
        drawn.append(rng.sample(questions, min(test.question_count, len(questions))))
    Attempt.objects.bulk_create(attempts)
    by_participant = {p.participant.pk: p for p in people}
    items: list[AttemptItem] = []
    for attempt, chosen in zip(attempts, drawn, strict=True):
        assert attempt.participant_id is not None  # demo attempts are never anonymous
        person = by_participant[attempt.participant_id]
        for position, question in enumerate(chosen, 1):
            ids = [o.pk for o in question.options.all()]
            order = list(ids)
            match_order: list[int] = []
            if question.kind != Question.Kind.TRUE_FALSE:
                rng.shuffle(order)
            if question.kind == Question.Kind.MATCHING:
                match_order = list(ids)
                rng.shuffle(match_order)
            item = AttemptItem(
                attempt=attempt,
                question=question,
                position=position,
                order=order,
                match_order=match_order,
                saved_at=attempt.submitted_at,
            )
            diff, disc = params[question.pk]
            p_right = _sigmoid(disc * (person.ability + shift) - diff) if disc else 0.5
            item.response = _response(item, question, rng.random() < p_right, rng)
            item.score = actions.score_item(item)
            items.append(item)
    AttemptItem.objects.bulk_create(items)
    per_attempt: dict[int, list[float]] = {}
    for item in items:
        per_attempt.setdefault(item.attempt_id, []).append(item.score or 0.0)
    for attempt in attempts:
        scores = per_attempt.get(attempt.pk, [])
        attempt.score = 100 * sum(scores) / len(scores) if scores else 0.0
    Attempt.objects.bulk_update(attempts, ["score"])
    return len(attempts)


# ---------------------------------------------------------------------------------------------
# Exercises and surveys

# How easily a trainee spots an indicator, by dimension (vulnerability is missed most).
SPOT = {
    "deceptive_recruitment": 0.8,
    "coercive_recruitment": 0.75,
    "recruitment_abuse_of_vulnerability": 0.45,
    "exploitative_conditions": 0.88,
    "coercion_at_destination": 0.85,
    "destination_abuse_of_vulnerability": 0.4,
}


def _exercises(people: list[Person], day: date, rng: random.Random) -> int:
    scenarios = exercises.all_scenarios()
    checklists = exercises._file_checklists()
    rows = []
    for person in people:
        for scenario in rng.sample(list(scenarios), 3):
            checklist = checklists[scenario.checklist]
            skill = _sigmoid(person.ability + 1.0)
            observed = {
                code
                for code in scenario.key_observed
                if rng.random() < SPOT[checklist.indicators[code].dimension] * (0.6 + 0.5 * skill)
            }
            distractors = [c for c in checklist.indicators if c not in scenario.key_observed]
            observed |= set(rng.sample(distractors, k=rng.choice([0, 0, 1, 1, 2])))
            outcome = engine.assess(checklist, observed, checklist.codes - observed).outcome
            if rng.random() > 0.85:
                outcome = rng.choice(list(engine.OUTCOMES))
            referrals = {k for k in scenario.key_referrals if rng.random() < 0.8}
            if rng.random() < 0.3:
                referrals.add(rng.choice(["migration_service", "hotline", "medical"]))
            result = scenario.score(observed, outcome, referrals)
            rows.append(
                ExerciseAttempt(
                    scenario=scenario.id,
                    participant=person.participant,
                    observed=sorted(observed),
                    outcome=outcome,
                    referrals=sorted(referrals),
                    precision=result.precision,
                    recall=result.recall,
                    f1=result.f1,
                    outcome_correct=result.outcome_correct,
                    referral_score=result.referral_score,
                    score=result.score,
                    missed=list(result.missed),
                    extra=list(result.extra),
                    created_at=_aware(day, time(11, 0)) + timedelta(minutes=rng.randint(0, 90)),
                )
            )
    ExerciseAttempt.objects.bulk_create(rows)
    return len(rows)


def _surveys(people: list[Person], ends_on: date, rng: random.Random) -> int:
    rows = []
    for person in people:
        if rng.random() < 0.9:
            rows.append(
                SurveyResponse(
                    participant=person.participant,
                    kind=SurveyResponse.Kind.REACTION,
                    answers={
                        "relevance": rng.choice([4, 5, 5, 5]),
                        "clarity": rng.choice([3, 4, 4, 5, 5]),
                        "trainers": rng.choice([4, 5, 5]),
                        "exercises": rng.choice([4, 4, 5, 5, 5]),
                        "confidence_recognise": rng.choice([3, 4, 4, 5]),
                        "confidence_refer": rng.choice([3, 3, 4, 4, 5]),
                    },
                    submitted_at=_aware(ends_on, time(13, 30)),
                )
            )
        if rng.random() < 0.55:
            rows.append(
                SurveyResponse(
                    participant=person.participant,
                    kind=SurveyResponse.Kind.FOLLOW_UP,
                    answers={
                        "used_checklist": 1 if rng.random() < 0.7 else 0,
                        "screenings": rng.choice([0, 1, 2, 2, 3, 4, 6, 9]),
                        "referrals": rng.choice([0, 0, 1, 1, 2, 3]),
                        "confidence_recognise": rng.choice([3, 3, 4, 4, 5]),
                        "confidence_refer": rng.choice([2, 3, 3, 4, 4]),
                    },
                    submitted_at=_aware(ends_on + timedelta(days=120), time(15, 0)),
                )
            )
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Loading


def _seminar(
    city: str,
    starts_on: date,
    ends_on: date,
    trainers: list[User],
    questions: list[Question],
    params: dict[int, tuple[float, float]],
    rng: random.Random,
) -> str:
    region_code, en, ru, kk = CITIES[city]
    from tanu.accounts.models import Region

    lead = trainers[0]
    seminar = actions.do_create_seminar(
        actor=lead,
        data={
            "region": Region.objects.get(code=region_code),
            "city_kk": kk,
            "city_ru": ru,
            "city_en": en,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 80,
        },
        trainers=trainers,
    )
    sessions = [
        actions.do_add_session(
            seminar,
            actor=lead,
            data={
                "day": starts_on + timedelta(days=offset),
                "starts_at": start,
                "ends_at": end,
                "title": title,
            },
        )
        for offset, start, end, title in AGENDA
    ]
    people: list[Person] = []
    screener = User.objects.filter(username=f"screener.{city}").first()
    for role, agency_key, positions, count in ROLE_PLAN:
        agency = agency_for(city, agency_key)
        for _n in range(count):
            link = (
                screener
                if (
                    screener is not None
                    and role == ParticipantRole.ADMINISTRATIVE_POLICE
                    and not people
                )
                else None
            )
            participant = actions.do_add_participant(
                seminar,
                actor=lead,
                data={
                    "full_name": _name(rng),
                    "role": role,
                    "agency": agency,
                    "position": rng.choice(positions),
                    "user": link,
                },
            )
            ability = rng.gauss(0, 1) + ROLE_EFFECT[role] + SEMINAR_EFFECT[city]
            people.append(Person(participant, ability))
    for session in sessions:
        present = [p.participant.pk for p in people if rng.random() < 0.94]
        actions.do_record_attendance(session, actor=lead, present=present)

    counts: dict[str, int] = {}
    for kind, day, show_up in (
        (KnowledgeTest.Kind.PRE, starts_on, 0.98),
        (KnowledgeTest.Kind.POST, ends_on, 0.97),
        (KnowledgeTest.Kind.RETEST, ends_on + timedelta(days=RETEST_AFTER_DAYS), 0.7),
    ):
        test = actions.do_create_test(
            seminar,
            actor=lead,
            data={"kind": kind, "question_count": 20, "time_limit_minutes": 25, "objectives": []},
        )
        shift = _shift(people, params, TARGET[kind])
        counts[kind] = _take(test, people, questions, params, shift, day, show_up, rng)
    done = _exercises(people, starts_on + timedelta(days=1), rng)
    surveyed = _surveys(people, ends_on, rng)
    issued = actions.do_issue_certificates(seminar, actor=lead)
    return (
        f"{en}: {len(people)} participants, {len(sessions)} sessions, tests "
        f"{counts['pre']}/{counts['post']}/{counts['retest']} (pre/post/retest), "
        f"{done} exercises, {surveyed} survey answers, {len(issued)} certificates"
    )


@transaction.atomic
def load(progress: Callable[[str], None] | None = None) -> list[str]:
    """Create the demo seminars, bank and results (idempotent). Prints progress as it goes
    (one line per seminar) and returns the summary lines."""
    say = progress or _say
    national = User.objects.get(username="trainer.almaty")
    added = bank.load_starter_bank(actor=national)
    say(f"question bank: {added} questions added")
    questions = list(
        Question.objects.filter(is_active=True).prefetch_related("options").order_by("pk")
    )
    rng = random.Random(2026)
    params = _difficulties(questions, rng)
    made = 0
    for number, (city, starts_on, ends_on) in enumerate(SEMINARS, 1):
        en = CITIES[city][1]
        if Seminar.objects.filter(city_en=en, starts_on=starts_on).exists():
            say(f"seminar {number}/{len(SEMINARS)} {en}: already there")
            continue
        say(f"seminar {number}/{len(SEMINARS)} {en}: creating ...")
        trainers = [User.objects.get(username=f"trainer.{city}")]
        if city != "almaty":
            trainers.append(national)  # the national lead trainer co-runs every seminar
        line = _seminar(city, starts_on, ends_on, trainers, questions, params, rng)
        say(f"seminar {number}/{len(SEMINARS)} {line}")
        made += 1
    total = Participant.objects.count()
    return [
        f"{added} questions added to the bank",
        f"{made} demo seminars created; {total} participants in all",
    ]
