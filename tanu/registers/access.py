"""Who may import a register. Outsiders get 404, never 403.

- case workers and coordinators, into their own agency (a coordinator imports their own
  agency's register, not those of the other agencies of the region: they do not keep them);
- everyone else (screeners, monitors, investigators, trainers, analysts, administrators, also
  superusers): nothing.
A checked file waiting to be confirmed is its uploader's alone.
"""

from __future__ import annotations

from django.http import Http404

from tanu.accounts.models import Agency, Role, User
from tanu.registers.models import ImportBatch

IMPORTING_ROLES = (Role.CASE_WORKER, Role.COORDINATOR)


def may_import(user: User, agency: Agency | None = None) -> bool:
    """True when the user imports registers (into ``agency``, if given)."""
    if not user.is_active or user.role not in IMPORTING_ROLES or user.agency_id is None:
        return False
    return agency is None or agency.pk == user.agency_id


def importing_agency(user: User) -> Agency:
    """The agency the user imports into, or 404."""
    if not may_import(user) or user.agency is None:
        raise Http404
    return user.agency


def get_batch_for_user(user: User, pk: int) -> ImportBatch:
    """The user's own import (checked or done), or 404."""
    agency = importing_agency(user)
    batch = ImportBatch.objects.filter(pk=pk, by=user, agency=agency).first()
    if batch is None:
        raise Http404
    return batch
