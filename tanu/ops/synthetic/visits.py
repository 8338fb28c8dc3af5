"""Screenings made during monitoring visits: a monitor's screenings in a facility on one day
share one visit (the visit plan is :mod:`tanu.ops.synthetic.optional`'s, when the monitoring
tables exist)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tanu.ops.synthetic.generator import Generation


class VisitMaker(Generation):
    """Opens or joins the monitoring visit a screening belongs to."""

    def _visit_for(self, region_id: int, day: date, place: str, user_id: int) -> Any:
        """(visit key, facility name) for a monitor's screening in a facility, or None."""
        plan = self.visits
        if plan is None or self.rng.random() < 0.3:
            return None
        key = (region_id, day, place)
        found = self.open_visits.get(key)
        if found is None:
            made = plan.make_visit(self.rng, region_id, day, place, user_id)
            if made is None:
                return None
            visit, member, facility_name = made
            self._add(visit)
            member.visit_id = visit.pk  # type: ignore[attr-defined]
            self._add(member)
            found = self.open_visits[key] = (visit.pk, facility_name)
        else:
            visit = self.objs[plan.visit_model._meta.label][found[0]]
            screened = getattr(visit, "people_screened", 0) or 0
            visit.people_screened = screened + 1  # type: ignore[attr-defined]
        return found
