"""Attendance on a phone: one tap per participant, saved at once (htmx), with a plain form for
browsers without JavaScript; the agenda shows "record attendance" on a phone too."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training.models import Attendance, Seminar
from tanu.training.tests.helpers import add_participant, make_seminar, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(personas: Personas) -> Seminar:
    seminar = make_seminar(personas.trainer, sessions=2)
    add_participant(seminar, personas.trainer, name="Бірінші Айгүл")
    add_participant(seminar, personas.trainer, name="Екінші Ерлан")
    return seminar


def _toggle(seminar: Seminar, session_pk: int, participant_pk: int) -> str:
    return f"/training/seminars/{seminar.pk}/sessions/{session_pk}/attendance/{participant_pk}/"


def test_the_attendance_page_has_one_big_toggle_per_participant(seminar: Seminar) -> None:
    session = seminar.sessions.first()
    page = (
        signed_in("trainer")
        .get(f"/training/seminars/{seminar.pk}/sessions/{session.pk}/attendance/")
        .content.decode()
    )
    for person in seminar.participants.all():
        url = _toggle(seminar, session.pk, person.pk)
        assert f'hx-post="{url}"' in page and f'action="{url}"' in page
    assert page.count('aria-pressed="false"') == 2
    assert 'name="present" value="1"' in page


def test_one_tap_with_htmx_marks_present_and_a_second_tap_absent(seminar: Seminar) -> None:
    client = signed_in("trainer")
    session = seminar.sessions.first()
    first, second = seminar.participants.order_by("pk")
    url = _toggle(seminar, session.pk, first.pk)
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'aria-pressed="true"' in fragment and 'name="present" value="0"' in fragment
    assert "<html" not in fragment
    assert Attendance.objects.get(participant=first, session=session).present
    assert not Attendance.objects.filter(participant=second).exists()  # others unchanged
    client.post(url, {"present": "0"}, HTTP_HX_REQUEST="true")
    assert not Attendance.objects.get(participant=first, session=session).present
    entries = AuditEntry.objects.filter(
        object_type="seminar_session", object_id=str(session.pk), action="update"
    )
    assert entries.count() == 2


def test_without_javascript_the_tap_reloads_the_page_at_the_same_person(seminar: Seminar) -> None:
    client = signed_in("trainer")
    session = seminar.sessions.first()
    person = seminar.participants.first()
    response = client.post(_toggle(seminar, session.pk, person.pk), {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/attendance/#p{person.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert page.count('aria-pressed="true"') == 1


def test_the_toggle_refuses_other_seminars_and_strangers(
    seminar: Seminar, personas: Personas
) -> None:
    other = make_seminar(personas.trainer, city="Taraz")
    stranger = add_participant(other, personas.trainer, name="Бөтен Адам")
    session = seminar.sessions.first()
    client = signed_in("trainer")
    assert (
        client.post(_toggle(seminar, session.pk, stranger.pk), {"present": "1"}).status_code == 404
    )
    other_session = other.sessions.first()
    person = seminar.participants.first()
    assert client.post(_toggle(seminar, other_session.pk, person.pk)).status_code == 404
    assert client.get(_toggle(seminar, session.pk, person.pk)).status_code == 405
    assert signed_in("outsider").post(_toggle(seminar, session.pk, person.pk)).status_code == 404
    assert not Attendance.objects.exists()


def test_the_agenda_puts_record_attendance_first_on_each_card(seminar: Seminar) -> None:
    page = signed_in("trainer").get(f"/training/seminars/{seminar.pk}/").content.decode()
    session = seminar.sessions.first()
    link = f"/training/seminars/{seminar.pk}/sessions/{session.pk}/attendance/"
    assert f'<td class="card-lead"><a class="button card-action" href="{link}">' in page
