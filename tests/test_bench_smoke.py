"""The benchmark machinery at a tiny size, so that it cannot rot: synthetic data into the test
database (tanu.ops.synthetic.synth), then one page measured the way benchmarks/run.py measures it."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tanu.accounts.models import User
from tanu.audit.models import AuditEntry
from tanu.cases.actions import reindex_person
from tanu.cases.models import Case, Person, PersonIndex
from tanu.identification.actions import assess_screening
from tanu.identification.models import Screening
from tanu.ops.synthetic.synth import synthesise
from tanu.referrals.models import Referral

pytestmark = pytest.mark.django_db
RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tanu_benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_synthetic_data_and_one_measured_page() -> None:
    lines: list[str] = []
    report = synthesise(200, seed=3, batch=100, out=lines.append)
    assert report.screenings == 200
    assert Screening.objects.count() >= 200
    assert any("screenings/s" in line for line in lines)  # progress, a line per batch
    assert report.rows["identification.Screening"] == 200
    # Results are the engine's own; names are indexed exactly as the named actions index them.
    for screening in Screening.objects.order_by("?")[:20]:
        assert screening.result == assess_screening(screening).to_dict()
    for person in Person.objects.all()[:10]:
        stored = set(PersonIndex.objects.filter(person=person).values_list("kind", "digest"))
        reindex_person(person)
        assert set(PersonIndex.objects.filter(person=person).values_list("kind", "digest")) == (
            stored
        )
    # References continue the application's counters; one audit entry says what happened.
    assert Screening.objects.filter(reference__startswith="S-").count() == Screening.objects.count()
    assert AuditEntry.objects.filter(object_type="synth").count() == 1
    assert Case.objects.count() == report.rows["cases.Case"]
    assert Referral.objects.count() == report.rows.get("referrals.Referral", 0)

    run = bench_module()
    found, _notes = run.pages(rotate=3)
    page = next(p for p in found if p.name == "case list")
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(User.objects.get(username=page.username))
    figures = run.measure(page, client, requests=1, warmup=1)
    assert figures["queries"] > 0 and figures["p95_ms"] > 0
    text = run.markdown(
        {
            "machine": run.machine() | {"postgresql": ""},
            "sizes": {"200": {"pages": {page.name: figures}, "synth": report.as_dict()}},
        }
    )
    assert "case list (main)" in text


def test_synth_is_refused_outside_demo_mode(settings: object) -> None:
    settings.DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo", "synth", "--screenings", "10", stdout=io.StringIO())
    assert not Screening.objects.exists()
