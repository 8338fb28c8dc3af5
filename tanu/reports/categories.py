"""The categories statistics use: outcomes, citizenships (typed as free text, mapped to a short
list so that no typed text is ever published), macro-regions and age bands."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OUTCOMES: list[tuple[str, Promise]] = [
    ("presumed_victim", _("presumed victim")),
    ("possible_victim", _("possible victim")),
    ("no_indication", _("no indication")),
]
VICTIM_OUTCOMES = ("presumed_victim", "possible_victim")

# Citizenship as typed -> a country code. Anything else that is not empty is "other".
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "KZ": (
        "kz",
        "kaz",
        "kazakhstan",
        "republic of kazakhstan",
        "казахстан",
        "республика казахстан",
        "рк",
        "қазақстан",
        "қазақстан республикасы",
        "қр",
    ),
    "UZ": ("uz", "uzb", "uzbekistan", "узбекистан", "өзбекстан"),
    "KG": ("kg", "kgz", "kyrgyzstan", "kyrgyz republic", "кыргызстан", "киргизия", "қырғызстан"),
    "TJ": ("tj", "tjk", "tajikistan", "таджикистан", "тәжікстан"),
    "TM": ("tm", "tkm", "turkmenistan", "туркменистан", "түрікменстан"),
    "RU": ("ru", "rus", "russia", "russian federation", "россия", "ресей"),
    "CN": ("cn", "chn", "china", "китай", "қытай"),
    "AF": ("af", "afg", "afghanistan", "афганистан", "ауғанстан"),
    "AZ": ("az", "aze", "azerbaijan", "азербайджан", "әзірбайжан"),
    "UA": ("ua", "ukr", "ukraine", "украина"),
    "MN": ("mn", "mng", "mongolia", "монголия", "моңғолия"),
}
_LOOKUP = {spelling: code for code, spellings in _SPELLINGS.items() for spelling in spellings}
_UNKNOWN = frozenset({"", "-", "—", "?", "unknown", "неизвестно", "не известно", "белгісіз"})
CENTRAL_ASIA = frozenset({"UZ", "KG", "TJ", "TM"})

CITIZENSHIPS: list[tuple[str, Promise]] = [
    ("KZ", _("Kazakhstan")),
    ("UZ", _("Uzbekistan")),
    ("KG", _("Kyrgyzstan")),
    ("TJ", _("Tajikistan")),
    ("TM", _("Turkmenistan")),
    ("RU", _("Russia")),
    ("CN", _("China")),
    ("AF", _("Afghanistan")),
    ("AZ", _("Azerbaijan")),
    ("UA", _("Ukraine")),
    ("MN", _("Mongolia")),
    ("other", _("other country or stateless")),
    ("unknown", _("not known")),
]


def normalise_citizenship(raw: str | None) -> str:
    """A country code from the list above, "other" or "unknown"; never the typed text."""
    value = " ".join((raw or "").strip().lower().split())
    if value in _UNKNOWN:
        return "unknown"
    return _LOOKUP.get(value, "other")


def citizenship_group(code: str) -> str:
    """The first generalisation of a citizenship: KZ, Central Asia, other or unknown."""
    if code in ("KZ", "unknown"):
        return code
    if code in CENTRAL_ASIA:
        return "central_asia"
    return "other"


# The 20 regions and cities of republican significance, in five macro-regions. Astana lies
# inside Akmola Region and is counted with the north; Almaty and Shymkent with the south.
MACRO_REGIONS: dict[str, str] = {
    "KZ-11": "north",  # Akmola
    "KZ-39": "north",  # Kostanay
    "KZ-55": "north",  # Pavlodar
    "KZ-59": "north",  # North Kazakhstan
    "KZ-71": "north",  # Astana
    "KZ-19": "south",  # Almaty Region
    "KZ-31": "south",  # Zhambyl
    "KZ-33": "south",  # Jetisu
    "KZ-43": "south",  # Kyzylorda
    "KZ-61": "south",  # Turkistan
    "KZ-75": "south",  # Almaty
    "KZ-79": "south",  # Shymkent
    "KZ-10": "east",  # Abai
    "KZ-63": "east",  # East Kazakhstan
    "KZ-15": "west",  # Aktobe
    "KZ-23": "west",  # Atyrau
    "KZ-27": "west",  # West Kazakhstan
    "KZ-47": "west",  # Mangystau
    "KZ-35": "centre",  # Karaganda
    "KZ-62": "centre",  # Ulytau
}
MACRO_REGION_LABELS: dict[str, Promise] = {
    "north": _("North Kazakhstan (macro-region)"),
    "south": _("South Kazakhstan (macro-region)"),
    "east": _("East Kazakhstan (macro-region)"),
    "west": _("West Kazakhstan (macro-region)"),
    "centre": _("Central Kazakhstan (macro-region)"),
}


def macro_region(code: str) -> str:
    return MACRO_REGIONS.get(code, "unknown")


AGE_BANDS = ("0-11", "12-17", "18-24", "25-34", "35-49", "50+", "unknown")
_BROAD = {
    "0-11": "0-17",
    "12-17": "0-17",
    "0-17": "0-17",
    "18-24": "18-34",
    "25-34": "18-34",
    "35-49": "35+",
    "50+": "35+",
}


def broad_age_band(band: str) -> str:
    """The first generalisation of an age band: 0-17, 18-34, 35+ or unknown."""
    return _BROAD.get(band, "unknown")
