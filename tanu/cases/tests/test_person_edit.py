"""Editing a person's data: only after revealing it with a reason; the search finds the new name
and no longer the old one; an audit entry names the fields changed (never their values)."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import CANARY, open_case, signed_in

pytestmark = pytest.mark.django_db

PERSON = dict(CANARY, other_names="")  # the name is indexed only from its parts


def revealed(case: Case, username: str = "screener") -> Client:
    client = signed_in(username)
    response = client.post(f"/cases/{case.pk}/reveal/", {"reason": "correcting the spelling"})
    assert response.status_code == 302
    return client


def edit(client: Client, case: Case, **changes: str) -> object:
    case.refresh_from_db()
    data = {
        "family_name": PERSON["family_name"],
        "given_name": PERSON["given_name"],
        "patronymic": "",
        "other_names": "",
        "date_of_birth": "",
        "estimated_age": "24",
        "sex": "female",
        "citizenship": "KZ",
        "languages": "",
        "address": PERSON["address"],
        "revision": str(case.revision),
        **changes,
    }
    return client.post(f"/cases/{case.pk}/person/", data)


def found(client: Client, name: str, case: Case) -> bool:
    response = client.post("/cases/search/", {"name": name})
    assert response.status_code == 200
    return case.number in response.content.decode()


def test_a_new_family_name_is_saved_found_by_the_search_and_the_old_one_no_longer(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = revealed(case)
    assert found(client, "Kanaryeva Zhanar", case)

    response = edit(client, case, family_name="Исмаилова", given_name="Жанар")

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    person = Person.objects.get(pk=case.person_id)
    assert person.family_name == "Исмаилова"
    assert found(client, "Ismailova Zhanar", case)
    assert found(client, "Исмаилова", case)
    assert not found(client, "Kanaryeva Zhanar", case)
    assert not found(client, "Канарьева", case)


def test_the_edit_is_audited_with_the_names_of_the_fields_changed_and_not_their_values(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = revealed(case)
    revision = Case.objects.get(pk=case.pk).revision

    edit(client, case, family_name="Исмаилова", address="Астана, ул. Новая 5")

    entry = AuditEntry.objects.filter(object_type="person", action=Action.UPDATE).get()
    assert entry.object_id == str(case.person_id)
    assert entry.actor_id == personas.screener.pk
    assert sorted(entry.fields) == ["address", "family_name"]
    stored = str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    assert "Исмаилова" not in stored and "Новая" not in stored
    assert Case.objects.get(pk=case.pk).revision == revision + 1


def test_the_edit_page_asks_to_reveal_the_data_first_and_changes_nothing(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = signed_in("screener")

    response = edit(client, case, family_name="Исмаилова")

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert Person.objects.get(pk=case.person_id).family_name == "Канарьева"
    assert not AuditEntry.objects.filter(object_type="person", action=Action.UPDATE).exists()


def test_an_edit_made_on_an_outdated_page_is_refused_and_changes_nothing(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = revealed(case)
    stale = Case.objects.get(pk=case.pk).revision
    edit(client, case, given_name="Жанна")

    response = edit(client, case, family_name="Исмаилова", revision=str(stale))

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/person/"
    person = Person.objects.get(pk=case.person_id)
    assert (person.family_name, person.given_name) == ("Канарьева", "Жанна")
    page = client.get(response["Location"]).content.decode()
    assert "Someone else changed this case" in page


def test_a_date_of_birth_in_the_future_is_refused_with_a_message(personas: Personas) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = revealed(case)

    response = edit(client, case, family_name="Исмаилова", date_of_birth="2999-01-01")

    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert Person.objects.get(pk=case.person_id).family_name == "Канарьева"


def test_an_official_of_another_region_gets_404_and_changes_nothing(personas: Personas) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = signed_in("outsider")

    assert client.get(f"/cases/{case.pk}/person/").status_code == 404
    assert edit(client, case, family_name="Исмаилова").status_code == 404
    assert Person.objects.get(pk=case.person_id).family_name == "Канарьева"
