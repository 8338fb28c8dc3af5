"""Trainers run seminars: agenda, participants (personal data, encrypted and audited),
attendance, tests and the question bank. Every write is audited; list pages run a constant
number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training import bank
from tanu.training.models import (
    AgendaSession,
    Attendance,
    KnowledgeTest,
    Option,
    Participant,
    Question,
    Seminar,
)
from tanu.training.tests.helpers import add_participant, make_seminar, signed_in

pytestmark = pytest.mark.django_db


def test_a_trainer_creates_a_seminar_and_runs_it(personas: Personas) -> None:
    client = signed_in("trainer")
    response = client.post(
        "/training/seminars/new/",
        {
            "region": personas.trainer.agency.region_id,
            "city_kk": "Тараз",
            "city_ru": "Тараз",
            "city_en": "Taraz",
            "starts_on": "2026-03-03",
            "ends_on": "2026-03-05",
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 80,
        },
    )
    assert response.status_code == 302
    seminar = Seminar.objects.get()
    assert list(seminar.trainers.all()) == [personas.trainer]

    client.post(
        f"/training/seminars/{seminar.pk}/sessions/new/",
        {"day": "2026-03-03", "starts_at": "09:30", "ends_at": "11:00", "title": "Признаки МОТ"},
    )
    # A session outside the seminar's dates is refused.
    client.post(
        f"/training/seminars/{seminar.pk}/sessions/new/",
        {"day": "2026-04-01", "starts_at": "09:30", "title": "Late"},
    )
    assert list(seminar.sessions.values_list("title", flat=True)) == ["Признаки МОТ"]

    response = client.post(
        f"/training/seminars/{seminar.pk}/participants/new/",
        {
            "full_name": "  Омарова   Динара ",
            "role": "criminal_police",
            "agency_name": "ДП г. Тараз",
            "position": "оперуполномоченный",
            "username": "screener",
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.full_name == "Омарова Динара"
    assert participant.user == personas.screener

    session = seminar.sessions.get()
    client.post(
        f"/training/seminars/{seminar.pk}/sessions/{session.pk}/attendance/",
        {"present": [str(participant.pk)]},
    )
    assert Attendance.objects.get().present

    bank.load_starter_bank(actor=personas.trainer)
    response = client.post(
        f"/training/seminars/{seminar.pk}/tests/new/",
        {"kind": "pre", "question_count": 10, "time_limit_minutes": 15},
    )
    test = KnowledgeTest.objects.get()
    assert response["Location"] == f"/training/seminars/{seminar.pk}/tests/{test.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml" in page  # the QR code
    assert f"/training/t/{test.code}/" in page
    client.post(f"/training/seminars/{seminar.pk}/tests/{test.pk}/open/", {"open": "1"})
    test.refresh_from_db()
    assert test.is_open
    # One test of each kind.
    client.post(
        f"/training/seminars/{seminar.pk}/tests/new/",
        {"kind": "pre", "question_count": 10, "time_limit_minutes": 15},
    )
    assert KnowledgeTest.objects.count() == 1

    detail = client.get(f"/training/seminars/{seminar.pk}/").content.decode()
    assert "Омарова Динара" in detail
    slips = client.get(f"/training/seminars/{seminar.pk}/slips/").content.decode()
    assert f"/training/p/{participant.code}/" in slips


def test_every_write_is_audited(personas: Personas) -> None:
    client = signed_in("trainer")
    seminar = make_seminar(personas.trainer, sessions=1)
    participant = add_participant(seminar, personas.trainer)
    session = seminar.sessions.get()
    client.post(
        f"/training/seminars/{seminar.pk}/sessions/{session.pk}/attendance/",
        {"present": [str(participant.pk)]},
    )
    client.post(
        f"/training/seminars/{seminar.pk}/participants/{participant.pk}/edit/",
        {"full_name": "Другое Имя", "role": "ngo", "agency_name": "НПО"},
    )
    # A session with attendance stays; an empty one can go.
    client.post(f"/training/seminars/{seminar.pk}/sessions/{session.pk}/delete/")
    assert seminar.sessions.filter(pk=session.pk).exists()
    client.post(
        f"/training/seminars/{seminar.pk}/sessions/{session.pk}/attendance/", {"present": []}
    )
    assert not Attendance.objects.filter(present=True).exists()
    client.post(f"/training/seminars/{seminar.pk}/sessions/{session.pk}/delete/")
    assert not seminar.sessions.filter(pk=session.pk).exists()
    client.get(f"/training/seminars/{seminar.pk}/")
    entries = {(e.action, e.object_type) for e in AuditEntry.objects.all()}
    assert ("create", "seminar") in entries
    assert ("create", "seminar_session") in entries
    assert ("create", "training_participant") in entries
    assert ("update", "seminar_session") in entries  # attendance
    assert ("update", "training_participant") in entries
    assert ("delete", "seminar_session") in entries
    assert ("read", "seminar_participants") in entries
    edit = AuditEntry.objects.get(action="update", object_type="training_participant")
    assert set(edit.fields) == {"full_name", "role", "agency_name", "position"}
    for entry in AuditEntry.objects.all():
        assert "Другое" not in entry.reason and "Ахметова" not in " ".join(entry.fields)


def test_a_question_is_written_in_three_languages_with_checked_options(personas: Personas) -> None:
    client = signed_in("trainer")
    base = {
        "kind": "single",
        "text_kk": "Сұрақ?",
        "text_ru": "Вопрос?",
        "text_en": "Question?",
        "explanation_en": "Because.",
        "objectives": ["recognise"],
        "dimensions": ["coercion_at_destination"],
        "is_active": "on",
        "opt-TOTAL_FORMS": "3",
        "opt-INITIAL_FORMS": "0",
        "opt-MIN_NUM_FORMS": "0",
        "opt-MAX_NUM_FORMS": "8",
    }
    options = {
        "opt-0-text_kk": "Иә", "opt-0-text_ru": "Да", "opt-0-text_en": "Yes", "opt-0-is_correct": "on",
        "opt-1-text_kk": "Жоқ", "opt-1-text_ru": "Нет", "opt-1-text_en": "No",
    }  # fmt: skip
    # Two correct options for a single-choice question: refused.
    bad = client.post("/training/questions/new/", {**base, **options, "opt-1-is_correct": "on"})
    assert bad.status_code == 400
    assert "exactly one correct" in bad.content.decode()
    # A missing Kazakh option text: refused.
    missing = client.post("/training/questions/new/", {**base, **options, "opt-1-text_kk": ""})
    assert missing.status_code == 400
    assert not Question.objects.exists()

    response = client.post("/training/questions/new/", {**base, **options})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.objectives == ["recognise"]
    assert [o.text_ru for o in question.options.all()] == ["Да", "Нет"]
    assert AuditEntry.objects.filter(object_type="training_question", action="create").count() == 1

    listing = client.get("/training/questions/?objective=recognise&kind=single").content.decode()
    assert "Question?" in listing
    assert "Question?" not in client.get("/training/questions/?objective=law").content.decode()


def test_options_of_a_question_used_in_a_test_are_never_removed(personas: Personas) -> None:
    from tanu.training import actions
    from tanu.training.tests.helpers import open_test

    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer, count=34)
    actions.do_start_attempt(test, participant)
    question = Question.objects.filter(kind="single").first()
    assert question is not None
    rows = [
        {f"text_{lang}": getattr(o, f"text_{lang}") for lang in ("kk", "ru", "en")}
        | {"is_correct": o.is_correct}
        for o in question.options.all()
    ]
    with pytest.raises(actions.TrainingError):
        actions.do_save_question(
            actor=personas.trainer, data={}, options=rows[:2], question=question
        )
    assert question.options.count() == len(rows)


def test_participants_of_another_trainers_seminar_are_not_found(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    other = UserFactory(username="trainer2", role=Role.TRAINER, agency=personas.trainer.agency)
    client = signed_in(other.username)
    for url in (
        f"/training/seminars/{seminar.pk}/",
        f"/training/seminars/{seminar.pk}/edit/",
        f"/training/seminars/{seminar.pk}/slips/",
        f"/training/seminars/{seminar.pk}/participants/{participant.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert "Almaty" not in client.get("/training/").content.decode()
    # The administrator sees every seminar.
    assert signed_in("admin").get(f"/training/seminars/{seminar.pk}/").status_code == 200


def test_a_trainer_cannot_drop_themselves_from_their_own_seminar(personas: Personas) -> None:
    client = signed_in("trainer")
    seminar = make_seminar(personas.trainer)
    other = UserFactory(username="trainer2", role=Role.TRAINER, agency=personas.trainer.agency)
    client.post(
        f"/training/seminars/{seminar.pk}/edit/",
        {
            "region": seminar.region_id,
            "city_kk": "Алматы",
            "city_ru": "Алматы",
            "city_en": "Almaty",
            "starts_on": "2026-03-03",
            "ends_on": "2026-03-02",  # before the first day: refused
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 80,
            "trainers": [other.pk],
        },
    )
    seminar.refresh_from_db()
    assert seminar.ends_on == date(2026, 3, 5)
    client.post(
        f"/training/seminars/{seminar.pk}/edit/",
        {
            "region": seminar.region_id,
            "city_kk": "Алматы",
            "city_ru": "Алматы",
            "city_en": "Almaty",
            "starts_on": "2026-03-03",
            "ends_on": "2026-03-06",
            "language": "kk",
            "pass_mark": 75,
            "min_attendance": 80,
            "trainers": [other.pk],
        },
    )
    seminar.refresh_from_db()
    assert seminar.ends_on == date(2026, 3, 6)
    assert set(seminar.trainers.all()) == {personas.trainer, other}


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(personas: Personas, seminars: int, people: int) -> None:
    for n in range(seminars):
        seminar = make_seminar(personas.trainer, city=f"City {n}", sessions=2)
        for m in range(people):
            add_participant(seminar, personas.trainer, name=f"Участник {n}-{m}")


def test_list_pages_run_the_same_number_of_queries_at_two_sizes(personas: Personas) -> None:
    bank.load_starter_bank(actor=personas.trainer)
    _grow(personas, 2, 2)
    client = signed_in("trainer")
    seminar = Seminar.objects.order_by("pk").first()
    assert seminar is not None
    urls = ["/training/", "/training/questions/", f"/training/seminars/{seminar.pk}/"]
    for url in urls:  # warm up: the first request after signing in also writes the session
        client.get(url)
    small = {url: _count(client, url) for url in urls}
    _grow(personas, 6, 1)
    for m in range(10):
        add_participant(seminar, personas.trainer, name=f"Ещё {m}")
    for n in range(10):
        Question.objects.create(kind="true_false", text_kk="a", text_ru="b", text_en=f"Extra {n}")
        Option.objects.create(
            question=Question.objects.last(), text_kk="x", text_ru="x", text_en="x"
        )
    large = {url: _count(client, url) for url in urls}
    assert small == large
    assert AgendaSession.objects.count() > 4
