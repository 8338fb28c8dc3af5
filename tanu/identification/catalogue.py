"""Checklists in the database: loaded from the versioned files, read by screenings."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.db import transaction

from tanu.identification import engine
from tanu.identification.checklist_files import CHECKLIST_DIR, load_checklist_file
from tanu.identification.models import ChecklistVersion, Screening


class ChecklistChangedError(Exception):
    """A checklist file changed under a version that finished screenings already use."""


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _is_used(row: ChecklistVersion) -> bool:
    return row.screenings.exclude(status=Screening.Status.DRAFT).exists()


@transaction.atomic
def sync_from_files() -> list[ChecklistVersion]:
    """Load every checklist file; refuse to change a version that finished screenings used."""
    loaded = []
    for path in sorted(CHECKLIST_DIR.glob("ilo-*.json")):
        data = load_checklist_file(path)
        problems = engine.validate_checklist(data)
        if problems:
            raise engine.InvalidChecklistError(str(data.get("id", path.name)), problems)
        digest = _digest(data)
        row = ChecklistVersion.objects.filter(
            checklist_id=data["id"], version=data["version"]
        ).first()
        if row is None:
            row = ChecklistVersion.objects.create(
                checklist_id=data["id"],
                version=data["version"],
                population=data["population"],
                form=data["form"],
                data=data,
                digest=digest,
            )
        elif row.digest != digest:
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


# The newest versions, kept per process and keyed by the (id, digest) of every stored version: a
# version's content never changes under the same digest, so one small query tells whether the
# cached rows (each carrying a checklist's whole JSON) are still the right ones.
_NEWEST: dict[frozenset[tuple[int, str]], dict[str, ChecklistVersion]] = {}


def current_versions() -> dict[str, ChecklistVersion]:
    """The newest version of every checklist, loading the files on first use."""
    stamps = frozenset(ChecklistVersion.objects.values_list("pk", "digest"))
    if not stamps:
        sync_from_files()
        stamps = frozenset(ChecklistVersion.objects.values_list("pk", "digest"))
    newest = _NEWEST.get(stamps)
    if newest is None:
        newest = {}
        for row in ChecklistVersion.objects.order_by("checklist_id", "-version"):
            newest.setdefault(row.checklist_id, row)
        _NEWEST.clear()
        _NEWEST[stamps] = newest
    return newest


def get_version(checklist_id: str, version: int | None = None) -> ChecklistVersion | None:
    if version is None:
        return current_versions().get(checklist_id)
    return ChecklistVersion.objects.filter(checklist_id=checklist_id, version=version).first()


@lru_cache(maxsize=64)
def _engine_checklist(checklist_id: str, version: int, digest: str) -> engine.Checklist:
    row = ChecklistVersion.objects.get(checklist_id=checklist_id, version=version)
    return engine.Checklist.from_dict(row.data)


def engine_checklist(row: ChecklistVersion) -> engine.Checklist:
    return _engine_checklist(row.checklist_id, row.version, row.digest)


def lists_for(age_group: str, form: str) -> list[ChecklistVersion]:
    """The checklist versions a person is screened with: the child lists for a child or a
    person who may be a child; both forms when the form is unknown."""
    population = "child" if age_group in ("child", "unknown_maybe_child") else "adult"
    forms = ["labour", "sexual"] if form == "unknown" else [form]
    versions = current_versions()
    return [row for row in versions.values() if row.population == population and row.form in forms]
