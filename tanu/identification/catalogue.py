"""Checklists in the database: the first versions loaded from the files, later ones imported
and approved by national administrators; read by screenings on their own date."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tanu.identification import engine
from tanu.identification.checklist_files import CHECKLIST_DIR, load_checklist_file
from tanu.identification.models import ChecklistVersion, Screening


class ChecklistChangedError(Exception):
    """A checklist file changed under a version that finished screenings already use."""


def digest_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _is_used(row: ChecklistVersion) -> bool:
    return row.screenings.exclude(status=Screening.Status.DRAFT).exists()


def _stored(checklist_id: str, version: int) -> ChecklistVersion | None:
    return ChecklistVersion.objects.filter(checklist_id=checklist_id, version=version).first()


@transaction.atomic
def sync_from_files() -> list[ChecklistVersion]:
    """Load every checklist file as the first versions; refuse to change a version that finished
    screenings used. A checklist that has a version imported by a national administrator is
    left as the database holds it: from then on its versions are data, not files."""
    imported = set(
        ChecklistVersion.objects.filter(imported=True).values_list("checklist_id", flat=True)
    )
    loaded = []
    for path in sorted(CHECKLIST_DIR.glob("ilo-*.json")):
        data = load_checklist_file(path)
        problems = engine.validate_checklist(data)
        if problems:
            raise engine.InvalidChecklistError(str(data.get("id", path.name)), problems)
        if data["id"] in imported:
            continue
        digest = digest_of(data)
        row = _stored(data["id"], data["version"])
        if row is None:
            try:
                with transaction.atomic():
                    row = ChecklistVersion.objects.create(
                        checklist_id=data["id"],
                        version=data["version"],
                        population=data["population"],
                        form=data["form"],
                        data=data,
                        digest=digest,
                    )
            except IntegrityError:
                # Another process loaded the same file at the same moment (the first requests
                # of a fresh database, such as a page and its service worker): use its row.
                row = ChecklistVersion.objects.get(checklist_id=data["id"], version=data["version"])
        if row.digest != digest:
            if _is_used(row):
                raise ChecklistChangedError(
                    f"{row.checklist_id} version {row.version} is used by finished screenings "
                    "and cannot change: give the file a new version number."
                )
            row.data, row.digest = data, digest
            row.population, row.form = data["population"], data["form"]
            row.save(update_fields=["data", "digest", "population", "form"])
        loaded.append(row)
    return loaded


IN_FORCE_STATUSES = (ChecklistVersion.Status.APPROVED, ChecklistVersion.Status.SUPERSEDED)

# The approved versions, kept per process and keyed by the (id, digest, first day) of every
# approved version: a version's content never changes under the same digest, so one small query
# tells whether the cached rows (each carrying a checklist's whole JSON) are still the right ones.
_APPROVED: dict[frozenset[tuple[int, str, date | None]], list[ChecklistVersion]] = {}


def _stamps() -> frozenset[tuple[int, str, date | None]]:
    approved = ChecklistVersion.objects.filter(status__in=IN_FORCE_STATUSES)
    return frozenset(approved.values_list("pk", "digest", "effective_from"))


def _approved_rows() -> list[ChecklistVersion]:
    stamps = _stamps()
    if not stamps:
        sync_from_files()
        stamps = _stamps()
    rows = _APPROVED.get(stamps)
    if rows is None:
        rows = list(ChecklistVersion.objects.filter(pk__in=[pk for pk, _d, _f in stamps]))
        _APPROVED.clear()
        _APPROVED[stamps] = rows
    return rows


def _in_force_order(row: ChecklistVersion) -> tuple[date, int]:
    return (row.effective_from or date.min, row.version)


def current_versions(on: date | None = None) -> dict[str, ChecklistVersion]:
    """The version of every checklist in force on ``on`` (today by default): of the approved
    versions whose first day has come, the one that took effect last (the files' versions are
    in force from the beginning). Loads the files on first use."""
    day = on or timezone.localdate()
    in_force: dict[str, ChecklistVersion] = {}
    for row in _approved_rows():
        if row.effective_from is not None and row.effective_from > day:
            continue
        held = in_force.get(row.checklist_id)
        if held is None or _in_force_order(row) > _in_force_order(held):
            in_force[row.checklist_id] = row
    return dict(sorted(in_force.items()))


def get_version(
    checklist_id: str, version: int | None = None, on: date | None = None
) -> ChecklistVersion | None:
    """Version ``version`` of a checklist if it was ever approved (drafts and rejected versions
    are seen only on the national administrators' pages), or the one in force on ``on`` (today
    by default)."""
    if version is None:
        return current_versions(on).get(checklist_id)
    approved = ChecklistVersion.objects.filter(status__in=IN_FORCE_STATUSES)
    return approved.filter(checklist_id=checklist_id, version=version).first()


@lru_cache(maxsize=64)
def _engine_checklist(checklist_id: str, version: int, digest: str) -> engine.Checklist:
    row = ChecklistVersion.objects.get(checklist_id=checklist_id, version=version)
    return engine.Checklist.from_dict(row.data)


def engine_checklist(row: ChecklistVersion) -> engine.Checklist:
    return _engine_checklist(row.checklist_id, row.version, row.digest)


def lists_for(age_group: str, form: str, on: date | None = None) -> list[ChecklistVersion]:
    """The checklist versions a person is screened with on ``on`` (today by default; a
    screening passes its own date, so that one started before a new version took effect keeps
    the version it used): the child lists for a child or a person who may be a child; both
    forms when the form is unknown."""
    population = "child" if age_group in ("child", "unknown_maybe_child") else "adult"
    forms = ["labour", "sexual"] if form == "unknown" else [form]
    versions = current_versions(on)
    return [row for row in versions.values() if row.population == population and row.form in forms]
