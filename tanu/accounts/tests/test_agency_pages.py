"""Administrators manage agencies, see them by region with the regions' coordinators, through
audited named actions (issue 19, section 5)."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.models import Agency, Region, User
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType

pytestmark = pytest.mark.django_db


def _client(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _form(place: Region, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_kk": "Алматы қаласының жастар орталығы",
        "name_ru": "Молодёжный центр города Алматы",
        "name_en": "Almaty youth centre",
        "kind": Agency.Kind.JUVENILE_CENTRE,
        "region": place.pk,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_agencies_page_lists_agencies_and_regions_with_their_coordinators(
    personas: Personas, language: str
) -> None:
    page = _client(personas.admin, language).get("/accounts/agencies/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="cards-on-phone"' in body
    assert f"/accounts/agencies/{personas.police.pk}/" in body
    almaty = personas.police.region
    assert f"?region={almaty.pk}" in body
    assert f"/accounts/users/{personas.coordinator.pk}/" in body


def test_a_regions_page_shows_its_agencies_and_coordinators_only(personas: Personas) -> None:
    almaty = personas.police.region
    body = _client(personas.admin).get(f"/accounts/agencies/?region={almaty.pk}").content.decode()
    assert "Almaty shelter" in body
    assert "Aktau police" not in body
    assert f"/accounts/users/{personas.coordinator.pk}/" in body
    assert f"/accounts/users/{personas.outsider_coordinator.pk}/" not in body


def test_an_administrator_adds_an_agency_audited(personas: Personas) -> None:
    almaty = personas.police.region
    answer = _client(personas.admin).post("/accounts/agencies/new/", _form(almaty))
    agency = Agency.objects.get(name_en="Almaty youth centre")
    assert answer.status_code == 302 and answer["Location"] == f"/accounts/agencies/{agency.pk}/"
    assert agency.region == almaty and agency.is_active
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type=ObjectType.AGENCY, object_id=str(agency.pk)
    ).exists()


def test_an_administrator_edits_names_kind_region_and_activity_audited(
    personas: Personas,
) -> None:
    agency = personas.shelter
    astana = personas.ministry.region
    _client(personas.admin).post(
        f"/accounts/agencies/{agency.pk}/",
        _form(astana, name_ru="Приют «Надежда»", kind=Agency.Kind.SHELTER, is_active=None),
    )
    agency.refresh_from_db()
    assert agency.name_ru == "Приют «Надежда»"
    assert agency.region == astana and not agency.is_active
    entry = AuditEntry.objects.get(
        action=Action.UPDATE, object_type=ObjectType.AGENCY, object_id=str(agency.pk)
    )
    assert set(entry.fields) >= {"name_ru", "region", "is_active"}


def test_the_agency_page_shows_the_coordinators_of_its_region(personas: Personas) -> None:
    body = _client(personas.admin).get(f"/accounts/agencies/{personas.shelter.pk}/").content
    assert f"/accounts/users/{personas.coordinator.pk}/".encode() in body
    assert f"/accounts/users/{personas.caseworker.pk}/".encode() in body  # a member


def test_a_missing_name_is_refused_with_a_message_and_changes_nothing(personas: Personas) -> None:
    agency = personas.shelter
    answer = _client(personas.admin, "ru").post(
        f"/accounts/agencies/{agency.pk}/", _form(agency.region, name_en="", region="999999")
    )
    assert answer.status_code == 400
    assert "Это поле обязательно" in answer.content.decode()
    agency.refresh_from_db()
    assert agency.name_en == "Almaty shelter"
    assert not AuditEntry.objects.filter(object_type=ObjectType.AGENCY).exists()


def test_an_unknown_agency_is_a_404(personas: Personas) -> None:
    assert _client(personas.admin).get("/accounts/agencies/999999/").status_code == 404
    for junk in ("abc", "²", "99999999999999999999"):
        assert _client(personas.admin).get(f"/accounts/agencies/?region={junk}").status_code == 200
