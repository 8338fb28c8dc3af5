from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts import demo as accounts_demo
from tanu.accounts.demo import CITIES, agency_for
from tanu.accounts.tests.personas import Personas
from tanu.referrals import demo as referrals_demo
from tanu.referrals.directory import search_services
from tanu.referrals.models import Service
from tanu.referrals.tests.directory_helpers import (
    DIRECTORY_URLS,
    ServiceFactory,
    api_client,
    region,
    signed_in,
)

pytestmark = pytest.mark.django_db
K = Service.Kind
ROLES = [
    "screener",
    "caseworker",
    "coordinator",
    "monitor",
    "trainer",
    "analyst",
    "admin",
    "outsider",
]


def found(**filters: object) -> set[str]:
    return {s.name_en for s in search_services(Service.objects.all(), **filters)}  # type: ignore[arg-type]


def sample() -> None:
    ServiceFactory(
        name_en="Almaty shelter",
        name_ru="Приют Алматы",
        name_kk="Алматы баспанасы",
        address="Example Street 1",
        accepts_children=False,
        accepts_men=False,
    )
    ServiceFactory(
        name_en="Almaty guardianship unit",
        name_ru="Отдел опеки",
        name_kk="Қорғаншылық бөлімі",
        kind=K.CHILD_PROTECTION,
        accepts_adults=False,
        accepts_children=True,
        address="Abai Avenue 5",
    )
    ServiceFactory(
        name_en="Taraz legal aid",
        name_ru="Юридическая помощь Тараз",
        name_kk="Тараз заң көмегі",
        kind=K.LEGAL_AID,
        region=region("KZ-31"),
        accepts_foreigners=False,
    )


def test_search_matches_any_of_the_three_names_and_the_address() -> None:
    sample()
    assert found(text="shelter") == {"Almaty shelter"}
    assert found(text="опеки") == {"Almaty guardianship unit"}
    assert found(text="заң") == {"Taraz legal aid"}
    assert found(text="abai avenue") == {"Almaty guardianship unit"}


def test_search_ignores_case_in_cyrillic_too() -> None:
    sample()
    assert found(text="приют") == {"Almaty shelter"}
    assert found(text="ТАРАЗ") == {"Taraz legal aid"}
    assert found(text="ALMATY SHELTER") == {"Almaty shelter"}


def test_search_filters_by_region_kind_and_whom_the_service_accepts() -> None:
    sample()
    assert found(region=region("KZ-31").pk) == {"Taraz legal aid"}
    assert found(kind=K.CHILD_PROTECTION) == {"Almaty guardianship unit"}
    assert found(accepts="children") == {"Almaty guardianship unit"}
    assert found(accepts="men") == {"Almaty guardianship unit", "Taraz legal aid"}
    assert found(accepts="foreigners") == {"Almaty shelter", "Almaty guardianship unit"}
    assert found(region=region("KZ-75").pk, accepts="adults", text="almaty") == {"Almaty shelter"}
    # Unknown values narrow nothing.
    assert len(found(kind="spa", accepts="aliens")) == 3


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.urls(DIRECTORY_URLS)
@pytest.mark.parametrize("username", ROLES)
def test_every_signed_in_role_sees_the_directory_and_a_service(
    personas: Personas, username: str
) -> None:
    sample()
    client = signed_in(username)
    page = client.get("/services/")
    assert page.status_code == 200
    assert "Almaty shelter" in page.content.decode()
    service = Service.objects.get(name_en="Taraz legal aid")
    detail = client.get(f"/services/{service.pk}/")
    assert detail.status_code == 200
    assert "Юридическая помощь Тараз" in detail.content.decode()


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_directory_asks_to_sign_in_first(client: Client) -> None:
    response = client.get("/services/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_list_filters_with_get_parameters(personas: Personas) -> None:
    sample()
    client = signed_in("screener")
    page = client.get("/services/", {"kind": K.CHILD_PROTECTION, "accepts": "children"})
    body = page.content.decode()
    assert "Almaty guardianship unit" in body and "Almaty shelter" not in body
    taraz = client.get("/services/", {"region": region("KZ-31").pk}).content.decode()
    assert "Taraz legal aid" in taraz and "Almaty shelter" not in taraz
    assert client.get("/services/", {"kind": "nonsense"}).status_code == 200


@pytest.mark.urls(DIRECTORY_URLS)
def test_pages_of_results_keep_the_search(personas: Personas) -> None:
    for number in range(30):
        ServiceFactory(name_en=f"Clinic {number:02d}", kind=K.MEDICAL)
    client = signed_in("screener")
    first = client.get("/services/", {"q": "clinic"}).content.decode()
    assert "Page 1 of 2" in first
    assert "?q=clinic&amp;page=2" in first
    second = client.get("/services/", {"q": "clinic", "page": 2}).content.decode()
    assert "Clinic 29" in second and "Clinic 00" not in second


@pytest.mark.urls(DIRECTORY_URLS)
def test_services_no_longer_active_are_listed_only_when_asked_for(personas: Personas) -> None:
    ServiceFactory(name_en="Closed shelter", is_active=False)
    client = signed_in("screener")
    assert "Closed shelter" not in client.get("/services/").content.decode()
    assert "Closed shelter" in client.get("/services/", {"inactive": "on"}).content.decode()


@pytest.mark.urls(DIRECTORY_URLS)
def test_an_unknown_service_is_404(personas: Personas) -> None:
    assert signed_in("screener").get("/services/999999/").status_code == 404


@pytest.mark.urls(DIRECTORY_URLS)
def test_only_administrators_and_coordinators_see_the_import_button(personas: Personas) -> None:
    assert "/services/import/" in signed_in("admin").get("/services/").content.decode()
    assert "/services/import/" in signed_in("coordinator").get("/services/").content.decode()
    assert "/services/import/" not in signed_in("screener").get("/services/").content.decode()


# API -----------------------------------------------------------------------------------------


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_api_lists_services_with_the_pages_filters(personas: Personas) -> None:
    sample()
    client, auth = api_client("trainer")
    everything = client.get("/api/v1/services/", **auth).json()
    assert everything["count"] == 3
    taraz = client.get("/api/v1/services/", {"region": "KZ-31"}, **auth).json()
    assert [s["name_en"] for s in taraz["results"]] == ["Taraz legal aid"]
    assert taraz["results"][0]["region"] == "KZ-31"
    children = client.get(
        "/api/v1/services/", {"accepts": "children", "kind": "child_protection"}, **auth
    ).json()
    assert [s["name_en"] for s in children["results"]] == ["Almaty guardianship unit"]
    by_text = client.get("/api/v1/services/", {"q": "приют"}, **auth).json()
    assert [s["name_en"] for s in by_text["results"]] == ["Almaty shelter"]


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_api_refuses_unknown_filter_values(personas: Personas) -> None:
    client, auth = api_client("screener")
    assert client.get("/api/v1/services/", {"region": "KZ-99"}, **auth).status_code == 400
    assert client.get("/api/v1/services/", {"kind": "spa"}, **auth).status_code == 400


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_api_shows_one_service_to_any_authenticated_user(personas: Personas) -> None:
    service = ServiceFactory(name_en="Almaty shelter", languages="kk,ru", forms="labour")
    client, auth = api_client("analyst")
    data = client.get(f"/api/v1/services/{service.pk}/", **auth).json()
    assert (data["name_en"], data["languages"], data["forms"], data["via_tanu"]) == (
        "Almaty shelter",
        ["kk", "ru"],
        ["labour"],
        False,
    )
    assert client.get("/api/v1/services/999999/", **auth).status_code == 404
    assert Client().get(f"/api/v1/services/{service.pk}/").status_code == 401


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_api_schema_names_the_service_operations(personas: Personas) -> None:
    client, auth = api_client("screener")
    schema = client.get("/api/v1/schema/", {"format": "json"}, **auth).content.decode()
    assert "services_list" in schema and "services_detail" in schema


# Demo data -----------------------------------------------------------------------------------


def test_the_demo_gives_each_seminar_city_a_shelter_on_tanu_and_loads_twice_the_same() -> None:
    accounts_demo.load()
    lines = referrals_demo.load()
    assert lines and lines[0].split()[0].isdigit()
    for city, (code, *_names) in CITIES.items():
        shelters = Service.objects.filter(region__code=code, kind=K.SHELTER, is_active=True)
        assert shelters.filter(agency=agency_for(city, "shelter")).exists(), city
        assert Service.objects.filter(region__code=code, kind=K.CHILD_PROTECTION).exists(), city
    assert Service.objects.filter(region__code="KZ-71", kind=K.HOTLINE).exists()
    assert Service.objects.filter(region__code="KZ-71", kind=K.CONSULATE).count() == 3

    def snapshot() -> list[tuple[object, ...]]:
        return list(Service.objects.order_by("pk").values_list())

    before = snapshot()
    again = referrals_demo.load()
    assert snapshot() == before
    assert again[0] == f"{len(before)} services (0 new)"
