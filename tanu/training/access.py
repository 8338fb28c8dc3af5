"""Who may see which seminar, question and result. Outsiders get 404, never 403.

- a trainer: the seminars they run (they are among its trainers), with participants' names;
  the shared question bank (with the answers) and the scenario keys; results of their seminars;
- an administrator: every seminar, the bank and the keys, every result;
- an analyst: aggregate results only (means, gains, item statistics), never a name;
- everybody else, screeners included: nothing of this. A screener who took part in a seminar
  sees only their own tests, exercises and certificate, as a participant.

Trainers see no case data: the case, screening and referral apps give them nothing (tested in
``tests/test_access.py``).

Participants have no account. Proving their personal code (or opening the link on their slip)
puts the participant into the browser session for that seminar; :func:`session_participant`
reads it back.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tanu.accounts.models import Role, User
from tanu.training.models import Participant, Question, Seminar

SESSION_KEY = "tanu_training_participants"


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def is_administrator(user: Any) -> bool:
    return _active(user) and (user.role == Role.ADMINISTRATOR or user.is_superuser)


def is_trainer(user: Any) -> bool:
    return _active(user) and user.role == Role.TRAINER


def can_manage(user: Any) -> bool:
    """Runs seminars, edits the question bank, sees the keys."""
    return is_trainer(user) or is_administrator(user)


def can_see_results(user: Any) -> bool:
    return can_manage(user) or (_active(user) and user.role == Role.ANALYST)


def can_practise(user: Any) -> bool:
    """Any active official with a role may practise the scenario exercises."""
    return _active(user) and bool(user.role)


def visible_seminars(user: Any) -> QuerySet[Seminar]:
    qs = Seminar.objects.select_related("region")
    if is_administrator(user):
        return qs
    if is_trainer(user):
        return qs.filter(trainers=user).distinct()
    return qs.none()


def results_seminars(user: Any) -> QuerySet[Seminar]:
    """Seminars whose aggregate results the user may see."""
    if is_administrator(user) or (_active(user) and user.role == Role.ANALYST):
        return Seminar.objects.select_related("region")
    return visible_seminars(user)


def get_seminar_for_user(user: Any, pk: int | str) -> Seminar:
    try:
        return visible_seminars(user).get(pk=pk)
    except (Seminar.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_question_for_user(user: Any, pk: int | str) -> Question:
    if not can_manage(user):
        raise Http404
    try:
        return Question.objects.prefetch_related("options").get(pk=pk)
    except (Question.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require(condition: bool) -> None:
    if not condition:
        raise Http404


# ---------------------------------------------------------------------------------------------
# Participants in the session


def remember_participant(request: HttpRequest, participant: Participant) -> None:
    known = dict(request.session.get(SESSION_KEY, {}))
    known[str(participant.seminar_id)] = participant.pk
    request.session[SESSION_KEY] = known
    request.session["tanu_training_current"] = participant.pk


def forget_participants(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop("tanu_training_current", None)


def session_participant(request: HttpRequest, seminar_id: int | None = None) -> Participant | None:
    """The participant this browser proved to be (for the seminar, or the latest one); for a
    signed-in official, also their own participation linked to their account."""
    known: dict[str, int] = (
        request.session.get(SESSION_KEY, {}) if hasattr(request, "session") else {}
    )
    pk: int | None
    if seminar_id is not None:
        pk = known.get(str(seminar_id))
    else:
        pk = request.session.get("tanu_training_current") if hasattr(request, "session") else None
    qs = Participant.objects.select_related("seminar", "seminar__region")
    if pk is not None:
        participant = qs.filter(pk=pk).first()
        if participant is not None and (seminar_id is None or participant.seminar_id == seminar_id):
            return participant
    user = getattr(request, "user", None)
    if _active(user):
        linked = qs.filter(user=user)
        if seminar_id is not None:
            linked = linked.filter(seminar_id=seminar_id)
        return linked.order_by("-seminar__starts_on", "-pk").first()
    return None
