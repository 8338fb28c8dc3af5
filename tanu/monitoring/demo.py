"""Demo facilities and monitoring visits in the six seminar cities (fictional). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tanu.accounts.demo import CITIES, agency_for
from tanu.accounts.models import Region, User
from tanu.identification import actions as screening_actions
from tanu.identification import catalogue
from tanu.monitoring import actions
from tanu.monitoring.models import Facility, Visit

# facility key -> (kind, operating agency key, English, Russian, Kazakh name templates, capacity)
FACILITIES: dict[str, tuple[str, str, str, str, str, int]] = {
    "detention": (
        Facility.Kind.TEMPORARY_DETENTION,
        "admin_police",
        "{en} City Police Temporary Detention Facility",
        "Изолятор временного содержания ДП г. {ru}",
        "{kk} қ. ПД уақытша ұстау изоляторы",
        60,
    ),
    "juveniles": (
        Facility.Kind.JUVENILE_CENTRE,
        "juvenile_centre",
        "{en} Centre for the Adaptation of Minors",
        "Центр адаптации несовершеннолетних г. {ru}",
        "{kk} қ. кәмелетке толмағандарды бейімдеу орталығы",
        40,
    ),
    "homeless": (
        Facility.Kind.REHAB_HOMELESS,
        "rehab_homeless",
        "{en} Centre for the Social Adaptation of Homeless People",
        "Центр социальной адаптации лиц без определённого места жительства г. {ru}",
        "{kk} қ. белгілі бір тұрғылықты жері жоқ адамдарды әлеуметтік бейімдеу орталығы",
        80,
    ),
    "migrants": (
        Facility.Kind.MIGRANT_HOLDING,
        "migration",
        "{en} Special Centre for Holding Foreigners",
        "Специальный центр содержания иностранцев г. {ru}",
        "{kk} қ. шетелдіктерді ұстауға арналған арнайы орталық",
        50,
    ),
    "reception": (
        Facility.Kind.SPECIAL_RECEPTION,
        "admin_police",
        "{en} City Police Special Reception Centre",
        "Специальный приёмник ДП г. {ru}",
        "{kk} қ. ПД арнаулы қабылдау орны",
        70,
    ),
}
# Every city has a detention facility, a centre for juveniles and one for homeless people; the
# port and border cities also hold migrants.
CITY_FACILITIES: dict[str, tuple[str, ...]] = {
    "almaty": ("detention", "juveniles", "homeless", "migrants", "reception"),
    "taraz": ("detention", "juveniles", "homeless"),
    "shymkent": ("detention", "juveniles", "homeless"),
    "ustkamenogorsk": ("detention", "juveniles", "homeless"),
    "petropavlovsk": ("detention", "juveniles", "homeless"),
    "aktau": ("detention", "juveniles", "homeless", "migrants"),
}
PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
POSSIBLE = ["AL-CD-01", "AL-EC-02"]


def facility_for(city: str, key: str) -> Facility:
    region_code, en, ru, kk = CITIES[city]
    kind, agency_key, name_en, name_ru, name_kk, capacity = FACILITIES[key]
    number = list(FACILITIES).index(key) + 1
    facility, _ = Facility.objects.update_or_create(
        region=Region.objects.get(code=region_code),
        kind=kind,
        name_en=name_en.format(en=en),
        defaults={
            "name_ru": name_ru.format(ru=ru),
            "name_kk": name_kk.format(kk=kk),
            "operating_agency": agency_for(city, agency_key),
            "address": f"{ru}, ул. Примерная, {number * 10}",
            "capacity": capacity,
            "contacts": f"+7 700 000 00 {number:02d} (дежурная часть)",
            "is_active": True,
        },
    )
    return facility


def _screen(visit: Visit, user: User, codes: list[str]) -> None:
    screening = actions.do_start_visit_screening(
        visit, actor=user, age_group="adult", form="labour", interview_language="ru"
    )
    if codes:
        screening = screening_actions.do_record_answers(
            screening, actor=user, answers=dict.fromkeys(codes, "observed")
        )
    screening_actions.do_finalise_screening(
        screening,
        actor=user,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
        stop_reason="" if codes else "declined",  # nothing asked: the person declined
    )


def _visits(city: str, facilities: dict[str, Facility]) -> int:
    monitor = User.objects.get(username=f"monitor.{city}")
    screener = User.objects.get(username=f"screener.{city}")
    coordinator = User.objects.get(username=f"coordinator.{city}")
    today = timezone.localdate()
    team = [monitor, screener]
    done = actions.do_plan_visit(
        actor=monitor,
        facility=facilities["detention"],
        planned_on=today - timedelta(days=20),
        purpose="Регулярный мониторинг: выявление признаков торговли людьми среди задержанных",
        announced=False,
        team=team,
    )
    _screen(done, monitor, PRESUMED)
    _screen(done, monitor, [])
    actions.do_record_visit(
        done,
        actor=monitor,
        report={
            "visited_on": done.planned_on,
            "duration_minutes": 180,
            "adults_present": 23,
            "juveniles_present": 0,
            "foreigners_present": 6,
            "people_screened": 9,
            "access": "partial",
            "access_notes": "Доступ к камерам предоставлен; журнал доставленных не показан.",
            "conditions": "Камеры переполнены, у иностранцев нет доступа к переводчику.",
            "findings": "Один задержанный — предполагаемая жертва трудовой эксплуатации.",
            "recommendations": "Обеспечить переводчика; сообщать о признаках торговли людьми.",
        },
        expected_revision=None,
    )
    actions.do_add_follow_up_action(
        done,
        actor=monitor,
        description="Письмо в ДП о доступе к журналу доставленных",
        owner=coordinator,
        due_on=today + timedelta(days=14),
    )
    made = 1
    actions.do_plan_visit(
        actor=monitor,
        facility=facilities["juveniles"],
        planned_on=today + timedelta(days=7),
        purpose="Беседы с подростками, доставленными с улицы",
        announced=True,
        team=team,
    )
    actions.do_plan_visit(
        actor=monitor,
        facility=facilities["homeless"],
        planned_on=today - timedelta(days=3),
        purpose="Проверка условий и выявление жертв принудительного труда",
        announced=True,
        team=[monitor],
    )
    made += 2
    if "migrants" in facilities:
        # The same monitor on two visits the same day: the calendar shows the conflict.
        actions.do_plan_visit(
            actor=monitor,
            facility=facilities["migrants"],
            planned_on=today + timedelta(days=7),
            purpose="Беседы с иностранцами, ожидающими выдворения",
            announced=False,
            team=[monitor, coordinator],
        )
        made += 1
    return made


@transaction.atomic
def load() -> list[str]:
    catalogue.sync_from_files()
    facilities = visits = 0
    for city, keys in CITY_FACILITIES.items():
        made = {key: facility_for(city, key) for key in keys}
        facilities += len(made)
        region = next(iter(made.values())).region
        if not Visit.objects.filter(region=region).exists():
            visits += _visits(city, made)
    return [f"{facilities} monitored facilities", f"{visits} monitoring visits"]
