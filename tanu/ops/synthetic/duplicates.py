"""Synthetic persons met by several agencies, with the truth of who is who (record linkage).

A share of the identities is recorded more than once, each time as another official would write
it: in Kazakh letters (Әйгерім Сәрсенбаева), on a Russian keyboard (Айгерим Сарсенбаева), from
a passport (AIGERIM SARSENBAEVA) or in the Kazakh Latin alphabet of 2021 (Äigerım Särsenbaeva);
with typos, the patronymic present or missing, the date of birth with day and month swapped,
a day off, or missing (an estimated age instead), the document at hand or not. ``truth`` says
which records are the same person. Everything is fictional and random.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from tanu.ops.synthetic.names import (
    SCRIPTS,
    Identity,
    NameGenerator,
    swap_day_month,
    written_document,
    written_in,
)

FIRST_SCRIPT_WEIGHTS = (0.45, 0.35, 0.12, 0.08)  # kazakh_cyrillic, russian_keyboard, passport, 2021
CITIZENSHIPS = (("KZ", 0.85), ("UZ", 0.05), ("KG", 0.04), ("TJ", 0.03), ("RU", 0.03))
REFERENCE_YEAR = 2026


@dataclass(frozen=True)
class SyntheticPerson:
    """One record of a person; records with the same ``truth`` are the same person."""

    truth: int
    family_name: str
    given_name: str
    patronymic: str
    date_of_birth: str
    estimated_age: int | None
    sex: str
    citizenship: str
    documents: list[dict[str, str]]
    region: int  # an index into the regions the caller holds


def _born(rng: random.Random) -> date:
    return date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 45))


def _record(
    generator: NameGenerator,
    identity: Identity,
    truth: int,
    *,
    script: str,
    again: bool,
    regions: int,
    citizenship: str,
    hidden_age: int | None,
) -> SyntheticPerson:
    rng = generator.rng
    names = written_in(
        generator,
        identity,
        script,
        typo_rate=0.08 if again else 0.04,
        patronymic=rng.random() < (0.6 if again else 0.85),
    )
    born = identity.born
    estimated: int | None = None
    if born is not None and again:
        r = rng.random()
        if r < 0.12:
            born = swap_day_month(born)
        elif r < 0.2:
            born = born + timedelta(days=rng.choice((-1, 1)))
        elif r < 0.3:
            estimated = REFERENCE_YEAR - born.year + rng.choice((-1, 0, 0, 1))
            born = None
    elif born is None and hidden_age is not None:
        estimated = hidden_age + rng.choice((-1, 0, 0, 1))
    documents = []
    if identity.document is not None and (not again or rng.random() < 0.5):
        kind, number = identity.document
        documents = [{"type": kind, "number": written_document(number, rng)}]
    sex = identity.sex if rng.random() < 0.97 else "unknown"
    return SyntheticPerson(
        truth=truth,
        family_name=names.family_name,
        given_name=names.given_name,
        patronymic=names.patronymic,
        date_of_birth=born.isoformat() if born else "",
        estimated_age=estimated,
        sex=sex,
        citizenship=citizenship,
        documents=documents,
        region=rng.randrange(regions),
    )


def population(
    n: int, *, seed: int, duplicate_share: float = 0.25, regions: int = 17
) -> Iterator[SyntheticPerson]:
    """``n`` records; about ``duplicate_share`` of the identities are recorded two or three
    times, each record in another script."""
    rng = random.Random(seed)
    generator = NameGenerator(rng)
    countries = [c for c, _ in CITIZENSHIPS]
    weights = [w for _, w in CITIZENSHIPS]
    made = 0
    truth = 0
    while made < n:
        truth += 1
        citizenship = rng.choices(countries, weights)[0]
        born = _born(rng) if rng.random() < 0.92 else None
        # Without a date of birth, officials estimate the age (about the same each time), or not.
        hidden_age = None if born or rng.random() < 0.5 else rng.randrange(14, 60)
        identity = generator.identity(
            sex=rng.choice(("female", "male")), citizenship=citizenship, born=born
        )
        script = rng.choices(SCRIPTS, FIRST_SCRIPT_WEIGHTS)[0]
        copies = 1
        if rng.random() < duplicate_share:
            copies = 2 if rng.random() < 0.8 else 3
        scripts = [script, *rng.sample([s for s in SCRIPTS if s != script], copies - 1)]
        for i, each in enumerate(scripts[: n - made]):
            yield _record(
                generator,
                identity,
                truth,
                script=each,
                again=i > 0,
                regions=regions,
                citizenship=citizenship,
                hidden_age=hidden_age,
            )
            made += 1
