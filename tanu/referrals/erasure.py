"""Retention and erasure reach the referrals: when a case is anonymised
(:func:`tanu.cases.actions.anonymise_case`), the free text its referrals, services given and
identification decisions hold is cleared in the same transaction. Registered in
:data:`tanu.cases.actions.ANONYMISE_HOOKS` by the app's ``ready``, since cases sits below
referrals and cannot import them."""

from __future__ import annotations

from typing import Any

from tanu.audit.models import ObjectType
from tanu.cases.models import Case
from tanu.lib import crypto
from tanu.referrals.models import IdentificationDecision, Referral, ServiceRecord


def clear_free_text_of_case(case: Case) -> dict[ObjectType, list[Any]]:
    """Blank every encrypted field (purpose, exception and decline reasons, outcome, feedback,
    what was done, decision reasons, and any added later) of the case's referrals, services
    given and identification decisions. Returns their ids by audit object type, so that the
    caller clears their audit reasons too."""
    referrals = Referral.objects.filter(case=case)
    services = ServiceRecord.objects.filter(referral__case=case)
    decisions = IdentificationDecision.objects.filter(case=case)
    ids: dict[ObjectType, list[Any]] = {
        ObjectType.REFERRAL: list(referrals.values_list("pk", flat=True)),
        ObjectType.SERVICE_RECORD: list(services.values_list("pk", flat=True)),
        ObjectType.IDENTIFICATION_DECISION: list(decisions.values_list("pk", flat=True)),
    }
    referrals.update(**crypto.blank_values(Referral))
    ServiceRecord.objects.filter(pk__in=ids[ObjectType.SERVICE_RECORD]).update(
        **crypto.blank_values(ServiceRecord)
    )
    decisions.update(**crypto.blank_values(IdentificationDecision))
    return ids


def register() -> None:
    from tanu.cases.actions import ANONYMISE_HOOKS

    if clear_free_text_of_case not in ANONYMISE_HOOKS:
        ANONYMISE_HOOKS.append(clear_free_text_of_case)
