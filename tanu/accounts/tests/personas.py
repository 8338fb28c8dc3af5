"""Named personas, one per role, in two Almaty agencies and one Aktau agency."""

from __future__ import annotations

from dataclasses import dataclass

from tanu.accounts.models import Agency, Region, Role, User
from tanu.accounts.regions import load_regions
from tanu.accounts.tests.factories import AgencyFactory, UserFactory


@dataclass
class Personas:
    police: Agency  # Almaty administrative police
    shelter: Agency  # Almaty shelter
    ministry: Agency
    aktau_police: Agency
    screener: User  # Almaty police
    colleague: User  # another screener of the same Almaty police unit
    caseworker: User  # Almaty shelter
    coordinator: User  # Almaty region coordinator
    monitor: User  # Almaty
    trainer: User
    analyst: User
    admin: User
    outsider: User  # screener of the Aktau police: another agency, another region
    outsider_coordinator: User  # coordinator of Mangystau region
    national_admin: User  # checklist versions, at the ministry
    national_admin2: User  # the second national administrator who approves


def make_personas() -> Personas:
    if not Region.objects.exists():  # a transactional test flushed the migration's regions
        load_regions(Region)
    almaty = Region.objects.get(code="KZ-75")
    mangystau = Region.objects.get(code="KZ-47")
    astana = Region.objects.get(code="KZ-71")
    police = AgencyFactory(region=almaty, name_en="Almaty administrative police")
    shelter = AgencyFactory(region=almaty, kind=Agency.Kind.SHELTER, name_en="Almaty shelter")
    ngo = AgencyFactory(region=almaty, kind=Agency.Kind.NGO, name_en="Almaty NGO")
    coord_agency = AgencyFactory(
        region=almaty, kind=Agency.Kind.CRIMINAL_POLICE, name_en="Almaty criminal police"
    )
    ministry = AgencyFactory(region=astana, kind=Agency.Kind.MINISTRY, name_en="Ministry")
    aktau_police = AgencyFactory(region=mangystau, name_en="Aktau police")
    return Personas(
        police=police,
        shelter=shelter,
        ministry=ministry,
        aktau_police=aktau_police,
        screener=UserFactory(username="screener", role=Role.SCREENER, agency=police),
        colleague=UserFactory(username="colleague", role=Role.SCREENER, agency=police),
        caseworker=UserFactory(username="caseworker", role=Role.CASE_WORKER, agency=shelter),
        coordinator=UserFactory(username="coordinator", role=Role.COORDINATOR, agency=coord_agency),
        monitor=UserFactory(username="monitor", role=Role.MONITOR, agency=ngo),
        trainer=UserFactory(username="trainer", role=Role.TRAINER, agency=ngo),
        analyst=UserFactory(username="analyst", role=Role.ANALYST, agency=ministry),
        admin=UserFactory(
            username="admin",
            role=Role.ADMINISTRATOR,
            agency=ministry,
            is_staff=True,
            is_superuser=True,
        ),
        outsider=UserFactory(username="outsider", role=Role.SCREENER, agency=aktau_police),
        outsider_coordinator=UserFactory(
            username="outsider_coordinator",
            role=Role.COORDINATOR,
            agency=AgencyFactory(region=mangystau, kind=Agency.Kind.CRIMINAL_POLICE),
        ),
        national_admin=UserFactory(
            username="national_admin", role=Role.NATIONAL_ADMIN, agency=ministry
        ),
        national_admin2=UserFactory(
            username="national_admin2", role=Role.NATIONAL_ADMIN, agency=ministry
        ),
    )
