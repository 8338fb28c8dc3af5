"""Factories and steps shared by the service-directory tests."""

from __future__ import annotations

from typing import Any

import factory
from django.test import Client
from factory.django import DjangoModelFactory

from tanu.accounts.models import Region, User
from tanu.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, UserFactory
from tanu.cases.models import Case, Person
from tanu.referrals.models import Service

DIRECTORY_URLS = "tanu.referrals.tests.urls_for_tests"


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    kind = Service.Kind.SHELTER
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-75"))
    name_en = factory.Sequence(lambda n: f"Service {n}")
    name_ru = factory.Sequence(lambda n: f"Служба {n}")
    name_kk = factory.Sequence(lambda n: f"Қызмет {n}")
    agency = None
    languages = "kk,ru"
    forms = "labour,sexual"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_case(
    *,
    region_code: str = "KZ-75",
    is_child: bool = False,
    sex: str = "female",
    citizenship: str = "KZ",
    languages: str = "kk, ru",
    form: str = "labour",
    outcome: str = "presumed_victim",
) -> Case:
    """A case made directly, without the screening flow: only what suggestions read."""
    where = region(region_code)
    agency = AgencyFactory(region=where)
    user = UserFactory(agency=agency)
    person = Person.objects.create(
        sex=sex,
        citizenship=citizenship,
        languages=languages,
        age_band="12-17" if is_child else "25-34",
    )
    return Case.objects.create(
        number=f"T-{person.pk:06d}",
        person=person,
        agency=agency,
        region=where,
        created_by=user,
        outcome=outcome,
        form=form,
        is_child=is_child,
    )


def signed_in(user: User | str, lang: str = "en") -> Client:
    username = user if isinstance(user, str) else user.username
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def api_client(username: str, lang: str = "en") -> tuple[Client, dict[str, Any]]:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}
