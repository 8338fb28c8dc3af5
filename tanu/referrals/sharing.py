"""What a receiving agency sees of a person: only the fields the referral shared, and only while
the referral is sent, accepted or in progress and the consent (or recorded exception) behind it
is in force. The identifying fields are masked until revealed with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.cases import presentation
from tanu.identification.models import Form
from tanu.referrals.models import IDENTIFYING_FIELDS, SHAREABLE_FIELDS, Referral

OUTCOME_LABELS = {
    "presumed_victim": gettext_lazy("presumed victim"),
    "possible_victim": gettext_lazy("possible victim"),
    "no_indication": gettext_lazy("no indication"),
    "incomplete": gettext_lazy("incomplete: interview stopped"),
}


def sharing_ended_reason(referral: Referral) -> str | None:
    """Why the shared personal data is no longer available, or None while it is."""
    if referral.status == Referral.Status.DECLINED:
        return _(
            "The referral was declined: the shared personal data is no longer available to "
            "the receiving agency."
        )
    if referral.status == Referral.Status.WITHDRAWN:
        return _(
            "The referral was withdrawn by the sending agency: the shared personal data is no "
            "longer available to the receiving agency."
        )
    if referral.status == Referral.Status.COMPLETED:
        return _(
            "The referral was completed and closed: the shared personal data is no longer "
            "available to the receiving agency."
        )
    if not referral.is_open:
        return _("The shared personal data is no longer available to the receiving agency.")
    if referral.case.anonymised_at is not None:
        return _("The person's data was erased: nothing personal is shared any more.")
    if referral.consent_exception:
        return None
    consent = referral.consent
    if consent is None or not consent.is_active:
        return _(
            "The person withdrew the consent behind this referral: the shared personal data "
            "is no longer available to the receiving agency."
        )
    return None


def sharing_in_force(referral: Referral) -> bool:
    return sharing_ended_reason(referral) is None


def identifying_fields(referral: Referral) -> list[str]:
    """The shared fields that identify the person (masked until revealed)."""
    return [name for name in IDENTIFYING_FIELDS if name in set(referral.shared_fields)]


def shared_view(referral: Referral, only: set[str] | None = None) -> dict[str, Any]:
    """The shared fields with their values (of `only`, when given). Callers check
    sharing_in_force() and audit the read of identifying fields."""
    case = referral.case
    person = case.person
    readers: dict[str, Callable[[], Any]] = {
        "case_number": lambda: case.number,
        "sex": person.get_sex_display,
        "age_band": person.get_age_band_display,
        "citizenship": lambda: person.citizenship,
        "languages": lambda: person.languages,
        "form": lambda: str(Form(case.form).label) if case.form in Form.values else case.form,
        "outcome": lambda: str(OUTCOME_LABELS.get(case.outcome, case.outcome)),
        "name": person.full_name,
        "date_of_birth": lambda: person.date_of_birth,
        "documents": lambda: person.documents,
        "contacts": lambda: person.contacts,
        "address": lambda: person.address,
    }
    wanted = set(referral.shared_fields) if only is None else set(referral.shared_fields) & only
    return {key: read() for key, read in readers.items() if key in wanted}


def labelled(values: dict[str, Any]) -> dict[str, Any]:
    """Shared values for a page or a slip: document types, contact channels, languages and the
    date of birth in the reader's language instead of their codes (the API keeps the codes)."""
    shown = dict(values)
    if isinstance(shown.get("documents"), list):
        shown["documents"] = [
            {**d, "type": presentation.document_label(str(d.get("type", "")))}
            for d in shown["documents"]
            if isinstance(d, dict)
        ]
    if isinstance(shown.get("contacts"), list):
        shown["contacts"] = [
            {
                **c,
                "channel": presentation.channel_label(str(c.get("channel", ""))),
                "safe": c.get("safe") is True,
                "safety": presentation.safety_label(c.get("safe")),
            }
            for c in shown["contacts"]
            if isinstance(c, dict)
        ]
    if "languages" in shown:
        shown["languages"] = presentation.language_names(shown["languages"])
    if "date_of_birth" in shown:
        shown["date_of_birth"] = presentation.local_date(shown["date_of_birth"])
    return shown


def labelled_text(values: dict[str, Any]) -> dict[str, str]:
    """Shared values as plain text for a printed slip: 'identity card N1', 'messenger: +7 …
    (safe to contact)', language names, local dates; an empty value is a dash."""
    shown = labelled(values)
    text: dict[str, str] = {}
    for key, value in shown.items():
        if key == "documents":
            text[key] = "; ".join(f"{d['type']} {d.get('number', '')}".strip() for d in value)
        elif key == "contacts":
            text[key] = "; ".join(
                f"{c['channel']}: {c.get('value', '')} ({c['safety']})" for c in value
            )
        else:
            text[key] = str(value) if value not in (None, "", []) else ""
        text[key] = text[key] or "—"
    return text


def summary_view(referral: Referral) -> dict[str, Any]:
    """The shared fields that do not identify the person on their own (sex, age band, ...)."""
    return shared_view(referral, only=set(SHAREABLE_FIELDS) - set(IDENTIFYING_FIELDS))
