"""Demo agencies and users for the six seminar cities. Loaded only in demo mode."""

from __future__ import annotations

from django.db import transaction

from tanu.accounts.models import Agency, Region, Role, User

DEMO_PASSWORD = "tanu-demo"

# city key -> (region code, English city name, Russian, Kazakh)
CITIES: dict[str, tuple[str, str, str, str]] = {
    "almaty": ("KZ-75", "Almaty", "Алматы", "Алматы"),
    "taraz": ("KZ-31", "Taraz", "Тараз", "Тараз"),
    "shymkent": ("KZ-79", "Shymkent", "Шымкент", "Шымкент"),
    "ustkamenogorsk": ("KZ-63", "Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен"),
    "petropavlovsk": ("KZ-59", "Petropavlovsk", "Петропавловск", "Петропавл"),
    "aktau": ("KZ-47", "Aktau", "Актау", "Ақтау"),
}

# agency key -> (kind, English, Russian, Kazakh) name templates; {en}/{ru}/{kk} is the city.
AGENCIES: dict[str, tuple[str, str, str, str]] = {
    "admin_police": (
        Agency.Kind.ADMINISTRATIVE_POLICE,
        "{en} City Police, Administrative Police Unit",
        "Управление административной полиции ДП г. {ru}",
        "{kk} қ. ПД әкімшілік полиция басқармасы",
    ),
    "criminal_police": (
        Agency.Kind.CRIMINAL_POLICE,
        "{en} City Police, Criminal Police Unit",
        "Управление криминальной полиции ДП г. {ru}",
        "{kk} қ. ПД криминалдық полиция басқармасы",
    ),
    "migration": (
        Agency.Kind.MIGRATION_SERVICE,
        "{en} Migration Service",
        "Управление миграционной службы г. {ru}",
        "{kk} қ. көші-қон қызметі басқармасы",
    ),
    "rehab_homeless": (
        Agency.Kind.REHAB_HOMELESS,
        "{en} Centre for the Social Adaptation of Homeless People",
        "Центр социальной адаптации лиц без определённого места жительства г. {ru}",
        "{kk} қ. белгілі бір тұрғылықты жері жоқ адамдарды әлеуметтік бейімдеу орталығы",
    ),
    "juvenile_centre": (
        Agency.Kind.JUVENILE_CENTRE,
        "{en} Centre for the Adaptation of Minors",
        "Центр адаптации несовершеннолетних г. {ru}",
        "{kk} қ. кәмелетке толмағандарды бейімдеу орталығы",
    ),
    "ngo": (
        Agency.Kind.NGO,
        "{en} Legal Aid and Crisis Support (NGO)",
        "ОФ «Правовая и кризисная помощь», г. {ru}",
        "«Құқықтық және дағдарыстық көмек» ҚҚ, {kk} қ.",
    ),
    "shelter": (
        Agency.Kind.SHELTER,
        "{en} Shelter for Victims of Trafficking",
        "Приют для жертв торговли людьми г. {ru}",
        "{kk} қ. адам саудасының құрбандарына арналған баспана",
    ),
    "social_protection": (
        Agency.Kind.SOCIAL_PROTECTION,
        "{en} Department of Employment and Social Protection",
        "Управление занятости и социальной защиты г. {ru}",
        "{kk} қ. жұмыспен қамту және әлеуметтік қорғау басқармасы",
    ),
}

# role -> (username prefix, agency key)
ROLE_HOMES: dict[str, tuple[str, str]] = {
    Role.SCREENER: ("screener", "admin_police"),
    Role.CASE_WORKER: ("caseworker", "shelter"),
    Role.COORDINATOR: ("coordinator", "criminal_police"),
    Role.MONITOR: ("monitor", "ngo"),
    Role.TRAINER: ("trainer", "ngo"),
    Role.ANALYST: ("analyst", "social_protection"),
    Role.ADMINISTRATOR: ("admin", "social_protection"),
    Role.INVESTIGATOR: ("investigator", "criminal_police"),
}
# Every role in at least two cities; case roles in all six.
ROLE_CITIES: dict[str, tuple[str, ...]] = {
    Role.SCREENER: tuple(CITIES),
    Role.CASE_WORKER: tuple(CITIES),
    Role.COORDINATOR: tuple(CITIES),
    Role.MONITOR: tuple(CITIES),
    Role.TRAINER: tuple(CITIES),
    Role.ANALYST: ("almaty", "aktau"),
    Role.ADMINISTRATOR: ("almaty", "aktau"),
    # Almaty's investigates the canary's case (tanu.proceedings.demo); Shymkent's sees none of it.
    Role.INVESTIGATOR: ("almaty", "shymkent"),
}


# Two national administrators at the ministry: one imports a checklist version, the other
# approves it (tanu.identification.checklist_versions).
NATIONAL_ADMINS = ("national.admin", "national.admin2")


def agency_for(city: str, key: str) -> Agency:
    region_code, en, ru, kk = CITIES[city]
    kind, name_en, name_ru, name_kk = AGENCIES[key]
    agency, _ = Agency.objects.update_or_create(
        region=Region.objects.get(code=region_code),
        kind=kind,
        name_en=name_en.format(en=en),
        defaults={"name_ru": name_ru.format(ru=ru), "name_kk": name_kk.format(kk=kk)},
    )
    return agency


def _user(username: str, role: str, agency: Agency | None, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "agency": agency, **extra}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.role = role
    user.agency = agency
    user.is_active = True
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    return user


def demo_usernames() -> list[str]:
    names = [
        f"{prefix}.{city}"
        for role, (prefix, _key) in ROLE_HOMES.items()
        for city in ROLE_CITIES[role]
    ]
    return [
        *names,
        "analyst",
        "admin",
        "screener2.almaty",
        "caseworker2.almaty",
        *NATIONAL_ADMINS,
    ]


@transaction.atomic
def load() -> list[str]:
    """Create (or refresh) the demo agencies and users. Idempotent."""
    for city in CITIES:
        for key in AGENCIES:
            agency_for(city, key)
    ministry, _ = Agency.objects.update_or_create(
        kind=Agency.Kind.MINISTRY,
        name_en="Ministry of Internal Affairs, Department for Countering Trafficking",
        defaults={
            "region": Region.objects.get(code="KZ-71"),
            "name_ru": "МВД РК, подразделение по противодействию торговле людьми",
            "name_kk": "ҚР ІІМ, адам саудасына қарсы іс-қимыл бөлімшесі",
        },
    )
    for role, (prefix, key) in ROLE_HOMES.items():
        for city in ROLE_CITIES[role]:
            # City administrators work in tanu's pages; only `admin` is also the technical
            # superuser who may open the Django admin.
            _user(f"{prefix}.{city}", role, agency_for(city, key))
    _user("analyst", Role.ANALYST, ministry)
    _user("admin", Role.ADMINISTRATOR, ministry, is_staff=True, is_superuser=True)
    # A second screener and case worker in Almaty, at other agencies, for need-to-know checks.
    _user("screener2.almaty", Role.SCREENER, agency_for("almaty", "rehab_homeless"))
    _user("caseworker2.almaty", Role.CASE_WORKER, agency_for("almaty", "ngo"))
    for username in NATIONAL_ADMINS:
        _user(username, Role.NATIONAL_ADMIN, ministry)
    return demo_usernames()
