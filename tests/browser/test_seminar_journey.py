"""A trainer runs a seminar on a 360 × 740 phone, in Kazakh and in Russian: imports the
participants from a file (a bad file first: the problems are listed and nothing is imported;
then a good one), marks attendance with one tap per participant, issues the certificates and
reads who got none and why."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from tanu.accounts.tests.personas import Personas
from tanu.training import actions, imports
from tanu.training.models import Attendance, Certificate, Participant
from tanu.training.tests.helpers import make_seminar, open_test, right_answers

from .helpers import sign_in

pytestmark = pytest.mark.browser

NAMES = ("Нурланова Айгерим Болатовна", "Сейтқали Ерлан", "Бекова Сара")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _file(lang: str, rows: list[str]) -> dict[str, Any]:
    text = ",".join(imports.header_labels(lang)) + "\n" + "".join(f"{r}\n" for r in rows)
    return {"name": "participants.csv", "mimeType": "text/csv", "buffer": text.encode()}


def _pass_post_test(participant: Participant, test: Any) -> None:
    attempt = actions.do_start_attempt(test, participant)
    data = right_answers(attempt)
    responses = {
        int(pk): data.get(f"q{pk}")
        or {k.split("-")[1]: v for k, v in data.items() if k.startswith(f"q{pk}-")}
        for pk in data["item"]
    }
    actions.do_submit_attempt(attempt, responses=responses)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_trainer_runs_a_seminar_on_a_phone(
    live_server: Any, phone: Any, shot: Any, personas: Personas, lang: str
) -> None:
    trainer = personas.trainer
    seminar = make_seminar(trainer, sessions=2)  # attendance needed: 50 %
    base = live_server.url
    sign_in(phone, base, "trainer", lang)
    with override(lang):
        roles = imports.role_labels(lang)
        nothing = _("Nothing was imported")
        row3 = _("Row %(row)s") % {"row": 3}
        no_name = _(imports.MSG_NAME)
        row4 = _("Row %(row)s") % {"row": 4}
        same = _(imports.MSG_DUPLICATE_FILE) % {"row": 2}
        no_post_test = _("Did not submit the post-test.")

    # 1. Import: a bad file first. Every problem is listed, by row, and nothing is imported.
    phone.goto(f"{base}/training/seminars/{seminar.pk}/")
    phone.locator(f"a[href$='/seminars/{seminar.pk}/participants/import/']").click()
    phone.wait_for_selector("#id_file")
    _no_sideways_scroll(phone)
    shot(phone, f"seminar-{lang}-1-import")
    phone.set_input_files(
        "#id_file",
        _file(
            lang,
            [
                f"{NAMES[0]},{roles[0]},ДП Алматы,",
                f",{roles[0]},ДП Алматы,",
                f"{NAMES[0]},{roles[7]},ҮЕҰ,",
            ],
        ),
    )
    with phone.expect_navigation():
        phone.locator("form.stack button[type=submit]").click()
    problems = phone.locator("[data-testid=problems]")
    assert nothing in problems.inner_text()
    assert f"{row3}: {no_name}" in problems.inner_text()
    assert f"{row4}: {same}" in problems.inner_text()
    assert not Participant.objects.exists()
    problems.scroll_into_view_if_needed()
    _no_sideways_scroll(phone)
    shot(phone, f"seminar-{lang}-2-bad-file")

    # Then the corrected file: everyone is imported.
    phone.set_input_files(
        "#id_file",
        _file(
            lang,
            [
                f"{NAMES[0]},{roles[0]},ДП Алматы,инспектор",
                f"{NAMES[1]},{roles[7]},ҮЕҰ,",
                f"{NAMES[2]},{roles[6]},Прокуратура,",
            ],
        ),
    )
    with phone.expect_navigation():
        phone.locator("form.stack button[type=submit]").click()
    assert [p.full_name for p in seminar.participants.order_by("pk")] == list(NAMES)
    phone.locator("#participants").scroll_into_view_if_needed()
    shot(phone, f"seminar-{lang}-3-imported")
    first, second, third = seminar.participants.order_by("pk")

    # 2. Attendance: "record attendance" is on each agenda card; one tap per participant.
    sessions = list(seminar.sessions.order_by("pk"))
    for session, present in ((sessions[0], (first, second)), (sessions[1], (first, second))):
        phone.goto(f"{base}/training/seminars/{seminar.pk}/")
        link = phone.locator(f"a[href$='/sessions/{session.pk}/attendance/']")
        assert link.is_visible()
        if session == sessions[0]:
            phone.locator("#agenda").scroll_into_view_if_needed()
            shot(phone, f"seminar-{lang}-4-agenda")
        link.click()
        phone.wait_for_selector(".roll")
        for person in present:
            phone.locator(f"#p{person.pk} button").click()
            phone.wait_for_selector(f"#p{person.pk} button[aria-pressed=true]")
        _no_sideways_scroll(phone)
        if session == sessions[0]:
            shot(phone, f"seminar-{lang}-5-attendance")
    assert Attendance.objects.filter(present=True).count() == 4
    assert not Attendance.objects.filter(participant=third, present=True).exists()

    # The post-test (taken by the participants on their phones; here through the actions).
    test = open_test(seminar, trainer, kind="post", count=5)
    _pass_post_test(first, test)
    _pass_post_test(third, test)

    # 3. Issue certificates: who got none, and why.
    phone.goto(f"{base}/training/seminars/{seminar.pk}/")
    with phone.expect_navigation():
        phone.locator("form[action$='/certificates/'] button[type=submit]").click()
    refusals = phone.locator("[data-testid=refusals]").inner_text()
    assert Certificate.objects.get().participant == first
    assert f"{NAMES[1]}: {no_post_test}" in refusals
    assert NAMES[2] in refusals and "0%" in refusals
    assert NAMES[0] not in refusals
    _no_sideways_scroll(phone)
    shot(phone, f"seminar-{lang}-6-certificates")
