"""Query budgets: each main page and API list makes a fixed number of SQL queries, however many
records it shows. Every page is measured with 3 and with 30 records visible to the user (or, for
the page of one record, 3 and 30 things on that record); the counts must be equal (no N+1) and
within the page's budget.

The budgets are the counts measured when they were set, plus a little headroom (HEADROOM) for
a deliberate new query; a page that needs more should say why when its budget is raised.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models.base import ModelState
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tanu.accounts.models import User
from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import record
from tanu.audit.models import Action
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Consent, Note, Person
from tanu.cases.tests.helpers import finalised_screening, open_case
from tanu.identification.models import Screening
from tanu.lib import crypto
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Referral, ReferralEvent, Service, ServiceRecord

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
HEADROOM = 2
# Queries per request measured with the data of this file (session, user and OTP devices
# included), before HEADROOM.
BUDGETS = {
    "screening list": 6,
    "screening page": 13,
    "case list": 6,
    "case page": 24,  # with linkage: the case's pairs (links) and merges (timeline)
    "referral inbox": 8,
    "referral page": 14,
    "service directory": 7,
    "audit search": 12,
    "API screenings": 7,
    "API cases": 6,
    "API referrals": 6,
    "API services": 6,
    "home page": 11,
}


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _queries(user: User, path: str) -> int:
    client = _client(user)
    assert client.get(path).status_code == 200  # warm: sign-in, checklist cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


# --- data ------------------------------------------------------------------------------------


def _service(personas: Personas, number: int = 0) -> Service:
    service, _ = Service.objects.get_or_create(
        region=personas.shelter.region,
        name_en=f"Almaty shelter {number}",
        defaults={
            "kind": "shelter",
            "agency": personas.shelter,
            "name_ru": f"Приют Алматы {number}",
            "name_kk": f"Алматы баспанасы {number}",
        },
    )
    return service


def _consent(case: Case, personas: Personas, service: Service | None = None) -> Consent:
    return case_actions.do_record_consent(
        case,
        actor=personas.screener,
        purpose="referral",
        given=True,
        basis="person",
        language="ru",
        interpreter_used=False,
        service=service or _service(personas),
        shared_fields=["sex", "age_band", "languages", "name"],
    )


def _refer(case: Case, personas: Personas, service: Service | None = None) -> Referral:
    service = service or _service(personas)
    return referral_actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Safe accommodation",
        urgency="routine",
        shared_fields=["sex", "age_band", "languages", "name"],
        consent=_consent(case, personas, service),
    )


def _copies(obj: Any, n: int, **changes: Callable[[int], Any]) -> list[Any]:
    """n unsaved copies of a saved instance, each with its own values for ``changes``."""
    made = []
    for i in range(n):
        twin = copy.copy(obj)
        twin.pk = None
        twin._state = ModelState()
        for name, value in changes.items():
            setattr(twin, name, value(i))
        made.append(twin)
    return made


class Scenario:
    """One page. The first records are made through the named actions; the rest are copies
    written in bulk (how they were written does not change what the page queries), which keeps
    this file fast. ``path()`` and ``user`` say what is requested by whom."""

    user_attr = "screener"

    def __init__(self, personas: Personas) -> None:
        self.personas = personas
        self.made: list[Any] = []

    @property
    def user(self) -> User:
        user: User = getattr(self.personas, self.user_attr)
        return user

    def first(self) -> None:
        """Make the first SMALL records through the actions."""
        raise NotImplementedError

    def more(self, n: int) -> None:
        """Add n records like the first ones."""
        raise NotImplementedError

    def path(self) -> str:
        raise NotImplementedError


def _more_screenings(made: list[Screening], n: int) -> list[Screening]:
    base = made[0]
    copies = crypto.bulk_create(
        Screening, _copies(base, n, reference=lambda i: f"{base.reference}-{i}")
    )
    through = Screening.checklist_versions.through
    versions = list(base.checklist_versions.all())
    through.objects.bulk_create(
        [through(screening_id=s.pk, checklistversion_id=v.pk) for s in copies for v in versions]
    )
    return copies


def _more_cases(made: list[Case], n: int) -> list[Case]:
    base = made[0]
    persons = crypto.bulk_create(Person, _copies(base.person, n))
    return Case.objects.bulk_create(
        _copies(
            base,
            n,
            number=lambda i: f"{base.number}-{i}",
            person=lambda i: persons[i],
        )
    )


class ScreeningList(Scenario):
    def first(self) -> None:
        self.made += [finalised_screening(self.personas.screener) for _ in range(SMALL)]

    def more(self, n: int) -> None:
        _more_screenings(self.made, n)

    def path(self) -> str:
        return "/screenings/"


class ApiScreenings(ScreeningList):
    def path(self) -> str:
        return "/api/v1/screenings/"


class ScreeningPage(ScreeningList):
    """One screening; the others around it must not matter."""

    def path(self) -> str:
        return f"/screenings/{self.made[0].pk}/"


class CaseList(Scenario):
    def first(self) -> None:
        self.made += [open_case(self.personas.screener) for _ in range(SMALL)]

    def more(self, n: int) -> None:
        _more_cases(self.made, n)

    def path(self) -> str:
        return "/cases/"


class ApiCases(CaseList):
    def path(self) -> str:
        return "/api/v1/cases/"


class CasePage(Scenario):
    """One case with n referrals (each with its consent and events) and n notes, all shown on
    its page and timeline."""

    def first(self) -> None:
        case = open_case(self.personas.screener)
        self.made.append(case)
        for i in range(SMALL):
            _refer(case, self.personas, _service(self.personas, i))
            case_actions.do_add_note(case, actor=self.personas.screener, text=f"note {i}")

    def more(self, n: int) -> None:
        case = self.made[0]
        _more_referrals(case.referrals.first(), n)
        crypto.bulk_create(Note, _copies(case.notes.first(), n))

    def path(self) -> str:
        return f"/cases/{self.made[0].pk}/"


def _more_referrals(base: Referral, n: int, cases: list[Case] | None = None) -> None:
    """n more referrals like ``base`` (on its case, or one on each of ``cases``), each with
    copies of its events."""
    changes: dict[str, Callable[[int], Any]] = {}
    if cases is not None:
        changes["case"] = lambda i: cases[i]
    copies = crypto.bulk_create(Referral, _copies(base, n, **changes))  # purpose is encrypted
    events = list(base.events.all())
    ReferralEvent.objects.bulk_create(
        [twin for r in copies for e in events for twin in _copies(e, 1, referral=lambda i, r=r: r)]
    )


class ReferralInbox(Scenario):
    """n referrals received by the shelter, each from its own case."""

    user_attr = "caseworker"

    def first(self) -> None:
        self.made += [
            _refer(open_case(self.personas.screener), self.personas) for _ in range(SMALL)
        ]

    def more(self, n: int) -> None:
        base = self.made[0]
        _more_referrals(base, n, cases=_more_cases([base.case], n))

    def path(self) -> str:
        return "/referrals/"


class ApiReferrals(ReferralInbox):
    def path(self) -> str:
        return "/api/v1/referrals/"


class HomePage(ReferralInbox):
    """The shelter's worklist of n referrals waiting for its answer (at most 20 shown)."""

    def path(self) -> str:
        return "/"


class ReferralPage(Scenario):
    """One accepted referral, as the shelter sees it, with n services given and n notes."""

    user_attr = "caseworker"

    def first(self) -> None:
        personas = self.personas
        referral = _refer(open_case(personas.screener), personas)
        referral_actions.do_change_referral_status(
            referral, actor=personas.caseworker, status="accepted"
        )
        self.made.append(referral)
        for i in range(SMALL):
            referral = Referral.objects.get(pk=referral.pk)
            referral_actions.do_record_service(
                referral,
                actor=personas.caseworker,
                kind="shelter",
                given_on=date.today() - timedelta(days=1),
                description=f"night {i}",
            )
            referral_actions.do_add_recipient_note(
                referral, actor=personas.caseworker, text=f"note {i}"
            )

    def more(self, n: int) -> None:
        referral = self.made[0]
        crypto.bulk_create(ServiceRecord, _copies(referral.services_given.first(), n))
        crypto.bulk_create(Note, _copies(referral.case.notes.first(), n))

    def path(self) -> str:
        return f"/referrals/{self.made[0].pk}/"


class ServiceDirectory(Scenario):
    def first(self) -> None:
        self.made += [_service(self.personas, i) for i in range(SMALL)]

    def more(self, n: int) -> None:
        Service.objects.bulk_create(
            _copies(self.made[0], n, name_en=lambda i: f"Almaty shelter {SMALL + i}")
        )

    def path(self) -> str:
        return "/services/"


class ApiServices(ServiceDirectory):
    def path(self) -> str:
        return "/api/v1/services/"


class AuditSearch(Scenario):
    """n entries by officials of several agencies, read by the administrator."""

    user_attr = "admin"

    def first(self) -> None:
        self.more(SMALL)

    def more(self, n: int) -> None:
        actors = [self.personas.screener, self.personas.caseworker, self.personas.coordinator]
        for i in range(n):
            record(
                Action.READ,
                actor=actors[i % len(actors)],
                object_type="case",
                object_id=i,
                fields=["person"],
            )

    def path(self) -> str:
        return "/audit/"


SCENARIOS: dict[str, Callable[[Personas], Scenario]] = {
    "screening list": ScreeningList,
    "screening page": ScreeningPage,
    "case list": CaseList,
    "case page": CasePage,
    "referral inbox": ReferralInbox,
    "referral page": ReferralPage,
    "service directory": ServiceDirectory,
    "audit search": AuditSearch,
    "API screenings": ApiScreenings,
    "API cases": ApiCases,
    "API referrals": ApiReferrals,
    "API services": ApiServices,
    "home page": HomePage,
}


@pytest.mark.parametrize("page", list(SCENARIOS))
def test_each_page_makes_the_same_number_of_queries_for_3_and_for_30_records(
    personas: Personas, page: str
) -> None:
    scenario = SCENARIOS[page](personas)
    scenario.first()
    small = _queries(scenario.user, scenario.path())
    scenario.more(LARGE - SMALL)
    large = _queries(scenario.user, scenario.path())
    assert large == small, f"{page}: {small} queries with {SMALL} records, {large} with {LARGE}"
    assert large <= BUDGETS[page] + HEADROOM, (
        f"{page}: {large} queries, budget {BUDGETS[page]} (+{HEADROOM})"
    )


def test_every_budget_is_tested() -> None:
    assert set(BUDGETS) == set(SCENARIOS)
