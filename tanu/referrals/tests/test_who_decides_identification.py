"""Who decides on identification: the competent authority only (internal affairs bodies and the
region's coordinator), never a shelter, an NGO, a trainer or an analyst."""

from __future__ import annotations

from dataclasses import fields

import pytest

from tanu.accounts.models import Agency, Role, User
from tanu.accounts.tests.factories import AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.referrals.access import may_decide_identification

pytestmark = pytest.mark.django_db


def test_police_officials_and_coordinators_decide_and_no_one_else(personas: Personas) -> None:
    deciding = {
        persona.name
        for persona in fields(personas)
        if isinstance(user := getattr(personas, persona.name), User)
        and may_decide_identification(user)
    }

    assert deciding == {"screener", "colleague", "coordinator", "outsider", "outsider_coordinator"}


@pytest.mark.parametrize(
    ("role", "kind", "decides"),
    [
        (Role.CASE_WORKER, Agency.Kind.ADMINISTRATIVE_POLICE, True),
        (Role.MONITOR, Agency.Kind.CRIMINAL_POLICE, True),
        (Role.SCREENER, Agency.Kind.CRIMINAL_POLICE, True),
        (Role.SCREENER, Agency.Kind.SHELTER, False),
        (Role.CASE_WORKER, Agency.Kind.NGO, False),
        (Role.ANALYST, Agency.Kind.ADMINISTRATIVE_POLICE, False),
        (Role.TRAINER, Agency.Kind.CRIMINAL_POLICE, False),
        (Role.COORDINATOR, Agency.Kind.SHELTER, True),
    ],
)
def test_the_decision_follows_the_role_and_the_kind_of_agency(
    personas: Personas, role: str, kind: str, decides: bool
) -> None:
    agency = AgencyFactory(region=personas.police.region, kind=kind)
    assert may_decide_identification(UserFactory(role=role, agency=agency)) is decides


def test_a_deactivated_account_or_one_without_an_agency_never_decides(
    personas: Personas,
) -> None:
    personas.screener.is_active = False
    personas.coordinator.is_active = False
    assert not may_decide_identification(personas.screener)
    assert not may_decide_identification(personas.coordinator)
    assert not may_decide_identification(UserFactory(role=Role.COORDINATOR, agency=None))
    assert not may_decide_identification(UserFactory(role=Role.SCREENER, agency=None))
