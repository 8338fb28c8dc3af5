"""Shared steps for the monitoring tests: facilities, visits, reports, clients."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tanu.accounts.models import Agency, Region, Role, User
from tanu.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Consent
from tanu.monitoring import actions
from tanu.monitoring.models import Facility, Visit
from tanu.referrals.models import Service

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
POSSIBLE = ["AL-CD-01"]

REPORT: dict[str, Any] = {
    "duration_minutes": 150,
    "adults_present": 20,
    "juveniles_present": 3,
    "foreigners_present": 5,
    "people_screened": 8,
    "access": "partial",
    "access_notes": "The register of detainees was not shown.",
    "conditions": "Cells overcrowded; no interpreter for foreigners.",
    "findings": "Signs of forced labour among detained foreign workers.",
    "recommendations": "Provide interpreters; train duty officers on indicators.",
}


def today() -> date:
    return timezone.localdate()


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def api_client(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def facility(
    region_code: str = "KZ-75", kind: str = Facility.Kind.TEMPORARY_DETENTION, name: str = ""
) -> Facility:
    region = Region.objects.get(code=region_code)
    name = name or f"{kind} of {region.code} #{Facility.objects.count() + 1}"
    return Facility.objects.create(
        name_en=name,
        name_ru=f"{name} (ru)",
        name_kk=f"{name} (kk)",
        kind=kind,
        region=region,
        address="ул. Примерная, 1",
        capacity=50,
    )


def aktau_monitor() -> User:
    ngo = AgencyFactory(
        region=Region.objects.get(code="KZ-47"), kind=Agency.Kind.NGO, name_en="Aktau NGO"
    )
    return UserFactory(username="aktau_monitor", role=Role.MONITOR, agency=ngo)


def plan(
    personas: Personas,
    place: Facility | None = None,
    on: date | None = None,
    team: list[User] | None = None,
    actor: User | None = None,
) -> Visit:
    return actions.do_plan_visit(
        actor=actor or personas.monitor,
        facility=place or facility(),
        planned_on=on or today(),
        purpose="Routine monitoring",
        announced=False,
        team=team or [personas.monitor, personas.screener],
    )


def recorded(personas: Personas, **kwargs: Any) -> Visit:
    visit = plan(personas, **kwargs)
    return actions.do_record_visit(
        visit,
        actor=personas.monitor,
        report={**REPORT, "visited_on": visit.planned_on},
        expected_revision=visit.revision,
    )


def report_post(visit: Visit, **changes: Any) -> dict[str, Any]:
    return {
        **REPORT,
        "visited_on": visit.planned_on.isoformat(),
        "revision": visit.revision,
        "finish": "1",  # the report is finished at once (a draft is saved without it)
        **changes,
    }


def shelter_service(personas: Personas) -> Service:
    return Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Almaty shelter",
        name_ru="Приют Алматы",
        name_kk="Алматы баспанасы",
    )


def referral_consent(case: Any, user: User) -> Consent:
    return Consent.objects.create(
        case=case,
        purpose="referral",
        service_name="Almaty shelter",
        service=Service.objects.filter(name_en="Almaty shelter").first(),
        given=True,
        basis="person",
        language="ru",
        recorded_by=user,
    )


def day_after(days: int) -> date:
    return today() + timedelta(days=days)
