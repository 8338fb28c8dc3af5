"""Demo service directory for the six seminar cities, plus national services in Astana.

Every phone number, address and email here is fictional (example.kz, +7 700 000 …). Idempotent:
services are matched by region and English name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from tanu.accounts.demo import CITIES, agency_for
from tanu.accounts.models import Region
from tanu.referrals.models import MINIMUM_FIELDS, Referral, Service

if TYPE_CHECKING:
    from tanu.cases.models import Case

K = Service.Kind
ASTANA = "KZ-71"
OFFICE_HOURS = "Mon–Fri 9:00–18:00"
CONSULAR_HOURS = "Mon–Fri 9:30–17:00"


def _offers(hours: str, *, languages: str = "kk,ru", **more: Any) -> dict[str, Any]:
    """A demo service's hours and languages; it takes children unless ``more`` says otherwise."""
    return {"accepts_children": True, "languages": languages, "hours": hours, **more}


# key -> kind, agency key (None: outside tanu), English, Russian, Kazakh name templates, options.
CITY_SERVICES: list[tuple[str, str, str | None, str, str, str, dict[str, Any]]] = [
    (
        "shelter",
        K.SHELTER,
        "shelter",
        "{en} Shelter for Victims of Trafficking",
        "Приют для жертв торговли людьми г. {ru}",
        "{kk} қ. адам саудасының құрбандарына арналған баспана",
        _offers(
            "24/7",
            accepts_adults=True,
            accepts_children=False,
            accepts_women=True,
            accepts_men=False,
            accepts_foreigners=True,
            capacity=20,
        ),
    ),
    (
        "legal",
        K.LEGAL_AID,
        "ngo",
        "{en} Legal Aid and Crisis Support (NGO): legal aid",
        "ОФ «Правовая и кризисная помощь», г. {ru}: юридическая помощь",
        "«Құқықтық және дағдарыстық көмек» ҚҚ, {kk} қ.: заң көмегі",
        _offers(OFFICE_HOURS, languages="kk,ru,en"),
    ),
    (
        "psychological",
        K.PSYCHOLOGICAL,
        "ngo",
        "{en} Legal Aid and Crisis Support (NGO): crisis counselling",
        "ОФ «Правовая и кризисная помощь», г. {ru}: кризисная психологическая помощь",
        "«Құқықтық және дағдарыстық көмек» ҚҚ, {kk} қ.: дағдарыстық психологиялық көмек",
        _offers("Mon–Sat 9:00–20:00"),
    ),
    (
        "special_social",
        K.SPECIAL_SOCIAL_SERVICES,
        "social_protection",
        "{en} Centre for Special Social Services",
        "Центр оказания специальных социальных услуг г. {ru}",
        "{kk} қ. арнаулы әлеуметтік қызметтер көрсету орталығы",
        _offers(OFFICE_HOURS),
    ),
    (
        "child_protection",
        K.CHILD_PROTECTION,
        None,
        "{en} Education Department, Guardianship and Custody Unit",
        "Отдел опеки и попечительства управления образования г. {ru}",
        "{kk} қ. білім басқармасының қорғаншылық және қамқоршылық бөлімі",
        _offers(OFFICE_HOURS, accepts_adults=False),
    ),
    (
        "police",
        K.POLICE_INVESTIGATION,
        "criminal_police",
        "{en} City Police, Criminal Police Unit: trafficking investigations",
        "Управление криминальной полиции ДП г. {ru}: расследование торговли людьми",
        "{kk} қ. ПД криминалдық полиция басқармасы: адам саудасын тергеу",
        _offers("24/7"),
    ),
    (
        "migration",
        K.MIGRATION_SERVICE,
        "migration",
        "{en} Migration Service",
        "Управление миграционной службы г. {ru}",
        "{kk} қ. көші-қон қызметі басқармасы",
        _offers(OFFICE_HOURS),
    ),
    (
        "medical",
        K.MEDICAL,
        None,
        "{en} City Clinical Hospital",
        "Городская клиническая больница г. {ru}",
        "{kk} қ. қалалық клиникалық ауруханасы",
        _offers("24/7 (emergency)"),
    ),
]

# Astana: national services, outside tanu.
NATIONAL_SERVICES: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    (
        "hotline",
        K.HOTLINE,
        "National Hotline on Human Trafficking (demo)",
        "Национальная горячая линия по вопросам торговли людьми (демо)",
        "Адам саудасы мәселелері бойынша ұлттық сенім телефоны (демо)",
        _offers("24/7", languages="kk,ru,en", phone="+7 700 000 99 99", address=""),
    ),
    (
        "consulate_uz",
        K.CONSULATE,
        "Embassy of the Republic of Uzbekistan, Consular Section",
        "Посольство Республики Узбекистан, консульский отдел",
        "Өзбекстан Республикасының Елшілігі, консулдық бөлім",
        _offers(CONSULAR_HOURS, languages="uz,ru"),
    ),
    (
        "consulate_kg",
        K.CONSULATE,
        "Embassy of the Kyrgyz Republic, Consular Section",
        "Посольство Кыргызской Республики, консульский отдел",
        "Қырғыз Республикасының Елшілігі, консулдық бөлім",
        _offers(CONSULAR_HOURS, languages="ky,ru"),
    ),
    (
        "consulate_tj",
        K.CONSULATE,
        "Embassy of the Republic of Tajikistan, Consular Section",
        "Посольство Республики Таджикистан, консульский отдел",
        "Тәжікстан Республикасының Елшілігі, консулдық бөлім",
        _offers(CONSULAR_HOURS, languages="tg,ru"),
    ),
]


def _save(region: Region, name_en: str, values: dict[str, Any]) -> bool:
    service = Service.objects.filter(region=region, name_en=name_en).first()
    if service is None:
        Service.objects.create(region=region, name_en=name_en, **values)
        return True
    changed = [name for name, value in values.items() if getattr(service, name) != value]
    if changed:
        for name in changed:
            setattr(service, name, values[name])
        service.save(update_fields=changed)
    return False


@transaction.atomic
def load() -> list[str]:
    """Create (or refresh) the demo services. Needs the demo agencies (tanu.accounts.demo)."""
    created = total = 0
    for city, (code, en, ru, kk) in CITIES.items():
        region = Region.objects.get(code=code)
        slug = en.lower().replace("-", "")
        for number, (
            key,
            kind,
            agency_key,
            name_en,
            name_ru,
            name_kk,
            options,
        ) in enumerate(CITY_SERVICES, start=1):
            values: dict[str, Any] = {
                "kind": kind,
                "name_ru": name_ru.format(ru=ru),
                "name_kk": name_kk.format(kk=kk),
                "agency": agency_for(city, agency_key) if agency_key else None,
                "address": f"{en}, Example Street {number} (fictional)",
                "phone": f"+7 700 000 {list(CITIES).index(city) + 1:02d} {number + 10:02d}",
                "email": f"{key.replace('_', '-')}.{slug}@example.kz",
                "forms": "labour,sexual",
                "is_active": True,
                **options,
            }
            created += _save(region, name_en.format(en=en), values)
            total += 1
    astana = Region.objects.get(code=ASTANA)
    for number, (key, kind, name_en, name_ru, name_kk, options) in enumerate(NATIONAL_SERVICES):
        values = {
            "kind": kind,
            "name_ru": name_ru,
            "name_kk": name_kk,
            "agency": None,
            "address": f"Astana, Example Avenue {number + 1} (fictional)",
            "phone": f"+7 700 000 99 {number:02d}",
            "email": f"{key.replace('_', '-')}@example.kz",
            "forms": "labour,sexual",
            "is_active": True,
            "accepts_foreigners": True,
            **options,
        }
        created += _save(astana, name_en, values)
        total += 1
    return [f"{total} services ({created} new)"]


CANARY_REFERRAL_PURPOSE = "Legal aid: advice on a claim for unpaid wages (demo)"
CANARY_REFERRAL_FIELDS = ["name", "documents", "contacts"]


def load_canary() -> list[str]:
    """Runs after the cases' demo loader: the canary's case gets its referral."""
    from tanu.cases.demo import canary_case

    case = canary_case()
    if case is None:
        return ["canary case missing: no canary referral"]
    return load_canary_referral(case)


def load_canary_referral(case: Case) -> list[str]:
    """The canary's case referred to the Almaty legal-aid NGO, under a referral consent that names
    that service and covers name, documents and contacts: the rules of sharing, to be seen at work
    (masked until revealed, then gone once the referral ends). Idempotent."""
    from tanu.accounts.models import User
    from tanu.cases import actions as case_actions
    from tanu.referrals import actions

    code, en, _ru, _kk = CITIES["almaty"]
    service = Service.objects.get(
        region__code=code, name_en=f"{en} Legal Aid and Crisis Support (NGO): legal aid"
    )
    if Referral.objects.filter(case=case, service=service).exists():
        return ["canary referral already present"]
    screener = User.objects.get(username="screener.almaty")
    with transaction.atomic():
        consent = case_actions.do_record_consent(
            case,
            actor=screener,
            purpose="referral",
            given=True,
            basis="person",
            language="kk",
            interpreter_used=False,
            service=service,
            shared_fields=[*MINIMUM_FIELDS, *CANARY_REFERRAL_FIELDS],
        )
        referral = actions.do_send_referral(
            case,
            actor=screener,
            service=service,
            purpose=CANARY_REFERRAL_PURPOSE,
            urgency="routine",
            shared_fields=[*MINIMUM_FIELDS, *CANARY_REFERRAL_FIELDS],
            consent=consent,
        )
    return [f"canary referral #{referral.pk} to {service.name_en}"]
