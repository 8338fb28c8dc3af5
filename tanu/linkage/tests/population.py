"""Persons for the linkage engine's tests: a few hundred synthetic persons with the generator's
truth (who is who), and the person of the issue written in its five spellings."""

from __future__ import annotations

from typing import Any

from tanu.accounts.models import Agency, User
from tanu.accounts.tests.personas import Personas
from tanu.cases.actions import reindex_person
from tanu.cases.models import Case, Person
from tanu.ops.synthetic.duplicates import population

#: Әйгерім Сәрсенбаева as five agencies wrote her: Kazakh letters, a Russian keyboard, her
#: passport, the 2021 Kazakh Latin alphabet, and a typo with no patronymic and the day and
#: month of birth swapped.
AIGERIM = [
    {"given_name": "Әйгерім", "family_name": "Сәрсенбаева", "patronymic": "Ерланқызы"},
    {"given_name": "Айгерим", "family_name": "Сарсенбаева", "patronymic": "Ерлановна"},
    {"given_name": "AIGERIM", "family_name": "SARSENBAEVA", "patronymic": "ERLANOVNA"},
    {"given_name": "Äigerım", "family_name": "Särsenbaeva", "patronymic": "Erlanqyzy"},
    {"given_name": "Айгерим", "family_name": "Сарсенбева", "date_of_birth": "1999-12-04"},
]
AIGERIM_COMMON = {"date_of_birth": "1999-04-12", "sex": "female", "citizenship": "KZ"}


def add_person(values: dict[str, Any], *, agency: Agency, creator: User) -> Person:
    """A person and their case in ``agency``, indexed as the case actions index them."""
    person = Person(**values)
    person.save()
    reindex_person(person)
    Case.objects.create(
        number=f"LNK-{person.pk}",
        person=person,
        agency=agency,
        region=agency.region,
        created_by=creator,
    )
    return person


def agencies(personas: Personas) -> list[Agency]:
    return [personas.police, personas.shelter, personas.aktau_police, personas.ministry]


def add_synthetic(personas: Personas, n: int = 400, seed: int = 5) -> dict[int, int]:
    """``n`` synthetic persons over the personas' agencies: person id → identity number."""
    held = agencies(personas)
    truth = {}
    for record in population(n, seed=seed, regions=len(held)):
        person = add_person(
            {
                "family_name": record.family_name,
                "given_name": record.given_name,
                "patronymic": record.patronymic,
                "date_of_birth": record.date_of_birth,
                "estimated_age": record.estimated_age,
                "sex": record.sex,
                "citizenship": record.citizenship,
                "documents": record.documents,
            },
            agency=held[record.region],
            creator=personas.screener,
        )
        truth[person.pk] = record.truth
    return truth


def add_aigerim(personas: Personas) -> list[Person]:
    """The five records of the issue's person, each held by another agency where possible."""
    held = agencies(personas)
    return [
        add_person(
            {**AIGERIM_COMMON, **spelling}, agency=held[i % len(held)], creator=personas.screener
        )
        for i, spelling in enumerate(AIGERIM)
    ]
