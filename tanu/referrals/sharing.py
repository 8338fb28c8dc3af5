"""What a receiving agency sees of a person: only the fields the referral shared."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tanu.identification.models import Form
from tanu.referrals.models import Referral

OUTCOME_LABELS = {
    "presumed_victim": _("presumed victim"),
    "possible_victim": _("possible victim"),
    "no_indication": _("no indication"),
}


def shared_view(referral: Referral) -> dict[str, Any]:
    case = referral.case
    person = case.person
    fields = set(referral.shared_fields)
    values: dict[str, Any] = {
        "case_number": case.number,
        "sex": person.get_sex_display(),
        "age_band": person.get_age_band_display(),
        "citizenship": person.citizenship,
        "languages": person.languages,
        "form": str(Form(case.form).label) if case.form in Form.values else case.form,
        "outcome": str(OUTCOME_LABELS.get(case.outcome, case.outcome)),
        "name": person.full_name() if "name" in fields else None,
        "date_of_birth": person.date_of_birth if "date_of_birth" in fields else None,
        "documents": person.documents if "documents" in fields else None,
        "contacts": person.contacts if "contacts" in fields else None,
        "address": person.address if "address" in fields else None,
    }
    return {key: value for key, value in values.items() if key in fields}
