"""Shared steps for the statistics tests: screenings written in bulk, signed-in clients."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.test import Client

from tanu.accounts.models import Agency, User
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.cases.models import AnonymousNotification
from tanu.identification.models import Screening

_serial = itertools.count(1)


def signed_in(user: User, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return client


def add_screenings(agency: Agency, user: User, n: int, **fields: Any) -> list[Screening]:
    """n finalised screenings of an agency (bulk, without the audit trail: test data only)."""
    values: dict[str, Any] = {
        "place": "patrol",
        "interview_language": "ru",
        "age_group": "adult",
        "age_years": 30,
        "form": "labour",
        "outcome": "no_indication",
        "threshold_met": False,
        "status": Screening.Status.FINAL,
        "screened_on": date(2025, 2, 10),
        "answers": {},
        "result": {},
        **fields,
    }
    if values["outcome"] == "presumed_victim":
        values["threshold_met"] = True
    return Screening.objects.bulk_create(
        [
            Screening(
                reference=f"T-{next(_serial):08d}",
                agency=agency,
                region_id=agency.region_id,
                created_by=user,
                **values,
            )
            for _ in range(n)
        ]
    )


def add_notifications(agency: Agency, user: User, n: int, **fields: Any) -> None:
    values: dict[str, Any] = {
        "sex": "female",
        "age_band": "25-34",
        "citizenship": "KZ",
        "form": "labour",
        "outcome": "presumed_victim",
        **fields,
    }
    AnonymousNotification.objects.bulk_create(
        [
            AnonymousNotification(
                region_id=agency.region_id, agency=agency, recorded_by=user, **values
            )
            for _ in range(n)
        ]
    )
