"""The referral parts of the case and screening pages are served by referrals, as fragments the
pages load (cases and identification sit below referrals and do not import them)."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.tests.helpers import finalised_screening, open_case, signed_in
from tanu.referrals.models import Service

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _shelter(personas: Personas) -> Service:
    return Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        name_en="Almaty shelter",
        name_ru="Приют Алматы",
        name_kk="Алматы баспанасы",
        accepts_women=True,
    )


def test_the_case_page_loads_its_referral_panel_from_referrals(personas: Personas) -> None:
    case = open_case(personas.screener)
    page = signed_in("screener").get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/cases/{case.pk}/referrals/"' in page
    # A plain link is there for a browser without JavaScript.
    assert f'href="/cases/{case.pk}/referrals/"' in page
    panel = signed_in("screener").get(f"/cases/{case.pk}/referrals/", **HTMX)
    assert panel.status_code == 200
    body = panel.content.decode()
    assert "<!doctype html>" not in body
    assert 'id="referral-panel"' in body and "Identification decision" in body
    assert f'href="/cases/{case.pk}/refer/"' in body
    whole = signed_in("screener").get(f"/cases/{case.pk}/referrals/").content.decode()
    assert "<!doctype html>" in whole and 'id="referral-panel"' in whole


def test_the_referral_panel_answers_404_to_another_agency_and_to_roles_without_case_work(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    for username in ("outsider", "trainer", "analyst", "admin"):
        response = signed_in(username).get(f"/cases/{case.pk}/referrals/", **HTMX)
        assert response.status_code == 404, username
    assert AuditEntry.objects.filter(action="denied", object_id=str(case.pk)).exists()


def test_the_screening_services_answer_404_to_another_agency(personas: Personas) -> None:
    _shelter(personas)
    screening = finalised_screening(personas.screener)
    own = signed_in("screener").get(f"/screenings/{screening.pk}/services/", **HTMX)
    assert own.status_code == 200 and "Almaty shelter" in own.content.decode()
    for username in ("outsider", "trainer", "analyst"):
        response = signed_in(username).get(f"/screenings/{screening.pk}/services/", **HTMX)
        assert response.status_code == 404, username


def test_a_screening_not_yet_final_suggests_no_service(personas: Personas) -> None:
    from tanu.identification import actions as screening_actions

    _shelter(personas)
    screening = screening_actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "age_years": 30,
            "form": "labour",
        },
        answers={"AL-DR-01": "observed"},
    )
    page = signed_in("screener").get(f"/screenings/{screening.pk}/").content.decode()
    assert f"/screenings/{screening.pk}/services/" not in page
    fragment = signed_in("screener").get(f"/screenings/{screening.pk}/services/", **HTMX)
    assert fragment.status_code == 200
    assert "Almaty shelter" not in fragment.content.decode()


def test_the_case_page_decides_a_data_request_with_its_own_form(personas: Personas) -> None:
    """Before the split, the referrals' decision form (identification status) overwrote the
    form a coordinator decides a correction or erasure request with."""
    from tanu.cases import actions as case_actions

    case = open_case(personas.screener)
    case_actions.do_request_data_change(
        case, actor=personas.screener, kind="erasure", details="please erase"
    )
    page = signed_in("coordinator").get(f"/cases/{case.pk}/").content.decode()
    rights = page[page.index('id="rights-h"') :].split("</section>")[0]
    assert 'name="approve"' in rights
    assert 'name="status"' not in rights


def test_a_closed_case_lists_its_referrals_but_offers_no_new_one(personas: Personas) -> None:
    from tanu.cases import actions as case_actions

    case = open_case(personas.screener)
    case_actions.do_change_case_status(
        case,
        actor=personas.screener,
        status="closed",
        closure_reason="assistance_completed",
        expected_revision=None,
    )
    panel = signed_in("screener").get(f"/cases/{case.pk}/referrals/", **HTMX)
    assert panel.status_code == 200
    assert f'href="/cases/{case.pk}/refer/"' not in panel.content.decode()


def test_the_panels_show_no_personal_data_so_reading_them_writes_no_person_read(
    personas: Personas,
) -> None:
    """The case page's own read is audited; the fragments carry services, statuses and
    decisions only, so they add no read of the person."""
    case = open_case(personas.screener)
    client = signed_in("screener")
    before = AuditEntry.objects.filter(object_type="person").count()
    body = client.get(f"/cases/{case.pk}/referrals/", **HTMX).content.decode()
    assert AuditEntry.objects.filter(object_type="person").count() == before
    assert case.person.family_name not in body and case.person.given_name not in body
