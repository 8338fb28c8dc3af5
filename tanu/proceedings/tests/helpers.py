"""Shared scenes for the proceedings tests: an investigator, a case referred to their agency,
and a proceeding registered through the named actions."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

from django.utils import timezone

from tanu.accounts.models import Agency, Role, User
from tanu.accounts.tests.factories import AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.proceedings import actions
from tanu.proceedings.models import Article, Proceeding
from tanu.referrals.models import Referral, Service


def ensure_articles() -> None:
    """The articles the migration loads: a transactional test (the browser's) flushes them."""
    seed = importlib.import_module("tanu.proceedings.migrations.0002_criminal_code_articles")
    for number, kk, ru, en in seed.ARTICLES:
        Article.objects.get_or_create(
            number=number, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )


def investigator(personas: Personas, username: str = "investigator") -> User:
    """An investigator of an Almaty criminal police unit (the case's region)."""
    ensure_articles()
    unit = AgencyFactory(
        region=personas.police.region,
        kind=Agency.Kind.CRIMINAL_POLICE,
        name_en=f"Investigation unit of {username}",
    )
    return UserFactory(username=username, role=Role.INVESTIGATOR, agency=unit)


def refer_to(case: Case, officer: User, status: str = Referral.Status.ACCEPTED) -> Referral:
    """The case referred to the police investigation service of the officer's agency."""
    assert officer.agency is not None
    service, _ = Service.objects.get_or_create(
        kind=Service.Kind.POLICE_INVESTIGATION,
        region=officer.agency.region,
        agency=officer.agency,
        defaults={"name_en": "Investigation", "name_ru": "Следствие", "name_kk": "Тергеу"},
    )
    return Referral.objects.create(
        case=case,
        service=service,
        from_agency=case.agency,
        to_agency=officer.agency,
        created_by=case.created_by,
        purpose="investigation",
        status=status,
        due_date=timezone.localdate() + timedelta(days=14),
    )


def referred_case(personas: Personas, officer: User) -> Case:
    case = open_case(personas.screener)
    refer_to(case, officer)
    return case


def register(case: Case, officer: User, days_ago: int = 60, **extra: object) -> Proceeding:
    return actions.do_register_proceeding(
        actor=officer,
        case=case,
        erdr_number=str(extra.pop("erdr_number", "261500031000123")),
        registered_on=timezone.localdate() - timedelta(days=days_ago),
        articles=Article.objects.filter(number="128"),
        **extra,  # type: ignore[arg-type]
    )


def to_trial(proceeding: Proceeding, officer: User, on: date | None = None) -> Proceeding:
    day = on or timezone.localdate() - timedelta(days=10)
    return actions.do_move_stage(
        proceeding,
        actor=officer,
        stage=Proceeding.Stage.TRIAL,
        on=day,
        expected_revision=None,
    )
