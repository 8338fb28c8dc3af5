"""The numbers on the results pages: means and gains by seminar, region and role; item analysis;
the indicators trainees miss most; survey means. Aggregates only: no names. Each function runs a
fixed number of queries, whatever the number of seminars, participants or attempts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet

from tanu.accounts.models import Region
from tanu.identification.checklist_files import load_all_data
from tanu.training.exercises import all_scenarios
from tanu.training.models import (
    Attempt,
    AttemptItem,
    ExerciseAttempt,
    Participant,
    ParticipantRole,
    Question,
    Seminar,
    SurveyResponse,
    current_language,
)
from tanu.training.scoring import GroupSummary, ItemStats, item_analysis, mean, summarise
from tanu.training.surveys import QUESTIONS


def seminar_label(seminar: Seminar) -> str:
    return f"{seminar.city} {seminar.starts_on:%d.%m.%Y}"


def _participants(seminars: QuerySet[Seminar], filters: Mapping[str, Any]) -> QuerySet[Participant]:
    qs = Participant.objects.filter(seminar__in=seminars)
    if filters.get("seminar"):
        qs = qs.filter(seminar=filters["seminar"])
    if filters.get("region"):
        qs = qs.filter(seminar__region=filters["region"])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    return qs


@dataclass
class Summaries:
    by_seminar: list[GroupSummary]
    by_region: list[GroupSummary]
    by_role: list[GroupSummary]
    overall: GroupSummary | None


def summaries(seminars: QuerySet[Seminar], filters: Mapping[str, Any]) -> Summaries:
    people = list(_participants(seminars, filters).values_list("pk", "role", "seminar_id"))
    ids = [p[0] for p in people]
    scores: dict[int, dict[str, float]] = {}
    for participant, kind, score in Attempt.objects.filter(
        participant__in=_participants(seminars, filters),
        submitted_at__isnull=False,
        score__isnull=False,
    ).values_list("participant_id", "test__kind", "score"):
        scores.setdefault(participant, {})[kind] = score or 0.0
    seminar_rows = {s.pk: s for s in seminars.filter(pk__in={p[2] for p in people})}
    regions = {
        r.pk: r for r in Region.objects.filter(pk__in={s.region_id for s in seminar_rows.values()})
    }
    role_labels = dict(ParticipantRole.choices)
    by_seminar = summarise(
        scores,
        {pk: (sem, seminar_label(seminar_rows[sem])) for pk, _role, sem in people},
    )
    # Seminars in date order rather than by label.
    order = {s.pk: (s.starts_on.toordinal(), s.pk) for s in seminar_rows.values()}
    by_seminar.sort(key=lambda g: order.get(g.key, (0, 0)) if isinstance(g.key, int) else (0, 0))
    by_region = summarise(
        scores,
        {
            pk: (seminar_rows[sem].region_id, regions[seminar_rows[sem].region_id].name)
            for pk, _role, sem in people
        },
    )
    by_role = summarise(
        scores, {pk: (role, str(role_labels.get(role, role))) for pk, role, _s in people}
    )
    overall = summarise(scores, {pk: ("all", "all") for pk in ids})
    return Summaries(by_seminar, by_region, by_role, overall[0] if overall else None)


@dataclass
class ItemRow:
    question: Question
    stats: ItemStats


def _anonymous_scope(seminars: QuerySet[Seminar], filters: Mapping[str, Any]) -> Q:
    """Attempts of anonymous tests in scope: by seminar and region, never by role (unknown)."""
    if filters.get("role"):
        return Q(pk__in=[])
    scope = seminars
    if filters.get("seminar"):
        scope = scope.filter(pk=getattr(filters["seminar"], "pk", filters["seminar"]))
    if filters.get("region"):
        scope = scope.filter(region=filters["region"])
    return Q(attempt__participant__isnull=True, attempt__test__seminar__in=scope)


def items(seminars: QuerySet[Seminar], filters: Mapping[str, Any]) -> list[ItemRow]:
    """Item analysis. Anonymous attempts count here (and only here: never per person)."""
    qs = AttemptItem.objects.filter(
        Q(attempt__participant__in=_participants(seminars, filters))
        | _anonymous_scope(seminars, filters),
        attempt__submitted_at__isnull=False,
        score__isnull=False,
    )
    if filters.get("kind"):
        qs = qs.filter(attempt__test__kind=filters["kind"])
    stats = item_analysis(
        (question, attempt, total or 0.0, score or 0.0)
        for question, attempt, total, score in qs.values_list(
            "question_id", "attempt_id", "attempt__score", "score"
        )
    )
    questions = Question.objects.in_bulk([s.question for s in stats])
    return [ItemRow(questions[s.question], s) for s in stats if s.question in questions]


@cache
def _indicator_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for data in load_all_data().values():
        for indicator in data["indicators"]:
            labels[indicator["code"]] = dict(indicator["label"])
    return labels


def indicator_label(code: str) -> str:
    texts = _indicator_labels().get(code, {})
    return texts.get(current_language()) or texts.get("en", code)


@dataclass
class MissedRow:
    code: str
    label: str
    missed: int
    seen: int

    @property
    def rate(self) -> float:
        return self.missed / self.seen if self.seen else 0.0


def missed_indicators(
    seminars: QuerySet[Seminar], filters: Mapping[str, Any], limit: int = 10
) -> list[MissedRow]:
    """Over the exercises done by the participants in scope: for every key indicator, how often
    it was in a scenario a trainee screened (``seen``) and how often it was missed."""
    keys = {s.id: s.key_observed for s in all_scenarios()}
    seen: dict[str, int] = {}
    missed: dict[str, int] = {}
    rows = ExerciseAttempt.objects.filter(
        participant__in=_participants(seminars, filters)
    ).values_list("scenario", "missed")
    for scenario, missed_codes in rows:
        for code in keys.get(scenario, ()):
            seen[code] = seen.get(code, 0) + 1
        for code in missed_codes or []:
            missed[code] = missed.get(code, 0) + 1
    table = [
        MissedRow(code, indicator_label(code), missed.get(code, 0), count)
        for code, count in seen.items()
        if missed.get(code)
    ]
    table.sort(key=lambda r: (-r.rate, -r.missed, r.code))
    return table[:limit]


@dataclass
class SurveyRow:
    kind: str
    key: str
    label: str
    mean: float | None
    n: int
    scale: str


def survey_means(seminars: QuerySet[Seminar], filters: Mapping[str, Any]) -> list[SurveyRow]:
    answers: dict[tuple[str, str], list[float]] = {}
    for kind, values in SurveyResponse.objects.filter(
        participant__in=_participants(seminars, filters)
    ).values_list("kind", "answers"):
        for key, value in (values or {}).items():
            if isinstance(value, int | float):
                answers.setdefault((kind, key), []).append(float(value))
    rows = []
    for kind, questions in QUESTIONS.items():
        for question in questions:
            values = answers.get((kind, question.key), [])
            scale = {"rating": "1–5", "yes_no": "%", "count": "n"}[question.kind]
            value = mean(values)
            if value is not None and question.kind == "yes_no":
                value = value * 100
            rows.append(
                SurveyRow(str(kind), question.key, str(question.label), value, len(values), scale)
            )
    return rows
