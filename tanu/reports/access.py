"""Who sees statistics, and of which regions. Everyone else gets 404.

- analysts: every region, aggregate figures and anonymised exports only;
- coordinators: their own region only (no filter widens it);
- screeners, case workers, monitors, trainers and administrators (superusers included, who hold
  no case data by default): nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from tanu.accounts.models import Role, User

STATS_ROLES = (Role.ANALYST, Role.COORDINATOR)


@dataclass(frozen=True)
class Scope:
    """What a user may see: every region (region_id None) or one region."""

    role: str
    region_id: int | None

    @property
    def fixed_region(self) -> bool:
        return self.region_id is not None


def scope_or_none(user: object) -> Scope | None:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ANALYST:
        return Scope(role=Role.ANALYST, region_id=None)
    if user.role == Role.COORDINATOR:
        region_id = user.region_id_or_none
        if region_id is None:
            return None
        return Scope(role=Role.COORDINATOR, region_id=region_id)
    return None


def stats_scope(user: object) -> Scope:
    """The user's scope, or 404."""
    scope = scope_or_none(user)
    if scope is None:
        raise Http404
    return scope
