"""The two surveys: a reaction survey right after the seminar (how was it, how confident do you
feel) and a follow-up survey months later (what did you use, what stood in the way). Ratings
are 1 (not at all) to 5 (fully); counts are whole numbers. Free text is kept encrypted and never
shown in the aggregate results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from tanu.training.models import Seminar, SurveyResponse

FOLLOW_UP_AFTER_DAYS = 90


@dataclass(frozen=True)
class SurveyQuestion:
    key: str
    label: Any  # a lazily translated string
    kind: str  # "rating" (1..5), "yes_no" (1/0) or "count" (0..1000)


REACTION = (
    SurveyQuestion("relevance", _("The seminar was relevant to my work."), "rating"),
    SurveyQuestion("clarity", _("The content was clear."), "rating"),
    SurveyQuestion("trainers", _("The trainers were well prepared."), "rating"),
    SurveyQuestion("exercises", _("The case exercises helped me learn."), "rating"),
    SurveyQuestion(
        "confidence_recognise", _("I feel able to recognise a presumed victim."), "rating"
    ),
    SurveyQuestion("confidence_refer", _("I know whom to refer a victim to."), "rating"),
)

FOLLOW_UP = (
    SurveyQuestion(
        "used_checklist", _("Since the seminar I have used the checklist at work."), "yes_no"
    ),
    SurveyQuestion(
        "screenings", _("How many people have you screened since the seminar?"), "count"
    ),
    SurveyQuestion("referrals", _("How many people have you referred since the seminar?"), "count"),
    SurveyQuestion(
        "confidence_recognise", _("I feel able to recognise a presumed victim."), "rating"
    ),
    SurveyQuestion("confidence_refer", _("I know whom to refer a victim to."), "rating"),
)

QUESTIONS: dict[str, tuple[SurveyQuestion, ...]] = {
    SurveyResponse.Kind.REACTION.value: REACTION,
    SurveyResponse.Kind.FOLLOW_UP.value: FOLLOW_UP,
}


def opens_on(seminar: Seminar, kind: str) -> date:
    if kind == SurveyResponse.Kind.FOLLOW_UP:
        return seminar.ends_on + timedelta(days=FOLLOW_UP_AFTER_DAYS)
    return seminar.ends_on


def is_open(seminar: Seminar, kind: str, today: date) -> bool:
    return today >= opens_on(seminar, kind)
