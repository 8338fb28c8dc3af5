"""Everything held on one person, for the person's right of access (JSON and PDF)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tanu.accounts.models import User
from tanu.cases.models import PERSON_FIELDS, Case, Consent, Person
from tanu.lib import pdf


def person_export(case: Case, user: User) -> dict[str, Any]:
    person = case.person
    return {
        "exported_at": timezone.now().isoformat(),
        "case": {
            "number": case.number,
            "status": case.status,
            "opened": case.created_at.isoformat(),
            "agency": case.agency.name,
            "reflection_period_ends": case.reflection_ends.isoformat()
            if case.reflection_ends
            else None,
        },
        "person": {field: getattr(person, field) for field in PERSON_FIELDS},
        "consents": [
            {
                "purpose": c.purpose,
                "service": c.service_name,
                "given": c.given,
                "basis": c.basis,
                "recorded_at": c.recorded_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in case.consents.all()
        ],
        "screenings": [
            {
                "reference": s.reference,
                "date": s.screened_on.isoformat(),
                "outcome": s.outcome,
                "status": s.status,
            }
            for s in case.screenings.all()
        ],
        "notes_of_your_agency": [
            {"at": n.created_at.isoformat(), "text": n.text}
            for n in case.notes.filter(agency_id=user.agency_id or 0)
        ],
        "documents": [
            {"title": d.title, "uploaded_at": d.uploaded_at.isoformat(), "size": d.size}
            for d in case.documents.all()
        ],
    }


def _shown(value: object) -> str:
    """A value as the reader reads it: ISO dates and times in the reader's format and local
    time (the JSON export keeps ISO 8601, for machines)."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return str(formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT"))
            moment = timezone.localtime(datetime.fromisoformat(value))
            return str(formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def _field_label(name: str) -> str:
    field = Person._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def person_export_pdf(data: dict[str, Any]) -> bytes:
    person = data["person"]
    status = data["case"]["status"]
    sections = [
        pdf.Section(
            _("Case"),
            rows=[
                (_("case number"), data["case"]["number"]),
                (_("status"), str(Case.Status(status).label)),
                (_("opened"), _shown(data["case"]["opened"])),
            ],
        ),
        pdf.Section(
            _("Person"),
            rows=[(_field_label(key), _shown(value)) for key, value in person.items()],
        ),
        pdf.Section(
            _("Consent"),
            rows=[
                (
                    str(Consent.Purpose(c["purpose"]).label),
                    f"{_shown(c['given'])} · {_shown(c['recorded_at'])}",
                )
                for c in data["consents"]
            ],
        ),
        pdf.Section(
            _("Screenings"),
            rows=[
                (s["reference"], f"{_shown(s['date'])} · {s['outcome']}")
                for s in data["screenings"]
            ],
        ),
    ]
    return pdf.render(
        _("Everything held on this person"),
        sections,
        subtitle=_shown(data["exported_at"]),
        footer=_("Confidential: personal data of a possible victim of trafficking."),
    )
