"""Named writes of a seminar's roster that go beyond one form: importing participants from a
spreadsheet, and marking one participant present or absent at a session with a single tap.

Like :mod:`tanu.training.actions` (whose helpers they use), each runs in one transaction with its
audit entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tanu.accounts.models import User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.training.actions import (
    PARTICIPANT_FIELDS,
    TrainingError,
    _new_personal_code,
    name_index,
)
from tanu.training.models import AgendaSession, Attendance, Participant, Seminar


def do_import_participants(
    seminar: Seminar,
    *,
    actor: User,
    rows: Sequence[Mapping[str, Any]],
    request: HttpRequest | None = None,
) -> list[Participant]:
    """Add every row as a participant, or none: one transaction, an audit entry per participant
    and one for the import. A name already on the list (someone added it meanwhile) stops it."""
    with transaction.atomic():
        Seminar.objects.select_for_update().get(pk=seminar.pk)
        existing = set(
            Participant.objects.filter(seminar=seminar).values_list("name_index", flat=True)
        )
        created: list[Participant] = []
        for data in rows:
            digest = name_index(data["full_name"])
            if digest in existing:
                raise TrainingError(
                    _("%(name)s is already on the list of participants. Nothing was imported.")
                    % {"name": data["full_name"]}
                )
            existing.add(digest)
            code, code_digest = _new_personal_code()
            participant = Participant.objects.create(
                seminar=seminar,
                full_name=data["full_name"].strip(),
                name_index=digest,
                role=data["role"],
                agency=data.get("agency"),
                agency_name=data.get("agency_name", "") or "",
                position=(data.get("position") or "").strip(),
                code=code,
                code_index=code_digest,
            )
            record(
                Action.CREATE,
                actor=actor,
                object_type=ObjectType.TRAINING_PARTICIPANT,
                object_id=participant.pk,
                fields=[k for k in PARTICIPANT_FIELDS if data.get(k)],
                request=request,
            )
            created.append(participant)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.SEMINAR_PARTICIPANTS,
            object_id=seminar.pk,
            fields=["import"],
            reason=f"import of {len(created)} participants from a file",
            request=request,
        )
    return created


def do_mark_attendance(
    session: AgendaSession,
    participant: Participant,
    *,
    actor: User,
    present: bool,
    request: HttpRequest | None = None,
) -> Attendance:
    """One participant present or absent at one session (the others stay as they are)."""
    if participant.seminar_id != session.seminar_id:
        raise TrainingError(_("This participant belongs to another seminar."))
    with transaction.atomic():
        row, _created = Attendance.objects.select_for_update().get_or_create(
            participant=participant, session=session, defaults={"present": present}
        )
        if row.present != present:
            row.present = present
            row.save(update_fields=["present"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.SEMINAR_SESSION,
            object_id=session.pk,
            fields=["attendance"],
            reason=f"participant {participant.pk}: {'present' if present else 'absent'}",
            request=request,
        )
    return row
