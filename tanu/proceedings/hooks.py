"""What proceedings plug into the floors below: retention holds a case whose criminal
proceedings still run, and anonymising a case clears the investigators' free text about it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tanu.audit.models import ObjectType
from tanu.cases.models import Case
from tanu.proceedings.models import Hearing, Proceeding


def cases_with_running_proceedings() -> QuerySet[Any]:
    """Retention keeps these cases: the person may still be a party to the criminal case."""
    return Proceeding.objects.exclude(stage=Proceeding.Stage.CLOSED).values("case_id")


def clear_hearing_notes(case: Case) -> dict[ObjectType, list[Any]]:
    """An anonymised case keeps its proceedings' figures (no one is named in them), but the
    investigators' notes on hearings are free text that could name the person: cleared."""
    hearings = Hearing.objects.filter(proceeding__case=case)
    ids = list(hearings.values_list("pk", flat=True))
    hearings.update(note="")
    return {ObjectType.HEARING: ids}
