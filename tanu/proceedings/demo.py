"""The demo criminal proceeding: the canary's case, referred to the Almaty criminal police, is
investigated under article 128 (trafficking in persons) and is now at trial, with one hearing
held and one to come. Loaded only in demo mode, after the cases and the canary's referral.

Every step goes through the named actions (tanu.referrals.actions, tanu.proceedings.actions), so
the demo's audit trail reads like real work. Dates are relative to today, so the demo stays
current: registered about three months ago, sent to court a month ago, the trial started two
weeks ago, the next hearing in five days. Idempotent: a second run creates nothing, except a new
next hearing once the last one is in the past.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tanu.accounts.demo import CITIES
from tanu.accounts.models import User
from tanu.cases.models import Case
from tanu.proceedings import actions
from tanu.proceedings.models import Article, Proceeding, ProtectionMeasure
from tanu.referrals.models import MINIMUM_FIELDS, Referral, Service

INVESTIGATOR = "investigator.almaty"
SCREENER = "screener.almaty"
ALMATY_TZ = ZoneInfo("Asia/Almaty")
POLICE_SERVICE = "{en} City Police, Criminal Police Unit: trafficking investigations"
REFERRAL_PURPOSE = "Проверка по признакам ст. 128 УК РК (демо)"
COURT = "Медеуский районный суд г. Алматы, зал 4"
# Days before today: registered, sent to court, trial started; the next hearing is in NEXT days.
REGISTERED, SENT_TO_COURT, TRIAL, NEXT = 90, 30, 14, 5
SUSPECTS = [
    {"standing": "accused", "role": "organiser", "sex": "male", "citizenship": "KZ", "count": 1},
    {"standing": "accused", "role": "recruiter", "sex": "female", "citizenship": "KZ", "count": 1},
    {"standing": "accused", "role": "recruiter", "sex": "male", "citizenship": "KZ", "count": 1},
]
COMPENSATION_CLAIMED = 1_800_000  # tenge: the unpaid wages and the damage claimed


def erdr_number(registered_on: date) -> str:
    """A fictional 15-digit ЕРДР number: the year, Almaty's code, the unit, a serial."""
    return f"{registered_on:%y}7511030000128"


def police_service() -> Service:
    code, en, _ru, _kk = CITIES["almaty"]
    return Service.objects.get(region__code=code, name_en=POLICE_SERVICE.format(en=en))


def _hearing_at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ALMATY_TZ)


def refer_to_police(case: Case, investigator: User) -> Referral:
    """The case's screener refers it, with the person's consent to share with law enforcement,
    to the Almaty criminal police, and the investigator accepts. Idempotent."""
    from tanu.cases import actions as case_actions
    from tanu.referrals import actions as referral_actions

    service = police_service()
    referral = Referral.objects.filter(case=case, service=service).order_by("pk").first()
    if referral is None:
        screener = User.objects.get(username=SCREENER)
        consent = case_actions.do_record_consent(
            case,
            actor=screener,
            purpose="law_enforcement",
            given=True,
            basis="person",
            language="kk",
            interpreter_used=False,
            service=service,
            shared_fields=list(MINIMUM_FIELDS),
        )
        referral = referral_actions.do_send_referral(
            case,
            actor=screener,
            service=service,
            purpose=REFERRAL_PURPOSE,
            urgency="urgent",
            shared_fields=list(MINIMUM_FIELDS),
            consent=consent,
        )
    if referral.status == Referral.Status.SENT:
        referral = referral_actions.do_change_referral_status(
            referral, actor=investigator, status=Referral.Status.ACCEPTED
        )
    return referral


def _register(case: Case, investigator: User, today: date) -> Proceeding:
    registered_on = today - timedelta(days=REGISTERED)
    proceeding = actions.do_register_proceeding(
        actor=investigator,
        case=case,
        erdr_number=erdr_number(registered_on),
        registered_on=registered_on,
        articles=[Article.objects.get(number="128")],
        person_status=Proceeding.PersonStatus.VICTIM,
        cooperates=True,
    )
    proceeding = actions.do_update_proceeding(
        proceeding,
        actor=investigator,
        data={"compensation_claimed": COMPENSATION_CLAIMED},
        expected_revision=proceeding.revision,
    )
    proceeding = actions.do_set_suspects(
        proceeding, actor=investigator, rows=SUSPECTS, expected_revision=proceeding.revision
    )
    actions.do_add_protection(
        proceeding,
        actor=investigator,
        kind=ProtectionMeasure.Kind.CONFIDENTIAL_DATA,
        starts_on=registered_on + timedelta(days=3),
    )
    for stage, days in (
        (Proceeding.Stage.SENT_TO_COURT, SENT_TO_COURT),
        (Proceeding.Stage.TRIAL, TRIAL),
    ):
        proceeding = actions.do_move_stage(
            proceeding,
            actor=investigator,
            stage=stage,
            on=today - timedelta(days=days),
            expected_revision=proceeding.revision,
        )
    actions.do_schedule_hearing(
        proceeding,
        actor=investigator,
        starts_at=_hearing_at(today - timedelta(days=TRIAL), 10),
        place=COURT,
        note="Оглашено обвинительное заключение; потерпевшая допрошена по видеосвязи.",
    )
    return proceeding


@transaction.atomic
def load() -> list[str]:
    """The canary's case referred to the Almaty criminal police and its proceeding at trial."""
    from tanu.cases.demo import canary_case

    case = canary_case()
    if case is None:
        return ["canary case missing: no demo proceeding"]
    investigator = User.objects.get(username=INVESTIGATOR)
    today = timezone.localdate()
    refer_to_police(case, investigator)
    proceeding = Proceeding.objects.filter(
        case=case, investigating_agency_id=investigator.agency_id
    ).first()
    made = proceeding is None
    if proceeding is None:
        proceeding = _register(case, investigator, today)
    upcoming = proceeding.hearings.filter(starts_at__gte=timezone.now())
    if proceeding.stage == Proceeding.Stage.TRIAL and not upcoming.exists():
        actions.do_schedule_hearing(
            proceeding,
            actor=investigator,
            starts_at=_hearing_at(today + timedelta(days=NEXT), 11),
            place=COURT,
            note="Допрос свидетелей обвинения.",
        )
    state = "registered" if made else "already present"
    suspects = sum(proceeding.suspects.values_list("count", flat=True))
    return [
        f"canary proceeding {proceeding.erdr_number} ({state}): {proceeding.stage}, "
        f"{suspects} accused, {proceeding.hearings.count()} hearings"
    ]
