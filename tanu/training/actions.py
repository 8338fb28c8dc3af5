"""Named writes of the training module. Each runs in a transaction with its audit entry.

Participants have no account: their writes (starting and submitting a test, an exercise, a
survey) are audited with no actor and ``actor_username`` ``participant:<id>``. Single answers
saved while a test is running are not audited one by one (that would be dozens of entries per
test); the submission entry closes the attempt and the attempt keeps every answer.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.accounts.models import User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.lib.crypto import blind_index
from tanu.training import access, codes
from tanu.training.exercises import Scenario
from tanu.training.models import (
    OPTION_FIELDS,
    SEMINAR_FIELDS,
    AgendaSession,
    Attempt,
    AttemptItem,
    Attendance,
    Certificate,
    ExerciseAttempt,
    KnowledgeTest,
    Option,
    Participant,
    Question,
    Seminar,
    SurveyResponse,
)
from tanu.training.scoring import attempt_score, score_choice, score_matching

# Answers still in flight when the time runs out are accepted this long after the deadline.
GRACE_SECONDS = 60

PARTICIPANT_FIELDS = ("full_name", "role", "agency", "agency_name", "position", "user")
QUESTION_FIELDS = (
    "kind",
    "text_kk",
    "text_ru",
    "text_en",
    "explanation_kk",
    "explanation_ru",
    "explanation_en",
    "objectives",
    "dimensions",
    "is_active",
)


class TrainingError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


class TimeUpError(TrainingError):
    pass


def participant_label(participant: Participant) -> str:
    return f"participant:{participant.pk}"


def attempt_label(attempt: Attempt) -> str:
    """Who wrote an attempt, for the audit log: the participant's id, or "anonymous"."""
    if attempt.participant is None:
        return "participant:anonymous"
    return participant_label(attempt.participant)


def code_index(code: str) -> str:
    return blind_index(code, kind="text.training_code")


def name_index(name: str) -> str:
    return blind_index(name, kind="name.training")


# ---------------------------------------------------------------------------------------------
# Seminars, agenda, participants, attendance


def do_create_seminar(
    *,
    actor: User,
    data: Mapping[str, Any],
    trainers: Iterable[User] = (),
    request: HttpRequest | None = None,
) -> Seminar:
    with transaction.atomic():
        seminar = Seminar(created_by=actor, **{k: data[k] for k in SEMINAR_FIELDS if k in data})
        seminar.save()
        seminar.trainers.set({*trainers, actor} if access.is_trainer(actor) else set(trainers))
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.SEMINAR,
            object_id=seminar.pk,
            fields=[k for k in SEMINAR_FIELDS if k in data] + ["trainers"],
            request=request,
        )
    return seminar


def do_update_seminar(
    seminar: Seminar,
    *,
    actor: User,
    data: Mapping[str, Any],
    trainers: Iterable[User] | None = None,
    request: HttpRequest | None = None,
) -> Seminar:
    with transaction.atomic():
        locked = Seminar.objects.select_for_update().get(pk=seminar.pk)
        changed = [k for k in SEMINAR_FIELDS if k in data and getattr(locked, k) != data[k]]
        for key in changed:
            setattr(locked, key, data[key])
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        if trainers is not None:
            wanted = set(trainers)
            if access.is_trainer(actor):
                wanted.add(actor)  # a trainer cannot lock themselves out of their own seminar
            if wanted != set(locked.trainers.all()):
                locked.trainers.set(wanted)
                changed.append("trainers")
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.SEMINAR,
            object_id=locked.pk,
            fields=changed,
            request=request,
        )
    return locked


def do_add_session(
    seminar: Seminar, *, actor: User, data: Mapping[str, Any], request: HttpRequest | None = None
) -> AgendaSession:
    if not (seminar.starts_on <= data["day"] <= seminar.ends_on):
        raise TrainingError(_("The session must fall within the seminar's dates."))
    with transaction.atomic():
        session = AgendaSession.objects.create(
            seminar=seminar,
            day=data["day"],
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            title=data["title"],
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.SEMINAR_SESSION,
            object_id=session.pk,
            fields=["day", "starts_at", "ends_at", "title"],
            request=request,
        )
    return session


def do_delete_session(
    session: AgendaSession, *, actor: User, request: HttpRequest | None = None
) -> None:
    if session.attendance.filter(present=True).exists():
        raise TrainingError(
            _("Attendance was recorded for this session, so it stays on the agenda.")
        )
    with transaction.atomic():
        pk = session.pk
        session.delete()
        record(
            Action.DELETE,
            actor=actor,
            object_type=ObjectType.SEMINAR_SESSION,
            object_id=pk,
            request=request,
        )


def _new_personal_code() -> tuple[str, str]:
    while True:
        code = codes.new_code(codes.PERSONAL_CODE_LENGTH)
        digest = code_index(code)
        if not Participant.objects.filter(code_index=digest).exists():
            return code, digest


def do_add_participant(
    seminar: Seminar,
    *,
    actor: User | None,
    data: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Participant:
    code, digest = _new_personal_code()
    with transaction.atomic():
        participant = Participant(
            seminar=seminar,
            full_name=data["full_name"].strip(),
            name_index=name_index(data["full_name"]),
            role=data["role"],
            agency=data.get("agency"),
            agency_name=data.get("agency_name", "") or "",
            position=(data.get("position") or "").strip(),
            user=data.get("user"),
            code=code,
            code_index=digest,
        )
        participant.save()
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.TRAINING_PARTICIPANT,
            object_id=participant.pk,
            fields=[k for k in PARTICIPANT_FIELDS if data.get(k)],
            request=request,
        )
    return participant


def do_update_participant(
    participant: Participant,
    *,
    actor: User,
    data: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Participant:
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        changed = []
        for key in PARTICIPANT_FIELDS:
            if key not in data:
                continue
            value = data[key]
            if isinstance(value, str):
                value = value.strip()
            if key == "agency_name" and value is None:
                value = ""
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
        if "full_name" in changed:
            locked.name_index = name_index(locked.full_name)
            changed.append("name_index")
        if changed:
            locked.save(update_fields=changed)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.TRAINING_PARTICIPANT,
            object_id=locked.pk,
            fields=[c for c in changed if c != "name_index"],
            request=request,
        )
    return locked


def do_record_attendance(
    session: AgendaSession,
    *,
    actor: User,
    present: Iterable[int],
    request: HttpRequest | None = None,
) -> int:
    """Set who was present at a session (everybody else of the seminar: absent)."""
    present_ids = set(present)
    with transaction.atomic():
        people = list(session.seminar.participants.values_list("pk", flat=True))
        existing = {a.participant_id: a for a in session.attendance.all()}
        create, update = [], []
        for pk in people:
            is_present = pk in present_ids
            row = existing.get(pk)
            if row is None:
                create.append(Attendance(participant_id=pk, session=session, present=is_present))
            elif row.present != is_present:
                row.present = is_present
                update.append(row)
        Attendance.objects.bulk_create(create)
        Attendance.objects.bulk_update(update, ["present"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.SEMINAR_SESSION,
            object_id=session.pk,
            fields=["attendance"],
            request=request,
        )
    return len([pk for pk in people if pk in present_ids])


# ---------------------------------------------------------------------------------------------
# Question bank


def do_save_question(
    *,
    actor: User,
    data: Mapping[str, Any],
    options: Sequence[Mapping[str, Any]],
    question: Question | None = None,
    request: HttpRequest | None = None,
) -> Question:
    """Create a question, or replace an existing one's text and options. Options of a question
    already drawn in a test are kept (attempts point at them): they are updated in place by
    position, and surplus ones are removed only when no attempt used the question."""
    with transaction.atomic():
        if question is None:
            question = Question(created_by=actor)
            action = Action.CREATE
        else:
            question = Question.objects.select_for_update().get(pk=question.pk)
            action = Action.UPDATE
        for key in QUESTION_FIELDS:
            if key in data:
                setattr(question, key, data[key])
        question.updated_at = timezone.now()
        question.save()
        old = list(question.options.order_by("position", "pk"))
        for position, values in enumerate(options):
            option = old[position] if position < len(old) else Option(question=question)
            option.position = position
            for key in OPTION_FIELDS:
                setattr(option, key, values.get(key, False if key == "is_correct" else ""))
            option.save()
        surplus = old[len(options) :]
        if surplus:
            if AttemptItem.objects.filter(question=question).exists():
                raise TrainingError(
                    _(
                        "This question was already used in a test: its options can be changed "
                        "but not removed. Make a new question instead."
                    )
                )
            Option.objects.filter(pk__in=[o.pk for o in surplus]).delete()
        record(
            action,
            actor=actor,
            object_type=ObjectType.TRAINING_QUESTION,
            object_id=question.pk,
            fields=[*[k for k in QUESTION_FIELDS if k in data], "options"],
            request=request,
        )
    return question


# ---------------------------------------------------------------------------------------------
# Tests and attempts


def do_create_test(
    seminar: Seminar, *, actor: User, data: Mapping[str, Any], request: HttpRequest | None = None
) -> KnowledgeTest:
    if KnowledgeTest.objects.filter(seminar=seminar, kind=data["kind"]).exists():
        raise TrainingError(_("This seminar already has a test of this kind."))
    for _try in range(20):
        code = codes.new_code(codes.TEST_CODE_LENGTH)
        try:
            with transaction.atomic():
                test = KnowledgeTest.objects.create(
                    seminar=seminar,
                    kind=data["kind"],
                    code=code,
                    question_count=data["question_count"],
                    time_limit_minutes=data["time_limit_minutes"],
                    objectives=list(data.get("objectives") or []),
                    anonymous=bool(data.get("anonymous")),
                    created_by=actor,
                )
                record(
                    Action.CREATE,
                    actor=actor,
                    object_type=ObjectType.TRAINING_TEST,
                    object_id=test.pk,
                    fields=[
                        "kind",
                        "question_count",
                        "time_limit_minutes",
                        "objectives",
                        "anonymous",
                    ],
                    request=request,
                )
            return test
        except IntegrityError:
            if KnowledgeTest.objects.filter(seminar=seminar, kind=data["kind"]).exists():
                raise TrainingError(_("This seminar already has a test of this kind.")) from None
    raise TrainingError(_("Could not make a unique code; please try again."))


def do_set_test_open(
    test: KnowledgeTest, *, actor: User, is_open: bool, request: HttpRequest | None = None
) -> KnowledgeTest:
    with transaction.atomic():
        locked = KnowledgeTest.objects.select_for_update().get(pk=test.pk)
        fields = ["is_open"]
        if locked.is_open and not is_open:
            locked.closed_at = timezone.now()  # it has ended (a post-test: the pre-test key shows)
            fields.append("closed_at")
        locked.is_open = is_open
        locked.save(update_fields=fields)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.TRAINING_TEST,
            object_id=locked.pk,
            fields=fields,
            request=request,
        )
    return locked


def do_set_test_anonymous(
    test: KnowledgeTest, *, actor: User, anonymous: bool, request: HttpRequest | None = None
) -> KnowledgeTest:
    """Personal codes or anonymous participation; only before anybody has started the test."""
    with transaction.atomic():
        locked = KnowledgeTest.objects.select_for_update().get(pk=test.pk)
        if locked.anonymous == anonymous:
            return locked
        if locked.attempts.exists():
            raise TrainingError(
                _("Somebody has already started this test: the way to take part cannot change.")
            )
        locked.anonymous = anonymous
        locked.save(update_fields=["anonymous"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.TRAINING_TEST,
            object_id=locked.pk,
            fields=["anonymous"],
            request=request,
        )
    return locked


def do_release_test_key(
    test: KnowledgeTest, *, actor: User, request: HttpRequest | None = None
) -> KnowledgeTest:
    """Show participants the right answers and explanations of a pre-test (hidden until then,
    because the post-test draws on the same bank)."""
    with transaction.atomic():
        locked = KnowledgeTest.objects.select_for_update().get(pk=test.pk)
        if locked.key_released_at is None:
            locked.key_released_at = timezone.now()
            locked.save(update_fields=["key_released_at"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.TRAINING_TEST,
            object_id=locked.pk,
            fields=["key_released_at"],
            request=request,
        )
    return locked


def draw_questions(test: KnowledgeTest, rng: random.Random) -> list[Question]:
    pool = list(Question.objects.filter(is_active=True).prefetch_related("options").order_by("pk"))
    if test.objectives:
        wanted = set(test.objectives)
        pool = [q for q in pool if wanted & set(q.objectives or [])]
    pool = [q for q in pool if len(q.options.all()) >= 2]
    return rng.sample(pool, min(test.question_count, len(pool)))


def do_start_attempt(
    test: KnowledgeTest,
    participant: Participant | None,
    *,
    language: str = "ru",
    rng: random.Random | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Attempt:
    """Start (or return the already started) attempt: a random draw from the bank, options
    shuffled (true/false keeps its order), with the deadline set by the time limit.

    In an anonymous test there is no participant (``None``): every call starts a new attempt,
    which the caller keeps in the browser session."""
    if test.anonymous:
        participant = None
    elif participant is None:
        raise TrainingError(_("Enter your personal code first."))
    else:
        existing = Attempt.objects.filter(test=test, participant=participant).first()
        if existing is not None:
            return existing
        if participant.seminar_id != test.seminar_id:
            raise TrainingError(_("This test belongs to another seminar."))
    if not test.is_open:
        raise TrainingError(_("This test is not open. Ask your trainer."))
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    questions = draw_questions(test, rng)
    if not questions:
        raise TrainingError(_("The question bank has no questions for this test yet."))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                test=test,
                participant=participant,
                language=language,
                started_at=now,
                deadline=now + timedelta(minutes=test.time_limit_minutes),
            )
            items = []
            for position, question in enumerate(questions, 1):
                ids = [o.pk for o in question.options.all()]
                order = list(ids)
                match_order: list[int] = []
                if question.kind != Question.Kind.TRUE_FALSE:
                    rng.shuffle(order)
                if question.kind == Question.Kind.MATCHING:
                    match_order = list(ids)
                    rng.shuffle(match_order)
                items.append(
                    AttemptItem(
                        attempt=attempt,
                        question=question,
                        position=position,
                        order=order,
                        match_order=match_order,
                    )
                )
            AttemptItem.objects.bulk_create(items)
            record(
                Action.CREATE,
                actor=None,
                actor_username=attempt_label(attempt),
                object_type=ObjectType.TRAINING_ATTEMPT,
                object_id=attempt.pk,
                request=request,
            )
    except IntegrityError:  # the same participant started it twice at once
        return Attempt.objects.get(test=test, participant=participant)
    return attempt


def clean_response(item: AttemptItem, raw: Any) -> Any:
    """A response checked against the item's options; ``None`` for anything malformed."""
    allowed = {int(pk) for pk in item.order}
    kind = item.question.kind
    if kind == Question.Kind.MATCHING:
        if not isinstance(raw, Mapping):
            return None
        rights = {int(pk) for pk in item.match_order}
        pairs: dict[str, int] = {}
        for left, right in raw.items():
            try:
                left_id, right_id = int(left), int(right)
            except (TypeError, ValueError):
                continue
            if left_id in allowed and right_id in rights:
                pairs[str(left_id)] = right_id
        return pairs
    if not isinstance(raw, list | tuple | set):
        return None
    chosen: list[int] = []
    for value in raw:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            continue
        if pk in allowed and pk not in chosen:
            chosen.append(pk)
    if kind != Question.Kind.MULTIPLE:
        chosen = chosen[:1]
    return chosen


def score_item(item: AttemptItem) -> float:
    question = item.question
    options = list(question.options.all())
    response = item.response
    if response is None:
        return 0.0
    if question.kind == Question.Kind.MATCHING:
        pairs = {int(k): int(v) for k, v in dict(response).items()}
        return score_matching(pairs, [o.pk for o in options])
    correct = [o.pk for o in options if o.is_correct]
    return score_choice(list(response), correct, multiple=question.kind == Question.Kind.MULTIPLE)


def accepts_answers(attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return attempt.submitted_at is None and now <= attempt.deadline + timedelta(
        seconds=GRACE_SECONDS
    )


def do_save_answers(
    attempt: Attempt,
    responses: Mapping[int, Any],
    *,
    now: datetime | None = None,
) -> list[int]:
    """Save answers as they are given (item id -> raw response). Returns the saved item ids.
    Saving the same answer twice is harmless, so a client may resend after a dropped
    connection."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            raise TimeUpError(_("This test is already submitted."))
        if not accepts_answers(locked, now):
            raise TimeUpError(_("The time for this test is over."))
        items = {
            item.pk: item
            for item in locked.items.select_related("question").filter(pk__in=list(responses))
        }
        saved = []
        for pk, raw in responses.items():
            item = items.get(pk)
            if item is None:
                continue
            cleaned = clean_response(item, raw)
            if cleaned is None:
                continue
            item.response = cleaned
            item.saved_at = now
            item.save(update_fields=["response", "saved_at"])
            saved.append(pk)
    return saved


def do_submit_attempt(
    attempt: Attempt,
    *,
    responses: Mapping[int, Any] | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Attempt:
    """Score and close an attempt. Answers sent with the submission are saved first (if still
    in time). Submitting twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            # Lock the attempt's row only: an anonymous attempt has no participant, and
            # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join.
            Attempt.objects.select_for_update(of=("self",))
            .select_related("participant")
            .get(pk=attempt.pk)
        )
        if locked.submitted_at is not None:
            return locked
        if responses and accepts_answers(locked, now):
            do_save_answers(locked, responses, now=now)
        items = list(locked.items.select_related("question").prefetch_related("question__options"))
        for item in items:
            item.score = score_item(item)
        AttemptItem.objects.bulk_update(items, ["score"])
        locked.score = attempt_score([item.score for item in items])
        locked.submitted_at = min(now, locked.deadline + timedelta(seconds=GRACE_SECONDS))
        locked.save(update_fields=["score", "submitted_at"])
        record(
            Action.FINALISE,
            actor=None,
            actor_username=attempt_label(locked),
            object_type=ObjectType.TRAINING_ATTEMPT,
            object_id=locked.pk,
            fields=["answers", "score"],
            request=request,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Exercises and surveys


def do_submit_exercise(
    scenario: Scenario,
    *,
    observed: Iterable[str],
    outcome: str,
    referrals: Iterable[str],
    participant: Participant | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> ExerciseAttempt:
    if (participant is None) == (user is None):
        raise TrainingError(_("An exercise belongs to a participant or to an official."))
    observed = sorted(set(observed))
    referrals = sorted(set(referrals))
    result = scenario.score(observed, outcome, referrals)
    with transaction.atomic():
        attempt = ExerciseAttempt.objects.create(
            scenario=scenario.id,
            participant=participant,
            user=user,
            observed=observed,
            outcome=outcome,
            referrals=referrals,
            precision=result.precision,
            recall=result.recall,
            f1=result.f1,
            outcome_correct=result.outcome_correct,
            referral_score=result.referral_score,
            score=result.score,
            missed=list(result.missed),
            extra=list(result.extra),
        )
        record(
            Action.CREATE,
            actor=user,
            actor_username=participant_label(participant) if participant else None,
            object_type=ObjectType.TRAINING_EXERCISE,
            object_id=attempt.pk,
            fields=["observed", "outcome", "referrals"],
            request=request,
        )
    return attempt


def do_submit_survey(
    participant: Participant,
    *,
    kind: str,
    answers: Mapping[str, Any],
    comment: str = "",
    request: HttpRequest | None = None,
) -> SurveyResponse:
    if SurveyResponse.objects.filter(participant=participant, kind=kind).exists():
        raise TrainingError(_("You have already answered this survey. Thank you!"))
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            participant=participant, kind=kind, answers=dict(answers), comment=comment.strip()
        )
        record(
            Action.CREATE,
            actor=None,
            actor_username=participant_label(participant),
            object_type=ObjectType.TRAINING_SURVEY,
            object_id=response.pk,
            fields=[*answers.keys(), *(["comment"] if comment.strip() else [])],
            request=request,
        )
    return response


# ---------------------------------------------------------------------------------------------
# Certificates


@dataclass(frozen=True)
class Standing:
    participant: Participant
    attended: int
    sessions: int
    post_score: float | None

    @property
    def attendance_percent(self) -> float | None:
        return 100.0 * self.attended / self.sessions if self.sessions else None

    def eligible(self, seminar: Seminar) -> bool:
        percent = self.attendance_percent
        return (
            percent is not None
            and percent >= seminar.min_attendance
            and self.post_score is not None
            and self.post_score >= seminar.pass_mark
        )


def standings(seminar: Seminar) -> list[Standing]:
    """Attendance and post-test score of every participant (a fixed number of queries)."""
    sessions = seminar.sessions.count()
    attended: dict[int, int] = {}
    for pk in Attendance.objects.filter(session__seminar=seminar, present=True).values_list(
        "participant_id", flat=True
    ):
        attended[pk] = attended.get(pk, 0) + 1
    post = dict(
        Attempt.objects.filter(
            test__seminar=seminar,
            test__kind=KnowledgeTest.Kind.POST,
            submitted_at__isnull=False,
            participant__isnull=False,  # anonymous attempts count for nobody
        ).values_list("participant_id", "score")
    )
    people = seminar.participants.select_related("agency", "certificate").order_by("pk")
    return [Standing(p, attended.get(p.pk, 0), sessions, post.get(p.pk)) for p in people]


def _new_certificate_code() -> str:
    while True:
        code = codes.new_code(codes.CERTIFICATE_CODE_LENGTH)
        if not Certificate.objects.filter(code=code).exists():
            return code


def do_issue_certificates(
    seminar: Seminar, *, actor: User, request: HttpRequest | None = None
) -> list[Certificate]:
    """A certificate for every participant who attended enough and passed the post-test and
    has none yet."""
    issued = []
    with transaction.atomic():
        Seminar.objects.select_for_update().get(pk=seminar.pk)
        for standing in standings(seminar):
            participant = standing.participant
            if not standing.eligible(seminar) or hasattr(participant, "certificate"):
                continue
            certificate = Certificate.objects.create(
                participant=participant, code=_new_certificate_code(), issued_by=actor
            )
            record(
                Action.CREATE,
                actor=actor,
                object_type=ObjectType.TRAINING_CERTIFICATE,
                object_id=certificate.pk,
                request=request,
            )
            issued.append(certificate)
    return issued


def do_revoke_certificate(
    certificate: Certificate, *, actor: User, request: HttpRequest | None = None
) -> Certificate:
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.TRAINING_CERTIFICATE,
            object_id=locked.pk,
            fields=["revoked_at"],
            request=request,
        )
    return locked


def verify_certificate(raw_code: object) -> Certificate | None:
    code = codes.normalise(raw_code)
    if len(code) != codes.CERTIFICATE_CODE_LENGTH:
        return None
    return Certificate.objects.select_related("participant__seminar").filter(code=code).first()
