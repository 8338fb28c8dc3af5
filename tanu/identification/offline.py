"""Screenings done on a phone without a connection (the installable app's offline page).

The phone assesses with the checklist data in force (:func:`checklist_payload`) and the same rule
(static/identification/rule.js). When it reconnects it sends each screening here, once:
:func:`do_receive_offline_screening` starts and finalises it through the usual actions, so the
server assesses it again and its result stands; what the phone found is kept beside it
(``Screening.device_result``) and any difference is shown (:func:`differences`).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import User
from tanu.identification import actions, catalogue, engine
from tanu.identification.forms import INTERVIEW_LANGUAGES
from tanu.identification.models import (
    AgeGroup,
    Answer,
    Form,
    Judgement,
    Place,
    Screening,
    StopReason,
)
from tanu.lib.forms import DateInput, TanuForm

#: Why an interview stopped, as the phone offers it: every reason but "another reason", whose
#: free-text note could name someone, and the phone keeps no free text.
OFFLINE_STOP_REASONS = [(value, label) for value, label in StopReason.choices if value != "other"]
#: How far back a screening done offline may be dated: a phone kept offline longer should be
#: synced by hand (the date is checked against the server's clock).
MAX_DAYS_OFFLINE = 60


def checklist_payload() -> dict[str, Any]:
    """What the phone needs to screen and assess without a connection: the checklist versions in
    force today (indicators, dimensions, grades and rule, in the three languages)."""
    rows = sorted(catalogue.current_versions().values(), key=lambda row: row.checklist_id)
    return {
        "versions": [{"id": row.checklist_id, "version": row.version} for row in rows],
        "lists": [row.data for row in rows],
    }


def payload_revision() -> str:
    """Changes whenever another checklist version comes into force (the phone's cache key)."""
    rows = sorted(catalogue.current_versions().values(), key=lambda row: row.checklist_id)
    return "-".join(f"{row.checklist_id}.{row.version}.{row.digest[:12]}" for row in rows)


class OfflineScreeningForm(TanuForm):
    """One screening as the phone sends it. No name, no notes, no free text."""

    client_id = forms.UUIDField()
    place = forms.ChoiceField(choices=Place.choices)
    interview_language = forms.ChoiceField(choices=INTERVIEW_LANGUAGES)
    interpreter_used = forms.BooleanField(required=False)
    age_group = forms.ChoiceField(choices=AgeGroup.choices)
    form = forms.ChoiceField(choices=Form.choices)
    # The phone sends an ISO date; the widget keeps it ISO if the form is ever rendered.
    screened_on = forms.DateField(widget=DateInput)
    judgement = forms.ChoiceField(choices=Judgement.choices)
    stop_reason = forms.ChoiceField(choices=[("", "-"), *OFFLINE_STOP_REASONS], required=False)

    def clean_screened_on(self) -> Any:
        value = self.cleaned_data["screened_on"]
        today = timezone.localdate()
        # A phone a few hours ahead of the server's time zone may already be on the next day.
        if value > today + timedelta(days=1):
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value < today - timedelta(days=MAX_DAYS_OFFLINE):
            raise forms.ValidationError(
                _("The date is more than %(days)s days ago: type the screening in from paper.")
                % {"days": MAX_DAYS_OFFLINE}
            )
        return min(value, today)


def clean_answers(value: object) -> dict[str, str]:
    """The answers as sent ({code: answer}); a ScreeningError when they are not that shape.
    Whether the codes belong to the person's lists is checked by the action."""
    if not isinstance(value, dict) or len(value) > 1000:
        raise actions.ScreeningError(_("The answers could not be read."))
    answers: dict[str, str] = {}
    for code, answer in value.items():
        if not isinstance(code, str) or answer not in Answer.values:
            raise actions.ScreeningError(_("The answers could not be read."))
        answers[code] = answer
    return answers


def clean_device_result(value: object) -> dict[str, Any]:
    """What the phone found, kept as sent where it has the expected shape (nothing else)."""
    if not isinstance(value, dict):
        return {}
    result: dict[str, Any] = {}
    if value.get("outcome") in engine.ALL_OUTCOMES:
        result["outcome"] = value["outcome"]
    if isinstance(value.get("checklist"), str):
        result["checklist"] = value["checklist"][:40]
    dimensions = value.get("positive_dimensions")
    if isinstance(dimensions, list):
        result["positive_dimensions"] = [d for d in engine.DIMENSIONS if d in dimensions]
    versions = value.get("versions")
    if isinstance(versions, list):
        result["versions"] = [
            {"id": v["id"][:40], "version": v["version"]}
            for v in versions[:4]
            if isinstance(v, dict)
            and isinstance(v.get("id"), str)
            and type(v.get("version")) is int
        ]
    return result


def _server_view(screening: Screening) -> dict[str, Any]:
    result = screening.result or {}
    dimensions = result.get("dimensions", {})
    return {
        "outcome": screening.outcome,
        "checklist": result.get("checklist", ""),
        "positive_dimensions": [
            d for d in engine.DIMENSIONS if dimensions.get(d, {}).get("positive")
        ],
        "versions": [
            {"id": v.checklist_id, "version": v.version}
            for v in sorted(screening.checklist_versions.all(), key=lambda v: v.checklist_id)
        ],
    }


DIFFERENCE_LABELS = {
    "dropped": gettext_lazy("answers to indicators the server's lists do not have"),
    "outcome": gettext_lazy("the outcome"),
    "checklist": gettext_lazy("the list that decided"),
    "positive_dimensions": gettext_lazy("the positive dimensions"),
    "versions": gettext_lazy("the checklist versions"),
}


def differences(screening: Screening) -> list[str]:
    """What the phone found differently from the server's assessment (which stands): the keys
    of :data:`DIFFERENCE_LABELS`, empty when they agree or the screening was not done offline."""
    device = screening.device_result or {}
    if not device:
        return []
    server = _server_view(screening)
    found = []
    for key in DIFFERENCE_LABELS:
        if key not in device:
            continue
        if key == "dropped":
            found.append(key)
            continue
        mine, theirs = device[key], server[key]
        if key == "versions":
            mine = sorted((v["id"], v["version"]) for v in mine)
            theirs = sorted((v["id"], v["version"]) for v in theirs)
        if mine != theirs:
            found.append(key)
    return found


def do_receive_offline_screening(
    *,
    actor: User,
    client_id: uuid.UUID,
    context: dict[str, Any],
    answers: dict[str, str],
    judgement: str,
    stop_reason: str,
    device_result: dict[str, Any],
    request: HttpRequest | None = None,
) -> tuple[Screening, bool]:
    """Store a screening done offline: start it, then finalise it, through the usual actions
    (each with its audit entry), assessed again on the server. Returns the screening and
    whether it was finalised; one the server cannot finalise as sent (say, a newer checklist
    version needs a reason why the interview stopped) stays a draft for the screener to finish.
    Answers to indicators the server's lists do not have are left out and listed in
    ``device_result["dropped"]``, so that a screening is never stuck on the phone.

    Idempotent by ``client_id``, the phone's id of the screening: sent twice (a retry after a
    lost answer), it is stored once and the second call returns the first. Another official's
    id is refused like an unknown one."""
    existing = Screening.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _already_received(existing, actor)
    # The phone asked from the lists it had; an indicator the lists in force on the screening's
    # date no longer have (a newer version) cannot be stored: it is left out, and said so.
    known = {
        indicator["code"]
        for row in catalogue.lists_for(
            context["age_group"], context["form"], context["screened_on"]
        )
        for indicator in row.data["indicators"]
    }
    dropped = sorted(code for code in answers if code not in known)
    if dropped:
        answers = {code: answer for code, answer in answers.items() if code in known}
        device_result = {**device_result, "dropped": dropped[:100]}
    try:
        with transaction.atomic():
            screening = actions.do_start_screening(
                actor=actor,
                context=context,
                answers=answers,
                source=Screening.Source.OFFLINE,
                request=request,
            )
            # Part of the creation just recorded: the phone's id and what the phone found.
            Screening.objects.filter(pk=screening.pk).update(
                client_id=client_id, device_result=device_result
            )
            screening.client_id, screening.device_result = client_id, device_result
    except IntegrityError:
        # The same screening arrived twice at the same moment: the other request stored it.
        return _already_received(Screening.objects.get(client_id=client_id), actor)
    try:
        screening = actions.do_finalise_screening(
            screening,
            actor=actor,
            judgement=judgement,
            notes="",
            expected_revision=screening.revision,
            stop_reason=stop_reason,
            request=request,
        )
    except actions.ScreeningError:
        return screening, False
    return screening, True


def _already_received(screening: Screening, actor: User) -> tuple[Screening, bool]:
    if screening.created_by_id != actor.pk:
        raise actions.ScreeningError(_("This screening could not be stored."))
    return screening, screening.status != Screening.Status.DRAFT
