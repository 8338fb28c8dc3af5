"""The parts of ``tanu demo synth`` that depend on apps still being built: monitoring visits and
training seminars.

Each looks its models up with ``apps.get_model`` and checks that their tables exist; when they do
not (or their shape is not the one expected here), it skips with a note and the rest of the
synthetic data is made as usual. Kept apart from :mod:`tanu.ops.synthetic.synth` so that it can be
finished as those apps settle.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, models, transaction

from tanu.lib import crypto

if TYPE_CHECKING:
    from tanu.ops.synthetic.world import World


def model_if_ready(app_label: str, name: str, fields: tuple[str, ...] = ()) -> Any | None:
    """The model when it is installed, its table exists and it has ``fields``; else None."""
    try:
        model = apps.get_model(app_label, name)
    except LookupError:
        return None
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    names = {f.name for f in model._meta.get_fields()}
    if any(f not in names for f in fields):
        return None
    return model


# --- monitoring visits --------------------------------------------------------------------------

# Facility kind -> the screening place a screening during a visit there records.
_FACILITIES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "temporary_detention",
        "detention_facility",
        "{en} Temporary Detention Facility",
        "Изолятор временного содержания г. {ru}",
        "{kk} қ. уақытша ұстау изоляторы",
    ),
    (
        "special_reception",
        "detention_facility",
        "{en} Special Reception Centre",
        "Специальный приёмник г. {ru}",
        "{kk} қ. арнаулы қабылдау орны",
    ),
    (
        "rehab_homeless",
        "rehabilitation_centre",
        "{en} Centre for the Social Adaptation of Homeless People (facility)",
        "Центр социальной адаптации г. {ru}",
        "{kk} қ. әлеуметтік бейімдеу орталығы",
    ),
    (
        "juvenile_centre",
        "rehabilitation_centre",
        "{en} Centre for the Adaptation of Minors (facility)",
        "Центр адаптации несовершеннолетних г. {ru}",
        "{kk} қ. кәмелетке толмағандарды бейімдеу орталығы",
    ),
)


class VisitPlan:
    """What monitoring visits need, prepared in the main process: the models and, per region
    and screening place, the facilities (created once, idempotently)."""

    def __init__(self, visit_model: Any, member_model: Any, facilities: dict) -> None:
        self.visit_model = visit_model
        self.member_model = member_model
        self.facilities: dict[tuple[int, str], list[tuple[int, str]]] = facilities

    def make_visit(
        self, rng: random.Random, region_id: int, day: date, place: str, user_id: int
    ) -> tuple[models.Model, models.Model, str] | None:
        """An unsaved visit on ``day`` (recorded, with its report) and its one-member team, for
        a monitor's screening at ``place``; None when the region has no such facility."""
        choices = self.facilities.get((region_id, place))
        if not choices:
            return None
        facility_id, facility_name = rng.choice(choices)
        visited = datetime.combine(day, time(5, 0), tzinfo=UTC)
        planned = day - timedelta(days=rng.randint(3, 30))
        visit = self.visit_model(
            facility_id=facility_id,
            region_id=region_id,
            planned_on=day,
            purpose="Мониторинг условий содержания и выявление признаков торговли людьми",
            announced=rng.random() < 0.4,
            status="done",
            cancel_reason="",
            visited_on=day,
            duration_minutes=rng.choice((90, 120, 180, 240)),
            adults_present=rng.randint(5, 60),
            juveniles_present=rng.randint(0, 5),
            foreigners_present=rng.randint(0, 10),
            people_screened=1,
            access=rng.choice(("full", "full", "full", "partial")),
            access_notes="",
            conditions="",
            findings="",
            recommendations="",
            reported_by_id=user_id,
            reported_at=visited + timedelta(hours=10),
            created_by_id=user_id,
            created_at=datetime.combine(planned, time(4, 0), tzinfo=UTC),
            updated_at=visited + timedelta(hours=10),
            revision=2,
        )
        member = self.member_model(user_id=user_id, capacity="monitor")
        return visit, member, facility_name


def prepare_visits(world: World) -> tuple[VisitPlan | None, list[str]]:
    """The visit plan when tanu.monitoring's tables are there, else None and a note."""
    visit_model = model_if_ready(
        "monitoring",
        "Visit",
        ("facility", "region", "planned_on", "status", "visited_on", "people_screened"),
    )
    member_model = model_if_ready("monitoring", "VisitMember", ("visit", "user", "capacity"))
    facility_model = model_if_ready("monitoring", "Facility", ("kind", "region", "name_en"))
    if not (visit_model and member_model and facility_model):
        return None, ["monitoring visits skipped: tanu.monitoring's tables are not there"]
    try:
        with transaction.atomic():
            facilities = _facilities(world, facility_model)
    except Exception as exc:  # the app's models changed under us: skip, do not fail
        return None, [f"monitoring visits skipped: {exc.__class__.__name__}: {exc}"]
    return VisitPlan(visit_model, member_model, facilities), []


def _facilities(world: World, facility_model: Any) -> dict[tuple[int, str], list[tuple[int, str]]]:
    from tanu.accounts.models import Region
    from tanu.ops.synthetic.world import REGION_CENTRES

    by_place: dict[tuple[int, str], list[tuple[int, str]]] = {}
    rng = random.Random(7)
    for info in world.regions:
        region = Region.objects.get(pk=info.id)
        _pop, en, ru, kk = REGION_CENTRES.get(
            region.code, (0, region.name_en, region.name_ru, region.name_kk)
        )
        for kind, place, name_en, name_ru, name_kk in _FACILITIES:
            facility, _ = facility_model.objects.get_or_create(
                region=region,
                name_en=name_en.format(en=en),
                defaults={
                    "kind": kind,
                    "name_ru": name_ru.format(ru=ru),
                    "name_kk": name_kk.format(kk=kk),
                    "address": f"{en}, Example Street 99 (fictional)",
                    "capacity": rng.choice((20, 40, 60, 120)),
                },
            )
            by_place.setdefault((info.id, place), []).append((facility.pk, facility.name_ru))
    return by_place


# --- training seminars --------------------------------------------------------------------------

SEMINAR_CITIES = ("almaty", "taraz", "shymkent", "ustkamenogorsk", "petropavlovsk", "aktau")


def make_seminars(world: World, first: date, last: date, n: int, seed: int = 2024) -> list[str]:
    """Seminars in the six seminar cities, about one a year each (fewer for small runs), with
    twenty participants each. Returns notes to print."""
    seminar_model = model_if_ready(
        "training", "Seminar", ("region", "city_ru", "starts_on", "ends_on", "created_by")
    )
    participant_model = model_if_ready(
        "training", "Participant", ("seminar", "full_name", "name_index", "code", "code_index")
    )
    if seminar_model is None:
        return ["seminars skipped: tanu.training's tables are not there"]
    try:
        with transaction.atomic():
            return _seminars(
                seminar_model, participant_model, world, random.Random(seed), first, last, n
            )
    except Exception as exc:  # the app's models changed under us: skip, do not fail
        return [f"seminars skipped: {exc.__class__.__name__}: {exc}"]


def _seminars(
    seminar_model: Any,
    participant_model: Any,
    world: World,
    rng: random.Random,
    first: date,
    last: date,
    n: int,
) -> list[str]:
    from tanu.accounts.demo import CITIES
    from tanu.accounts.models import Agency, Region, User
    from tanu.ops.synthetic.names import NameGenerator

    years = list(range(first.year, last.year + 1))
    wanted = len(years) * len(SEMINAR_CITIES) if n >= 10_000 else min(6, max(1, n // 100))
    names = NameGenerator(random.Random(rng.random()))
    made = participants = 0
    for i in range(wanted):
        city = SEMINAR_CITIES[i % len(SEMINAR_CITIES)]
        year = years[(i // len(SEMINAR_CITIES)) % len(years)]
        code, en, ru, kk = CITIES[city]
        region = Region.objects.get(code=code)
        trainer = User.objects.filter(username=f"trainer.{city}").first()
        if trainer is None:
            continue
        starts = date(year, rng.randint(2, 11), rng.randint(1, 25))
        if starts > last:
            continue
        seminar = seminar_model.objects.create(
            region=region,
            city_kk=kk,
            city_ru=ru,
            city_en=en,
            starts_on=starts,
            ends_on=starts + timedelta(days=2),
            created_by=trainer,
        )
        seminar.trainers.add(trainer)
        made += 1
        if participant_model is None:
            continue
        from tanu.training import codes as training_codes
        from tanu.training.actions import code_index, name_index

        agencies = list(Agency.objects.filter(region=region))
        rows = []
        for _ in range(20):
            identity = names.identity(
                sex=rng.choice(("female", "male")), citizenship="KZ", born=None
            )
            record = names.record(identity)
            full_name = f"{record.family_name} {record.given_name} {record.patronymic}".strip()
            personal = training_codes.new_code(training_codes.PERSONAL_CODE_LENGTH)
            rows.append(
                participant_model(
                    seminar=seminar,
                    full_name=full_name,
                    name_index=name_index(full_name),
                    role=rng.choice(("administrative_police", "criminal_police", "ngo", "other")),
                    agency=rng.choice(agencies) if agencies else None,
                    code=personal,
                    code_index=code_index(personal),
                )
            )
        crypto.bulk_create(participant_model, rows)
        participants += len(rows)
    return [f"{made} seminars with {participants} participants made (no sessions, tests)"]
