"""The demo case, including the canary: a fictional person whose name and document number must
never appear in plaintext in the database, a dump, the logs or a backup."""

from __future__ import annotations

from django.db import transaction

from tanu.accounts.models import User
from tanu.cases import actions
from tanu.cases.models import Case, PersonIndex
from tanu.identification import actions as screening_actions
from tanu.lib import crypto

CANARY_DOCUMENT = "N12345678"
CANARY = {
    "given_name": "Жанар",
    "family_name": "Канарьева",
    "other_names": "Zhanar Kanaryeva",
    "sex": "female",
    "estimated_age": 27,
    "citizenship": "KZ",
    "languages": "kk, ru",
    "documents": [{"type": "id_card", "number": CANARY_DOCUMENT}],
    "contacts": [{"channel": "phone", "value": "+7 700 000 00 00", "safe": False}],
    "address": "Алматы",
}


def canary_case() -> Case | None:
    digest = crypto.blind_index(CANARY_DOCUMENT, kind="document")
    person_ids = PersonIndex.objects.filter(kind="document", digest=digest).values("person_id")
    return Case.objects.filter(person_id__in=person_ids).first()


@transaction.atomic
def load() -> list[str]:
    case = canary_case()
    if case is not None:
        return ["canary case already present"]
    screener = User.objects.get(username="screener.almaty")
    screening = screening_actions.do_start_screening(
        actor=screener,
        context={
            "place": "rehabilitation_centre",
            "interview_language": "kk",
            "interpreter_used": False,
            "age_group": "adult",
            "age_years": 27,
            "form": "labour",
        },
        answers={
            code: "observed"
            for code in ("AL-DR-01", "AL-DR-03", "AL-EC-01", "AL-EC-04", "AL-CD-01", "AL-CD-03")
        },
    )
    screening = screening_actions.do_finalise_screening(
        screening,
        actor=screener,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
    )
    case = actions.do_open_case(screening, actor=screener, person_data=dict(CANARY))
    actions.do_record_consent(
        case,
        actor=screener,
        purpose="assistance",
        given=True,
        basis="person",
        language="kk",
        interpreter_used=False,
    )
    return [f"canary case {case.number}"]
