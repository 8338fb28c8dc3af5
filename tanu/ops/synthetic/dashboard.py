"""Synthetic, fictional statistics data, fast: for the benchmark and the tests. Rows are written
in bulk (PostgreSQL: COPY) straight into the tables, bypassing the actions and the audit trail,
so this must only ever run against a scratch or test database."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from tanu.accounts.models import Agency, Region, Role, User
from tanu.cases.models import AgeBand, AnonymousNotification, Case, Person, age_band
from tanu.identification.checklist_files import load_all_data
from tanu.identification.models import Screening
from tanu.lib import crypto
from tanu.referrals.models import Referral, Service, ServiceRecord

OUTCOME_WEIGHTS = (("no_indication", 0.70), ("possible_victim", 0.18), ("presumed_victim", 0.12))
AGE_GROUPS = (("adult", 0.75), ("child", 0.15), ("unknown_maybe_child", 0.05), ("unknown", 0.05))
FORMS = (("labour", 0.6), ("sexual", 0.3), ("unknown", 0.1))
CITIZENSHIPS = (("KZ", 0.7), ("UZ", 0.1), ("KG", 0.06), ("TJ", 0.04), ("RU", 0.03), ("", 0.07))
#: Where each kind of agency screens: the places are far from uniform in real work.
PLACES: dict[str, tuple[tuple[str, float], ...]] = {
    "administrative_police": (("patrol", 0.7), ("border_or_transport", 0.2), ("other", 0.1)),
    "criminal_police": (("patrol", 0.4), ("workplace_inspection", 0.3), ("other", 0.3)),
    "rehab_homeless": (("rehabilitation_centre", 0.9), ("other", 0.1)),
    "juvenile_centre": (("rehabilitation_centre", 0.85), ("detention_facility", 0.15)),
    "ngo": (("hotline", 0.6), ("other", 0.4)),
    "migration_service": (("border_or_transport", 0.7), ("workplace_inspection", 0.3)),
}
#: Bigger cities screen more.
REGION_WEIGHT = {"KZ-75": 6.0, "KZ-71": 4.0, "KZ-79": 3.0, "KZ-19": 2.0, "KZ-61": 2.0}


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    acc = 0.0
    for value, weight in weighted:
        acc += weight
        if r < acc:
            return value
    return weighted[-1][0]


def _codes() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(population, form) -> [(code, dimension, strength)]."""
    result: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for data in load_all_data().values():
        result[(data["population"], data["form"])] = [
            (i["code"], i["dimension"], i["strength"]) for i in data["indicators"]
        ]
    return result


def ensure_agencies(rng: random.Random) -> tuple[list[Agency], User]:
    """An agency of several kinds in every region, and one fictional screener."""
    if not Region.objects.exists():
        from tanu.accounts.regions import load_regions

        load_regions(Region)
    kinds = [
        Agency.Kind.ADMINISTRATIVE_POLICE,
        Agency.Kind.CRIMINAL_POLICE,
        Agency.Kind.REHAB_HOMELESS,
        Agency.Kind.JUVENILE_CENTRE,
        Agency.Kind.NGO,
        Agency.Kind.MIGRATION_SERVICE,
    ]
    agencies = []
    for region in Region.objects.order_by("code"):
        for kind in kinds:
            agency, _created = Agency.objects.get_or_create(
                region=region,
                kind=kind,
                name_en=f"Synthetic {kind} {region.short}",
                defaults={"name_ru": f"Синт. {kind} {region.short}", "name_kk": f"Синт. {kind}"},
            )
            agencies.append(agency)
    agencies = list(Agency.objects.filter(pk__in=[a.pk for a in agencies]).select_related("region"))
    user, _created = User.objects.get_or_create(
        username="synthetic.screener",
        defaults={"role": Role.SCREENER, "agency": agencies[0], "is_active": False},
    )
    return agencies, user


def _screening_values(
    rng: random.Random,
    codes: dict[tuple[str, str], list[tuple[str, str, str]]],
    start: date,
    days: int,
    kind: str = "administrative_police",
) -> dict[str, Any]:
    group = _pick(rng, AGE_GROUPS)
    form = _pick(rng, FORMS)
    outcome = _pick(rng, OUTCOME_WEIGHTS)
    population = "child" if group in ("child", "unknown_maybe_child") else "adult"
    indicators = codes.get((population, form if form != "unknown" else "labour"), [])
    share = {"no_indication": 0.03, "possible_victim": 0.12, "presumed_victim": 0.25}[outcome]
    answers: dict[str, str] = {}
    strong: dict[str, int] = {}
    for code, dimension, strength in indicators:
        r = rng.random()
        if r < share:
            answers[code] = "observed"
            if strength == "strong":
                strong[dimension] = strong.get(dimension, 0) + 1
        elif r < share + 0.25:
            answers[code] = "not_observed"
    years = rng.randint(8, 17) if population == "child" else rng.randint(18, 64)
    return {
        "age_group": group,
        "age_years": years if rng.random() < 0.8 else None,
        "form": form,
        "outcome": outcome,
        "threshold_met": outcome == "presumed_victim",
        "answers": answers,
        "result": {"dimensions": {d: {"strong": n} for d, n in strong.items()}},
        "screened_on": start + timedelta(days=rng.randrange(days)),
        "place": _pick(rng, PLACES.get(kind, (("other", 1.0),))),
    }


def _copy_screenings(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY: much faster than INSERT for a million rows."""
    columns = [
        "reference",
        "agency_id",
        "region_id",
        "created_by_id",
        "created_at",
        "updated_at",
        "screened_on",
        "source",
        "place",
        "facility_name",
        "interview_language",
        "interpreter_used",
        "age_group",
        "age_years",
        "form",
        "answers",
        "result",
        "outcome",
        "threshold_met",
        "judgement",
        "notes",
        "status",
        "revision",
        "finalised_at",
    ]
    raw = connection.connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {Screening._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _screening_row(values: dict[str, Any], agency: Agency, user: User) -> dict[str, Any]:
    # Entered and finalised on the day of the screening, as in real work.
    at = timezone.make_aware(datetime.combine(values["screened_on"], time(10)))
    return {
        "reference": f"SYN-{uuid.uuid4().hex[:20]}",
        "agency_id": agency.pk,
        "region_id": agency.region_id,
        "created_by_id": user.pk,
        "created_at": at,
        "updated_at": at,
        "screened_on": values["screened_on"],
        "source": "paper",
        "place": values["place"],
        "facility_name": "",
        "interview_language": "ru",
        "interpreter_used": False,
        "age_group": values["age_group"],
        "age_years": values["age_years"],
        "form": values["form"],
        "answers": json.dumps(values["answers"]),
        "result": json.dumps(values["result"]),
        "outcome": values["outcome"],
        "threshold_met": values["threshold_met"],
        "judgement": "agree",
        "notes": "",
        "status": "final",
        "revision": 1,
        "finalised_at": at,
    }


def fill(
    n: int,
    *,
    seed: int = 2024,
    start: date = date(2024, 1, 1),
    days: int = 730,
    case_share: float = 0.04,
    batch: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``n`` fictional finalised screenings (and a few cases, referrals, services and
    anonymous notifications) to the configured database. Returns the screenings added."""
    rng = random.Random(seed)
    agencies, user = ensure_agencies(rng)
    codes = _codes()
    postgres = connection.vendor == "postgresql"
    done = 0
    weights = [REGION_WEIGHT.get(a.region.code, 1.0) for a in agencies]
    while done < n:
        size = min(batch, n - done)
        rows = []
        for agency in rng.choices(agencies, weights=weights, k=size):
            values = _screening_values(rng, codes, start, days, agency.kind)
            rows.append(_screening_row(values, agency, user))
        if postgres:
            connection.ensure_connection()
            _copy_screenings(rows)
        else:
            Screening.objects.bulk_create(
                [
                    Screening(
                        **{
                            **row,
                            "answers": json.loads(row["answers"]),
                            "result": json.loads(row["result"]),
                        }
                    )
                    for row in rows
                ],
                batch_size=1000,
            )
        done += size
        if progress is not None:
            progress(done, n)
    _add_cases(rng, user, int(n * case_share))
    return done


def _add_cases(rng: random.Random, user: User, count: int) -> None:
    """Cases (with fictional persons), referrals, services and notifications for a share of the
    victims' screenings."""
    if count <= 0:
        return
    candidates = list(
        Screening.objects.filter(
            status="final",
            case__isnull=True,
            outcome__in=("presumed_victim", "possible_victim"),
            reference__startswith="SYN-",
        )
        .order_by("?" if count < 1000 else "pk")
        .values_list(
            "pk",
            "agency_id",
            "region_id",
            "form",
            "outcome",
            "age_group",
            "age_years",
            "screened_on",
        )[: count * 2]
    )
    rng.shuffle(candidates)
    services = _services(rng)
    now = timezone.now()
    for chunk_start in range(0, min(count, len(candidates)), 2000):
        chunk = candidates[chunk_start : min(count, chunk_start + 2000)]
        persons = [
            Person(
                sex=_pick(
                    rng, (("female", 0.55), ("male", 0.43), ("other", 0.01), ("unknown", 0.01))
                ),
                citizenship=_pick(rng, CITIZENSHIPS),
                age_band=age_band(years) if years is not None else AgeBand.UNKNOWN,
                estimated_age=years,
            )
            for (_pk, _a, _r, _f, _o, _g, years, _d) in chunk
        ]
        # Encrypted values are bound to their row: crypto.bulk_create seals them once the ids exist.
        crypto.bulk_create(Person, persons, batch_size=1000)
        cases = [
            Case(
                number=f"SYN-{uuid.uuid4().hex[:20]}",
                person=person,
                agency_id=agency_id,
                region_id=region_id,
                created_by=user,
                created_at=timezone.make_aware(datetime.combine(day, datetime.min.time()))
                + timedelta(hours=rng.randint(9, 17)),
                outcome=outcome,
                form=form,
                is_child=group in ("child", "unknown_maybe_child"),
            )
            for person, (_pk, agency_id, region_id, form, outcome, group, _y, day) in zip(
                persons, chunk, strict=True
            )
        ]
        Case.objects.bulk_create(cases, batch_size=1000)
        Screening.objects.bulk_update(
            [Screening(pk=row[0], case=case) for case, row in zip(cases, chunk, strict=True)],
            ["case"],
            batch_size=500,
        )
        referrals = []
        for case in cases:
            if services and rng.random() < 0.7:
                referrals.append(
                    Referral(
                        case=case,
                        service=rng.choice(services),
                        from_agency_id=case.agency_id,
                        created_by=user,
                        created_at=case.created_at + timedelta(days=rng.randint(0, 20)),
                        purpose="synthetic",
                        due_date=(case.created_at + timedelta(days=30)).date(),
                    )
                )
        crypto.bulk_create(Referral, referrals, batch_size=1000)
        ServiceRecord.objects.bulk_create(
            [
                ServiceRecord(
                    referral=referral,
                    agency_id=referral.from_agency_id,
                    recorded_by=user,
                    recorded_at=now,
                    given_on=(referral.created_at + timedelta(days=rng.randint(0, 30))).date(),
                    kind=referral.service.kind,
                )
                for referral in referrals
                if rng.random() < 0.6
            ],
            batch_size=1000,
        )
    AnonymousNotification.objects.bulk_create(
        [
            AnonymousNotification(
                region_id=row[2],
                agency_id=row[1],
                recorded_by=user,
                recorded_at=timezone.make_aware(datetime.combine(row[7], datetime.min.time())),
                sex=_pick(rng, (("female", 0.5), ("male", 0.5))),
                age_band=age_band(row[6]),
                citizenship=_pick(rng, CITIZENSHIPS),
                form=row[3],
                outcome=row[4],
            )
            for row in candidates[count : count + count // 4]
            if row[5] in ("adult", "unknown")
        ],
        batch_size=1000,
    )


def _services(rng: random.Random) -> list[Service]:
    services = list(Service.objects.filter(name_en__startswith="Synthetic"))
    if services:
        return services
    for region in Region.objects.order_by("code")[:20]:
        for kind in (Service.Kind.SHELTER, Service.Kind.LEGAL_AID, Service.Kind.MEDICAL):
            services.append(
                Service.objects.create(
                    name_en=f"Synthetic {kind} {region.short}",
                    name_ru=f"Синт. {kind} {region.short}",
                    name_kk=f"Синт. {kind} {region.short}",
                    kind=kind,
                    region=region,
                )
            )
    return services
