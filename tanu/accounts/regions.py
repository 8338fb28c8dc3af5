"""Kazakhstan's regions and cities of republican significance (ISO 3166-2:KZ), as reference data."""

from __future__ import annotations

from typing import Any, TypedDict


class RegionRow(TypedDict):
    code: str
    short: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    seminar_city: str


def _r(code: str, short: str, kind: str, en: str, ru: str, kk: str, city: str = "") -> RegionRow:
    return {
        "code": code,
        "short": short,
        "kind": kind,
        "name_en": en,
        "name_ru": ru,
        "name_kk": kk,
        "seminar_city": city,
    }


REGIONS: list[RegionRow] = [
    _r("KZ-71", "AST", "city", "Astana", "Астана", "Астана"),
    _r("KZ-75", "ALM", "city", "Almaty", "Алматы", "Алматы", "almaty"),
    _r("KZ-79", "SHY", "city", "Shymkent", "Шымкент", "Шымкент", "shymkent"),
    _r("KZ-10", "ABA", "region", "Abai Region", "Абайская область", "Абай облысы"),
    _r("KZ-11", "AKM", "region", "Akmola Region", "Акмолинская область", "Ақмола облысы"),
    _r("KZ-15", "AKT", "region", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы"),
    _r("KZ-19", "ALR", "region", "Almaty Region", "Алматинская область", "Алматы облысы"),
    _r("KZ-23", "ATY", "region", "Atyrau Region", "Атырауская область", "Атырау облысы"),
    _r(
        "KZ-27",
        "WKZ",
        "region",
        "West Kazakhstan Region",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
    ),
    _r("KZ-31", "ZHA", "region", "Zhambyl Region", "Жамбылская область", "Жамбыл облысы", "taraz"),
    _r("KZ-33", "JET", "region", "Jetisu Region", "Жетысуская область", "Жетісу облысы"),
    _r("KZ-35", "KAR", "region", "Karaganda Region", "Карагандинская область", "Қарағанды облысы"),
    _r("KZ-39", "KOS", "region", "Kostanay Region", "Костанайская область", "Қостанай облысы"),
    _r("KZ-43", "KZY", "region", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы"),
    _r(
        "KZ-47",
        "MAN",
        "region",
        "Mangystau Region",
        "Мангистауская область",
        "Маңғыстау облысы",
        "aktau",
    ),
    _r(
        "KZ-59",
        "NKZ",
        "region",
        "North Kazakhstan Region",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
        "petropavlovsk",
    ),
    _r("KZ-55", "PAV", "region", "Pavlodar Region", "Павлодарская область", "Павлодар облысы"),
    _r("KZ-61", "TUR", "region", "Turkistan Region", "Туркестанская область", "Түркістан облысы"),
    _r("KZ-62", "ULY", "region", "Ulytau Region", "Улытауская область", "Ұлытау облысы"),
    _r(
        "KZ-63",
        "EKZ",
        "region",
        "East Kazakhstan Region",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        "ustkamenogorsk",
    ),
]


def load_regions(region_model: Any) -> None:
    """Create or refresh the regions (used by the data migration and by tests)."""
    for row in REGIONS:
        region_model.objects.update_or_create(code=row["code"], defaults=dict(row))
