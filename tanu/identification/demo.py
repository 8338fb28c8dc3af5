"""Demo screenings in the six seminar cities (fictional)."""

from __future__ import annotations

from django.db import transaction

from tanu.accounts.demo import CITIES
from tanu.accounts.models import User
from tanu.identification import actions, catalogue
from tanu.identification.models import Screening

# (age group, form, observed codes, place)
EXAMPLES = [
    (
        "adult",
        "labour",
        ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"],
        "workplace_inspection",
    ),
    ("adult", "labour", ["AL-CD-01", "AL-EC-02"], "patrol"),
    ("adult", "sexual", [], "hotline"),
]


@transaction.atomic
def load() -> list[str]:
    catalogue.sync_from_files()
    made = 0
    for city in CITIES:
        screener = User.objects.get(username=f"screener.{city}")
        if Screening.objects.filter(created_by=screener).exists():
            continue
        for age_group, form, codes, place in EXAMPLES:
            screening = actions.do_start_screening(
                actor=screener,
                context={
                    "place": place,
                    "interview_language": "ru",
                    "age_group": age_group,
                    "form": form,
                },
                answers={code: "observed" for code in codes},
            )
            actions.do_finalise_screening(
                screening,
                actor=screener,
                judgement="agree",
                notes="",
                expected_revision=screening.revision,
                stop_reason="" if codes else "left",  # the caller hung up
            )
            made += 1
    return [f"{made} demo screenings"]
