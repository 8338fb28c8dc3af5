"""Incomplete screenings are counted apart in the statistics, never as "no indication"."""

from __future__ import annotations

import pytest

from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.reports import suppression
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db


def test_incomplete_screenings_have_their_own_column_and_are_not_no_indication(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counts without their repeatable noise (which depends on the ids), so the test reads them.
    monkeypatch.setattr(suppression, "noise", lambda key: 0)
    add_screenings(personas.police, personas.screener, 10)
    add_screenings(personas.police, personas.screener, 15, outcome="incomplete")
    client = signed_in(personas.analyst)
    table = client.get("/api/v1/stats/by_region/").json()["table"]
    columns = {column["key"]: column["label"] for column in table["columns"]}
    assert columns["incomplete"] == "incomplete (interview stopped)"
    almaty = Region.objects.get(code="KZ-75")
    row = next(r for r in table["rows"] if r["key"] == str(almaty.pk))
    assert row["values"]["no_indication"] == 10
    assert row["values"]["incomplete"] == 15
    assert row["total"] == 25
    funnel = client.get("/api/v1/stats/funnel/").json()["table"]
    victims = next(r for r in funnel["rows"] if r["key"] == "victims")
    assert victims["values"]["count"] in (0, "<5")
