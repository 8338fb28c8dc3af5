"""Retention and erasure reach the imported records: when a case is anonymised
(:func:`tanu.cases.actions.anonymise_case`), the external id its person was imported under is
cleared in the same transaction. Its keyed hash stays, so that importing the same register again
does not bring the erased person back. Registered in :data:`tanu.cases.actions.ANONYMISE_HOOKS`
by the app's ``ready``, since cases sits below registers and cannot import them."""

from __future__ import annotations

from typing import Any

from tanu.audit.models import ObjectType
from tanu.cases.models import Case
from tanu.registers.models import ImportedRecord


def clear_external_ids(case: Case) -> dict[ObjectType, list[Any]]:
    """Blank the external ids of the case's person. The import's audit entry names no person:
    no audit reason to clear."""
    ImportedRecord.objects.filter(person_id=case.person_id).update(external_id="")
    return {}
