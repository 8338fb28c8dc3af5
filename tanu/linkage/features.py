"""The comparison features of one person: spelling-independent keys, never shown, never stored.

A feature row holds what record linkage compares: the phonetic keys of the names
(:mod:`tanu.lib.translit`, so that Әйгерім, Айгерим, AIGERIM and Äigerım are one key), the
date of birth split into its parts (or a birth year estimated from the age), sex, citizenship,
region and normalised document numbers. Rows live only in memory, for the length of a run.

``plain=True`` builds the same row from the raw names (case-folded, nothing else): what a
record linkage without transliteration would compare. The benchmark uses it as the baseline.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from tanu.lib.crypto import normalise_document
from tanu.lib.translit import name_key, name_tokens

__all__ = ["COLUMNS", "PersonValues", "feature_row", "patronymic_root"]

#: The columns of a feature row, in order (the model's input columns).
COLUMNS = (
    "unique_id",
    "family",
    "given",
    "patronymic",
    "father",
    "names",
    "dob",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "citizenship",
    "region",
    "documents",
)

# Patronymic endings, as keys (Ержанович → erjanoviç, Ержановна, Ержанұлы → erjanuli,
# Ержанқызы → erjankizi): what is left is the father's name, written either way.
_PATRONYMIC_ENDINGS = ("oviçna", "eviçna", "oviç", "eviç", "ovna", "evna", "ični", "uli", "kizi")


@dataclass(frozen=True)
class PersonValues:
    """The decrypted values of one person that linkage compares (held in memory only)."""

    person_id: int
    family_name: str
    given_name: str
    patronymic: str
    other_names: str
    date_of_birth: str
    estimated_age: int | None
    reference_year: int  # the year the estimated age was recorded in
    sex: str
    citizenship: str
    region: str
    documents: list[Any]


def patronymic_root(key: str) -> str:
    """The father's name in a patronymic key: Russian and Kazakh forms give the same root."""
    for ending in _PATRONYMIC_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 2:
            return key[: -len(ending)]
    return key


def _plain(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def _document(number: str) -> str:
    """A document number normalised; a Kazakh passport's N typed as the Cyrillic Н (which the
    normaliser reads as the H it looks like) is an N again: no document number is H + digits."""
    text = normalise_document(number)
    if text[:1] == "H" and text[1:].isdigit():
        return "N" + text[1:]
    return text


def _date_parts(text: str) -> tuple[str | None, int | None, int | None, int | None]:
    try:
        born = date.fromisoformat(text.strip())
    except ValueError:
        return None, None, None, None
    return born.isoformat(), born.year, born.month, born.day


def feature_row(values: PersonValues, *, plain: bool = False) -> dict[str, Any]:
    """The comparison features of one person (empty values are None: unknown, not different)."""
    key = _plain if plain else name_key
    family = key(values.family_name) or None
    given = key(values.given_name) or None
    patronymic = key(values.patronymic) or None
    father = patronymic if plain or patronymic is None else patronymic_root(patronymic)
    texts = (values.family_name, values.given_name, values.other_names)
    if plain:
        names = sorted({p for t in texts for p in _plain(t).replace(";", " ").split()})
    else:
        names = sorted({token for text in texts for token in name_tokens(text)})
    dob, year, month, day = _date_parts(values.date_of_birth or "")
    if year is None and values.estimated_age is not None:
        year = values.reference_year - values.estimated_age
    documents = sorted(
        {
            _document(str(d.get("number", "")))
            for d in values.documents or []
            if isinstance(d, dict) and str(d.get("number", "")).strip()
        }
        - {""}
    )
    return {
        "unique_id": values.person_id,
        "family": family,
        "given": given,
        "patronymic": patronymic,
        "father": father,
        "names": names or None,
        "dob": dob,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "sex": values.sex if values.sex in ("female", "male") else None,
        "citizenship": values.citizenship.strip().upper() or None,
        "region": values.region or None,
        "documents": documents or None,
    }
