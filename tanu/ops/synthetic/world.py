"""The world synthetic records happen in: regions, agencies, officials and services in all twenty
regions (the demo ones in the six seminar cities, the same kinds of agency in every other region
centre), made once before the batches (idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tanu.accounts.models import Agency, Region, Role, User
from tanu.identification import catalogue
from tanu.referrals.models import Service

Out = Callable[[str], None]

# --- the country ------------------------------------------------------------------------------

# Region code -> (population in thousands, about 2024; centre in English, Russian, Kazakh).
REGION_CENTRES: dict[str, tuple[int, str, str, str]] = {
    "KZ-75": (2230, "Almaty", "Алматы", "Алматы"),
    "KZ-71": (1420, "Astana", "Астана", "Астана"),
    "KZ-79": (1230, "Shymkent", "Шымкент", "Шымкент"),
    "KZ-61": (2110, "Turkistan", "Туркестан", "Түркістан"),
    "KZ-19": (1530, "Konaev", "Конаев", "Қонаев"),
    "KZ-31": (1220, "Taraz", "Тараз", "Тараз"),
    "KZ-35": (1130, "Karaganda", "Караганда", "Қарағанды"),
    "KZ-15": (930, "Aktobe", "Актобе", "Ақтөбе"),
    "KZ-39": (830, "Kostanay", "Костанай", "Қостанай"),
    "KZ-43": (830, "Kyzylorda", "Кызылорда", "Қызылорда"),
    "KZ-11": (790, "Kokshetau", "Кокшетау", "Көкшетау"),
    "KZ-47": (780, "Aktau", "Актау", "Ақтау"),
    "KZ-55": (750, "Pavlodar", "Павлодар", "Павлодар"),
    "KZ-63": (730, "Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен"),
    "KZ-23": (700, "Atyrau", "Атырау", "Атырау"),
    "KZ-33": (700, "Taldykorgan", "Талдыкорган", "Талдықорған"),
    "KZ-27": (690, "Oral", "Уральск", "Орал"),
    "KZ-10": (600, "Semey", "Семей", "Семей"),
    "KZ-59": (530, "Petropavlovsk", "Петропавловск", "Петропавл"),
    "KZ-62": (220, "Zhezkazgan", "Жезказган", "Жезқазған"),
}

# Agency key (as in tanu.accounts.demo.AGENCIES) -> role of the officials who screen or receive
# referrals there (each agency's share of a region's screenings is in screenings.py).
AGENCY_ROLES: dict[str, str] = {
    "admin_police": Role.SCREENER,
    "criminal_police": Role.SCREENER,
    "migration": Role.SCREENER,
    "rehab_homeless": Role.SCREENER,
    "juvenile_centre": Role.SCREENER,
    "ngo": Role.MONITOR,
    "shelter": Role.CASE_WORKER,
    "social_protection": Role.CASE_WORKER,
}


# --- the world: agencies, officials, services ------------------------------------------------


@dataclass
class AgencyInfo:
    id: int
    key: str
    kind: str
    user_id: int


@dataclass
class ServiceInfo:
    id: int
    kind: str
    agency_id: int | None
    name: str
    accepts_men: bool
    accepts_children: bool
    accepts_adults: bool


@dataclass
class RegionInfo:
    id: int
    code: str
    short: str
    weight: float
    city_ru: str
    agencies: dict[str, AgencyInfo] = field(default_factory=dict)
    services: list[ServiceInfo] = field(default_factory=list)


@dataclass
class World:
    regions: list[RegionInfo]
    national: list[ServiceInfo]
    user_agency: dict[int, int]  # user id -> agency id


def _centre_agency(region: Region, key: str, names: tuple[str, str, str]) -> Agency:
    from tanu.accounts.demo import AGENCIES

    en, ru, kk = names
    kind, name_en, name_ru, name_kk = AGENCIES[key]
    agency, _ = Agency.objects.update_or_create(
        region=region,
        kind=kind,
        name_en=name_en.format(en=en),
        defaults={"name_ru": name_ru.format(ru=ru), "name_kk": name_kk.format(kk=kk)},
    )
    return agency


def _official(agency: Agency, key: str, region: Region) -> User:
    role = AGENCY_ROLES[key]
    existing = (
        User.objects.filter(agency=agency, role=role, is_active=True)
        .exclude(username__startswith="loadtest.")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    user, _ = User.objects.get_or_create(
        username=f"synth.{key}.{region.short.lower()}",
        defaults={"role": role, "agency": agency, "password": make_password(None)},
    )
    return user


def _centre_services(region: Region, names: tuple[str, str, str], agencies: dict[str, Agency]):
    from tanu.referrals.demo import CITY_SERVICES

    en, ru, kk = names
    for number, (key, kind, agency_key, name_en, name_ru, name_kk, options) in enumerate(
        CITY_SERVICES, start=1
    ):
        Service.objects.get_or_create(
            region=region,
            name_en=name_en.format(en=en),
            defaults={
                "kind": kind,
                "name_ru": name_ru.format(ru=ru),
                "name_kk": name_kk.format(kk=kk),
                "agency": agencies[agency_key] if agency_key else None,
                "address": f"{en}, Example Street {number} (fictional)",
                "phone": "+7 700 000 00 00",
                "email": f"{key.replace('_', '-')}.{region.short.lower()}@example.kz",
                "forms": "labour,sexual",
                **options,
            },
        )


def _service_info(service: Service) -> ServiceInfo:
    return ServiceInfo(
        id=service.pk,
        kind=service.kind,
        agency_id=service.agency_id,
        name=service.name_ru,
        accepts_men=service.accepts_men,
        accepts_children=service.accepts_children,
        accepts_adults=service.accepts_adults,
    )


@transaction.atomic
def prepare_world(out: Out) -> World:
    """Regions, agencies, officials and services for every region (idempotent). Loads the demo
    accounts and services first when they are missing."""
    from tanu.accounts import demo as accounts_demo
    from tanu.accounts.regions import load_regions
    from tanu.referrals import demo as referrals_demo

    if not Region.objects.exists():
        load_regions(Region)
    if not User.objects.filter(username="screener.almaty").exists():
        out("synth: loading the demo accounts first")
        accounts_demo.load()
    if not Service.objects.filter(region__code="KZ-75").exists():
        referrals_demo.load()
    catalogue.current_versions()
    demo_city = {code: city for city, (code, *_rest) in accounts_demo.CITIES.items()}
    regions: list[RegionInfo] = []
    user_agency: dict[int, int] = {}
    for region in Region.objects.order_by("code"):
        population, en, ru, kk = REGION_CENTRES.get(region.code, (300, region.name_en, "", ""))
        names = (en, ru or region.name_ru, kk or region.name_kk)
        agencies: dict[str, Agency] = {}
        for key in accounts_demo.AGENCIES:
            if region.code in demo_city:
                agencies[key] = accounts_demo.agency_for(demo_city[region.code], key)
            else:
                agencies[key] = _centre_agency(region, key, names)
        if region.code not in demo_city:
            _centre_services(region, names, agencies)
        info = RegionInfo(region.pk, region.code, region.short, float(population), names[1])
        for key, agency in agencies.items():
            user = _official(agency, key, region)
            info.agencies[key] = AgencyInfo(agency.pk, key, agency.kind, user.pk)
            user_agency[user.pk] = agency.pk
        info.services = [
            _service_info(s)
            for s in Service.objects.filter(region=region, is_active=True).order_by("pk")
            if s.kind not in ("consulate", "hotline")
        ]
        regions.append(info)
    national = [
        _service_info(s)
        for s in Service.objects.filter(is_active=True, kind__in=("consulate", "hotline"))
    ]
    return World(regions=regions, national=national, user_agency=user_agency)
