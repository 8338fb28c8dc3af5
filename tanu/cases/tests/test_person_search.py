"""Person search finds a Cyrillic name from the Latin passport spelling of its parts together."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import CANARY, open_case, signed_in


@pytest.mark.parametrize(
    "query", ["Rakhimov Bakhtiyor", "Bakhtiyor Rakhimov", "RAKHIMOV BAKHTIYOR"]
)
def test_search_finds_given_and_family_name_together_in_the_passport_spelling(
    personas: Personas, query: str
) -> None:
    person = dict(CANARY, given_name="Бахтиёр", family_name="Рахимов", other_names="")
    case = open_case(personas.screener, person=person)
    other = open_case(personas.screener)
    response = signed_in("screener").post("/cases/search/", {"name": query})
    html = response.content.decode()
    assert case.number in html
    assert other.number not in html
