"""Who reaches a proceeding as things change around it: a referral declined or withdrawn after
registration, a case closed, an account disabled, an investigator moved to another agency. Each
page read is audited; each refusal is a 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases.models import Case
from tanu.cases.tests.helpers import signed_in
from tanu.proceedings.tests.helpers import investigator, referred_case, register
from tanu.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas: Personas):  # type: ignore[no-untyped-def]
    officer = investigator(personas)
    case = referred_case(personas, officer)
    return officer, case, register(case, officer)


def page(username: str, proceeding) -> int:  # type: ignore[no-untyped-def]
    return signed_in(username).get(f"/proceedings/{proceeding.pk}/").status_code


def reads_of(proceeding) -> int:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(
        action=Action.READ, object_type="proceeding", object_id=str(proceeding.pk)
    ).count()


@pytest.mark.parametrize("status", [Referral.Status.DECLINED, Referral.Status.WITHDRAWN])
def test_a_referral_ended_after_registration_keeps_the_proceeding_but_allows_no_new_one(
    scene,
    status: str,  # type: ignore[no-untyped-def]
) -> None:
    _officer, case, proceeding = scene
    Referral.objects.filter(case=case).update(status=status)
    # The criminal case goes on whatever happens to the social referral: its investigators
    # keep it (it names no one), and read it audited.
    assert page("investigator", proceeding) == 200
    assert reads_of(proceeding) == 1
    # But the case is no longer theirs to find: registering another proceeding on it is refused.
    answer = signed_in("investigator").post(
        "/proceedings/register/",
        {"case_number": case.number, "erdr_number": "261500031000999",
         "registered_on": timezone.localdate().isoformat(), "articles": [],
         "person_status": "victim", "cooperates": ""},
    )  # fmt: skip
    assert answer.status_code == 400
    assert case.proceedings.count() == 1


def test_a_closed_case_keeps_its_proceedings_readable_by_its_owners(scene) -> None:  # type: ignore[no-untyped-def]
    _officer, case, proceeding = scene
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    assert page("screener", proceeding) == 200
    assert page("coordinator", proceeding) == 200
    assert page("analyst", proceeding) == 404
    assert reads_of(proceeding) == 2


def test_a_disabled_account_reaches_nothing(personas: Personas, scene) -> None:  # type: ignore[no-untyped-def]
    officer, _case, proceeding = scene
    client = signed_in("investigator")
    assert client.get(f"/proceedings/{proceeding.pk}/").status_code == 200
    type(officer).objects.filter(pk=officer.pk).update(is_active=False, disabled_at=timezone.now())
    answer = client.get(f"/proceedings/{proceeding.pk}/")
    assert answer.status_code in (302, 404)  # signed out, or refused: never the page
    assert b"261500031000123" not in answer.content
    api = client.get(f"/api/v1/proceedings/{proceeding.pk}/")
    assert api.status_code in (401, 403, 404)


def test_an_investigator_moved_to_another_agency_loses_the_proceeding(
    personas: Personas,
    scene,  # type: ignore[no-untyped-def]
) -> None:
    officer, _case, proceeding = scene
    officer.agency = personas.aktau_police
    officer.save(update_fields=["agency"])
    assert page("investigator", proceeding) == 404
    assert reads_of(proceeding) == 0


def test_a_denied_read_is_written_to_the_trail(personas: Personas, scene) -> None:  # type: ignore[no-untyped-def]
    _officer, _case, proceeding = scene
    assert page("outsider", proceeding) == 404
    assert AuditEntry.objects.filter(
        actor=personas.outsider, object_type="proceeding", object_id=str(proceeding.pk)
    ).exists()
    assert reads_of(proceeding) == 0
