"""After "Issue certificates" the trainer reads who got none and why, person by person, in
their own language: attendance below the threshold, no post-test, a score below the pass mark."""

from __future__ import annotations

import html

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training import actions
from tanu.training.models import Certificate, Participant, Seminar
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    right_answers,
    signed_in,
)

pytestmark = pytest.mark.django_db


def _passed(participant: Participant, test: object) -> None:
    attempt = actions.do_start_attempt(test, participant)  # type: ignore[arg-type]
    data = right_answers(attempt)
    responses = {
        int(pk): data.get(f"q{pk}")
        or {k.split("-")[1]: v for k, v in data.items() if k.startswith(f"q{pk}-")}
        for pk in data["item"]
    }
    actions.do_submit_attempt(attempt, responses=responses)


@pytest.fixture
def seminar(personas: Personas) -> Seminar:
    trainer = personas.trainer
    seminar = make_seminar(trainer, sessions=2)  # min_attendance 50 %, pass mark 70 %
    good = add_participant(seminar, trainer, name="Годная Әсел")
    absent = add_participant(seminar, trainer, name="Отсутствующий Ерлан")
    failed = add_participant(seminar, trainer, name="Несдавший Марат")
    add_participant(seminar, trainer, name="Безтестов Арман")
    sessions = list(seminar.sessions.all())
    present = [good.pk, failed.pk]
    for session in sessions:
        actions.do_record_attendance(session, actor=trainer, present=present)
    test = open_test(seminar, trainer, kind="post", count=5)
    _passed(good, test)
    _passed(absent, test)
    actions.do_submit_attempt(actions.do_start_attempt(test, failed), responses={})
    return seminar


def _in(lang: str, message: str, **values: object) -> str:
    with override(lang):
        return _(message) % values if values else _(message)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_issuing_lists_who_got_none_and_why_in_the_users_language(
    seminar: Seminar, lang: str
) -> None:
    client = signed_in("trainer", lang)
    response = client.post(f"/training/seminars/{seminar.pk}/certificates/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert Certificate.objects.count() == 1
    attendance = _in(
        lang,
        "Attended %(attended)s of %(sessions)s sessions (%(percent)s%%); %(needed)s%% are needed.",
        attended=0,
        sessions=2,
        percent=0,
        needed=50,
    )
    low = _in(lang, "Post-test score %(score)s%%; the pass mark is %(mark)s%%.", score="0", mark=70)
    missing = _in(lang, "Did not submit the post-test.")
    assert f"Отсутствующий Ерлан</strong>: {attendance}" in page
    assert f"Несдавший Марат</strong>: {low}" in page
    assert f"Безтестов Арман</strong>: {attendance} {missing}" in page
    assert "Годная Әсел" not in page
    if lang == "en":
        assert "Attended 0 of 2 sessions (0%); 50% are needed." in page
        assert "1 certificate issued now." in page
        assert "3 participants got no certificate" in page
    assert AuditEntry.objects.filter(object_type="seminar_participants", action="read").exists()


def test_a_seminar_without_a_post_test_says_so(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer, sessions=1)
    person = add_participant(seminar, personas.trainer, name="Ерлан Б")
    actions.do_record_attendance(
        seminar.sessions.get(), actor=personas.trainer, present=[person.pk]
    )
    page = html.unescape(
        signed_in("trainer").post(f"/training/seminars/{seminar.pk}/certificates/").content.decode()
    )
    assert "Ерлан Б</strong>: The seminar has no post-test yet." in page
    assert "0 certificates issued now." in page


def test_a_revoked_certificate_is_explained_and_issuing_twice_changes_nothing(
    seminar: Seminar, personas: Personas
) -> None:
    client = signed_in("trainer")
    client.post(f"/training/seminars/{seminar.pk}/certificates/")
    actions.do_revoke_certificate(Certificate.objects.get(), actor=personas.trainer)
    page = html.unescape(
        client.post(f"/training/seminars/{seminar.pk}/certificates/").content.decode()
    )
    assert "Годная Әсел</strong>: The certificate was revoked." in page
    assert "0 certificates issued now." in page
    assert Certificate.objects.count() == 1


def test_only_the_seminars_trainers_may_issue(seminar: Seminar) -> None:
    response = signed_in("outsider").post(f"/training/seminars/{seminar.pk}/certificates/")
    assert response.status_code == 404
    assert not Certificate.objects.exists()
