"""What other apps read of imports (tanu.linkage prints the external ids of likely duplicates)."""

from __future__ import annotations

from collections.abc import Iterable

from tanu.registers.models import ImportedRecord


def external_ids(person_ids: Iterable[int]) -> dict[int, str]:
    """The external id each person was imported under, decrypted, by person id; persons not
    imported are left out. A person holding the records of two (a merge) gets their ids joined
    by ``"; "``, oldest import first."""
    found: dict[int, list[str]] = {}
    wanted = sorted(set(person_ids))
    for start in range(0, len(wanted), 5000):
        for record in (
            ImportedRecord.objects.filter(person_id__in=wanted[start : start + 5000])
            .order_by("batch_id", "pk")
            .only("pk", "person_id", "external_id")
        ):  # instances, not values: a value is decrypted with its row's id
            found.setdefault(record.person_id, []).append(record.external_id)
    return {person_id: "; ".join(ids) for person_id, ids in found.items()}
