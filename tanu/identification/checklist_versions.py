"""New checklist versions: imported by a national administrator as a draft, compared with the
version in force, approved by a second national administrator from a day on (or rejected).
Each write runs in a transaction with its audit entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.accounts.models import Role, User
from tanu.audit.actions import record
from tanu.audit.denied import raise_denied
from tanu.audit.models import Action, ObjectType
from tanu.identification import catalogue, engine
from tanu.identification.models import ChecklistVersion

Status = ChecklistVersion.Status


class ChecklistVersionError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


# --- who may -----------------------------------------------------------------------------------


def is_national_admin(user: User) -> bool:
    return user.is_active and user.role == Role.NATIONAL_ADMIN


def versions_for(user: User) -> QuerySet[ChecklistVersion]:
    """Every version of every checklist, for a national administrator; nothing for others."""
    if not is_national_admin(user):
        return ChecklistVersion.objects.none()
    return ChecklistVersion.objects.select_related("created_by", "approved_by")


def get_version_for_user(user: User, pk: int | str) -> ChecklistVersion:
    try:
        return versions_for(user).get(pk=pk)
    except (ChecklistVersion.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.CHECKLIST_VERSION, pk)


# --- what changes ------------------------------------------------------------------------------


@dataclass
class Diff:
    """What a version changes against another: indicators by code, and the rule."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    # (indicator, old grade, new grade) and (indicator, old dimension, new dimension)
    regraded: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    moved: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    # (indicator, the languages whose label or question changed)
    reworded: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)
    rule_before: dict[str, Any] | None = None
    rule_after: dict[str, Any] | None = None
    other: list[str] = field(default_factory=list)  # title, dimension names, source

    @property
    def rule_changed(self) -> bool:
        return self.rule_before != self.rule_after

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.regraded
            or self.moved
            or self.reworded
            or self.rule_changed
            or self.other
        )


def diff(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    old = {item["code"]: item for item in before["indicators"]}
    new = {item["code"]: item for item in after["indicators"]}
    result = Diff(
        added=[item for code, item in new.items() if code not in old],
        removed=[item for code, item in old.items() if code not in new],
    )
    for code, item in new.items():
        was = old.get(code)
        if was is None:
            continue
        if was["strength"] != item["strength"]:
            result.regraded.append((item, was["strength"], item["strength"]))
        if was["dimension"] != item["dimension"]:
            result.moved.append((item, was["dimension"], item["dimension"]))
        languages = [
            lang
            for lang in engine.LANGUAGES
            if was["label"].get(lang) != item["label"].get(lang)
            or was["prompt"].get(lang) != item["prompt"].get(lang)
        ]
        if languages:
            result.reworded.append((item, languages))
    if before["rule"] != after["rule"]:
        result.rule_before, result.rule_after = before["rule"], after["rule"]
    if before["title"] != after["title"]:
        result.other.append("title")
    if before["dimensions"] != after["dimensions"]:
        result.other.append("dimensions")
    if before.get("source") != after.get("source") or any(
        old[code].get("source") != item.get("source") for code, item in new.items() if code in old
    ):
        result.other.append("source")
    return result


def diff_against_in_force(row: ChecklistVersion) -> tuple[ChecklistVersion | None, Diff | None]:
    """The version in force today and what ``row`` changes against it."""
    in_force = catalogue.get_version(row.checklist_id)
    if in_force is None or in_force.pk == row.pk:
        return in_force, None
    return in_force, diff(in_force.data, row.data)


def _content_digest(data: dict[str, Any]) -> str:
    """The digest of what a version says, whatever its number."""
    content = {key: value for key, value in data.items() if key != "version"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


# --- writes ------------------------------------------------------------------------------------


#: Who the audit trail names for a version imported by the operator on the server.
IMPORT_COMMAND = "tanu checklist import"


def _refuse_outsider(actor: User) -> None:
    if not is_national_admin(actor):
        raise ChecklistVersionError(_("Only a national administrator may change checklists."))


def do_import_checklist_version(
    data: dict[str, Any], *, actor: User | None, request: HttpRequest | None = None
) -> ChecklistVersion:
    """Keep ``data`` (read from a file and valid) as a draft: the next version of a checklist
    tanu has, for the same population and form. Nothing takes effect until a second national
    administrator approves it.

    ``actor`` is None for the operator's command on the server (``tanu checklist import``),
    which is no national administrator: any national administrator may then approve."""
    if actor is not None:
        _refuse_outsider(actor)
    problems = engine.validate_checklist(data)
    if problems:
        raise engine.InvalidChecklistError(str(data.get("id")), problems)
    in_force = catalogue.get_version(data["id"])
    if in_force is None:
        raise ChecklistVersionError(
            _("tanu has no checklist with the id %(id)s; a file can only change one it has.")
            % {"id": data["id"]}
        )
    if (data["population"], data["form"]) != (in_force.population, in_force.form):
        raise ChecklistVersionError(
            _("The population and the form of exploitation of a checklist cannot change.")
        )
    if _content_digest(data) == _content_digest(in_force.data):
        raise ChecklistVersionError(
            _("The file says the same as the version in force: there is nothing to import.")
        )
    with transaction.atomic():
        # The checklist's versions, locked: two imports at once number one after the other.
        rows = list(
            ChecklistVersion.objects.select_for_update()
            .filter(checklist_id=data["id"])
            .only("version", "status")
        )
        if any(row.status == Status.DRAFT for row in rows):
            raise ChecklistVersionError(
                _(
                    "A new version of this checklist is already waiting for approval: "
                    "approve or reject it first."
                )
            )
        number = max(row.version for row in rows) + 1
        stored = {**data, "version": number}
        row = ChecklistVersion.objects.create(
            checklist_id=data["id"],
            version=number,
            population=data["population"],
            form=data["form"],
            data=stored,
            digest=catalogue.digest_of(stored),
            status=Status.DRAFT,
            imported=True,
            created_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            actor_username=None if actor is not None else IMPORT_COMMAND,
            object_type=ObjectType.CHECKLIST_VERSION,
            object_id=row.pk,
            fields=["data", "status"],
            request=request,
        )
    return row


def _locked_draft(row: ChecklistVersion) -> ChecklistVersion:
    locked = ChecklistVersion.objects.select_for_update().get(pk=row.pk)
    if locked.status != Status.DRAFT:
        raise ChecklistVersionError(_("This version has already been decided."))
    return locked


def do_approve_checklist_version(
    row: ChecklistVersion,
    *,
    actor: User,
    effective_from: date,
    request: HttpRequest | None = None,
) -> ChecklistVersion:
    """Approve a draft from ``effective_from`` (today or later) on. The approver is a second
    national administrator, never the one who imported it. Screenings dated before that day
    keep the version they used."""
    _refuse_outsider(actor)
    if effective_from < timezone.localdate():
        raise ChecklistVersionError(_("A new version cannot take effect in the past."))
    with transaction.atomic():
        locked = _locked_draft(row)
        if locked.created_by_id == actor.pk:
            raise ChecklistVersionError(
                _("A second national administrator must approve the version you imported.")
            )
        earlier = ChecklistVersion.objects.filter(
            checklist_id=locked.checklist_id, status__in=catalogue.IN_FORCE_STATUSES
        )
        latest = earlier.aggregate(last=Max("effective_from"))["last"]
        if latest is not None and effective_from < latest:
            raise ChecklistVersionError(
                _("Another approved version takes effect on %(day)s: choose that day or later.")
                % {"day": latest.isoformat()}
            )
        earlier.filter(status=Status.APPROVED).update(status=Status.SUPERSEDED)
        locked.status = Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.effective_from = effective_from
        locked.save(update_fields=["status", "approved_by", "approved_at", "effective_from"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.CHECKLIST_VERSION,
            object_id=locked.pk,
            fields=["status", "effective_from"],
            request=request,
        )
    return locked


def do_reject_checklist_version(
    row: ChecklistVersion, *, actor: User, request: HttpRequest | None = None
) -> ChecklistVersion:
    """Reject a draft (the one who imported it may withdraw it too); it never takes effect."""
    _refuse_outsider(actor)
    with transaction.atomic():
        locked = _locked_draft(row)
        locked.status = Status.REJECTED
        locked.save(update_fields=["status"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.CHECKLIST_VERSION,
            object_id=locked.pk,
            fields=["status"],
            request=request,
        )
    return locked
