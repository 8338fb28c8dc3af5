from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tanu.accounts.models import Agency
from tanu.accounts.tests.factories import AgencyFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.referrals.directory import (
    Suggestion,
    is_foreign_citizen,
    person_languages,
    suggest_services,
)
from tanu.referrals.models import Service
from tanu.referrals.tests.directory_helpers import ServiceFactory, make_case, region

pytestmark = pytest.mark.django_db
K = Service.Kind


def names(suggestions: list[Suggestion]) -> list[str]:
    return [s.service.name_en for s in suggestions]


def almaty_directory() -> dict[str, Service]:
    almaty = region("KZ-75")
    shelter_agency = AgencyFactory(region=almaty, kind=Agency.Kind.SHELTER)
    police_agency = AgencyFactory(region=almaty, kind=Agency.Kind.CRIMINAL_POLICE)
    return {
        "shelter": ServiceFactory(
            name_en="Almaty shelter",
            kind=K.SHELTER,
            agency=shelter_agency,
            accepts_children=False,
            accepts_men=False,
        ),
        "child_protection": ServiceFactory(
            name_en="Almaty guardianship unit",
            kind=K.CHILD_PROTECTION,
            accepts_adults=False,
            accepts_children=True,
        ),
        "police": ServiceFactory(
            name_en="Almaty trafficking investigations",
            kind=K.POLICE_INVESTIGATION,
            agency=police_agency,
            accepts_children=True,
        ),
        "clinic": ServiceFactory(
            name_en="Almaty clinic", kind=K.MEDICAL, accepts_children=True, languages=""
        ),
        "legal": ServiceFactory(name_en="Almaty legal aid", kind=K.LEGAL_AID),
        "taraz_shelter": ServiceFactory(
            name_en="Taraz shelter", region=region("KZ-31"), kind=K.SHELTER, accepts_children=True
        ),
        "consulate_uz": ServiceFactory(
            name_en="Embassy of the Republic of Uzbekistan, Consular Section",
            region=region("KZ-71"),
            kind=K.CONSULATE,
            accepts_children=True,
            languages="uz,ru",
        ),
        "consulate_tj": ServiceFactory(
            name_en="Embassy of the Republic of Tajikistan, Consular Section",
            region=region("KZ-71"),
            kind=K.CONSULATE,
            accepts_children=True,
            languages="tg,ru",
        ),
        "hotline": ServiceFactory(
            name_en="National hotline",
            region=region("KZ-71"),
            kind=K.HOTLINE,
            accepts_children=True,
            languages="kk,ru,en",
        ),
        "closed": ServiceFactory(name_en="Closed shelter", kind=K.SHELTER, is_active=False),
    }


def test_a_child_from_almaty_gets_child_protection_first_and_no_adult_only_service() -> None:
    services = almaty_directory()
    suggestions = suggest_services(make_case(is_child=True, sex="female"))
    assert suggestions[0].service == services["child_protection"]
    assert all(s.service.accepts_children for s in suggestions)
    assert services["shelter"] not in [s.service for s in suggestions]  # adults only
    assert services["police"] in [s.service for s in suggestions]


def test_a_foreign_citizen_gets_the_consulate_of_their_country() -> None:
    services = almaty_directory()
    uzbek = suggest_services(make_case(citizenship="UZ", languages="uz, ru"))
    assert services["consulate_uz"] in [s.service for s in uzbek]
    assert services["consulate_tj"] not in [s.service for s in uzbek]
    tajik = suggest_services(make_case(citizenship="Таджикистан", languages="таджикский"))
    assert services["consulate_tj"] in [s.service for s in tajik]
    consulate = next(s for s in tajik if s.service == services["consulate_tj"])
    assert gettext("the consulate of the person's country") in consulate.reasons


def test_a_citizen_of_kazakhstan_gets_no_consulate() -> None:
    almaty_directory()
    for citizenship in ("KZ", "Казахстан", ""):
        kinds = {s.service.kind for s in suggest_services(make_case(citizenship=citizenship))}
        assert K.CONSULATE not in kinds


def test_a_citizenship_we_cannot_place_gets_every_consulate_to_choose_from() -> None:
    services = almaty_directory()
    found = [s.service for s in suggest_services(make_case(citizenship="stateless"))]
    assert services["consulate_uz"] in found and services["consulate_tj"] in found


def test_an_almaty_case_never_gets_a_taraz_shelter() -> None:
    services = almaty_directory()
    for is_child in (False, True):
        for sex in ("female", "male", "unknown"):
            found = names(suggest_services(make_case(is_child=is_child, sex=sex)))
            assert services["taraz_shelter"].name_en not in found


def test_national_services_are_suggested_from_any_region() -> None:
    services = almaty_directory()
    found = names(suggest_services(make_case(region_code="KZ-47")))
    assert services["hotline"].name_en in found
    assert services["shelter"].name_en not in found


def test_inactive_services_are_never_suggested() -> None:
    services = almaty_directory()
    assert services["closed"].name_en not in names(suggest_services(make_case()))


def test_a_women_only_shelter_is_not_suggested_for_a_man() -> None:
    services = almaty_directory()
    assert services["shelter"].name_en not in names(suggest_services(make_case(sex="male")))
    assert services["shelter"].name_en in names(suggest_services(make_case(sex="female")))


def test_a_service_that_speaks_none_of_the_persons_languages_gives_way_to_one_that_does() -> None:
    services = almaty_directory()
    ServiceFactory(name_en="Kazakh-only counselling", kind=K.PSYCHOLOGICAL, languages="kk")
    ServiceFactory(name_en="Russian counselling", kind=K.PSYCHOLOGICAL, languages="ru")
    found = names(suggest_services(make_case(citizenship="UZ", languages="uz, ru")))
    assert "Kazakh-only counselling" not in found
    assert "Russian counselling" in found
    assert services["legal"].name_en in found  # speaks Russian
    # A service whose languages are not listed stays, with a word of warning.
    clinic = next(
        s
        for s in suggest_services(make_case(citizenship="UZ", languages="uz"))
        if s.service == services["clinic"]
    )
    assert gettext("languages spoken not listed: ask when you call") in clinic.reasons


def test_the_only_shelter_stays_for_a_person_it_cannot_speak_with_and_says_so() -> None:
    services = almaty_directory()
    with translation.override("en"):
        suggestions = suggest_services(make_case(citizenship="TJ", languages="tg"))
    shelter = next(s for s in suggestions if s.service == services["shelter"])
    assert "does not list Tajik: arrange an interpreter" in shelter.reasons
    assert services["police"] in [s.service for s in suggestions]


def test_services_for_another_form_of_exploitation_are_left_out() -> None:
    almaty_directory()
    ServiceFactory(name_en="Sexual exploitation centre", kind=K.PSYCHOLOGICAL, forms="sexual")
    assert "Sexual exploitation centre" not in names(suggest_services(make_case(form="labour")))
    assert "Sexual exploitation centre" in names(suggest_services(make_case(form="sexual")))


def test_services_on_tanu_come_first_then_the_kinds_a_presumed_victim_needs_first() -> None:
    services = almaty_directory()
    ServiceFactory(name_en="Aaa reintegration", kind=K.RETURN_REINTEGRATION)
    found = names(suggest_services(make_case(sex="female")))
    on_tanu = [services["shelter"].name_en, services["police"].name_en]
    assert found[:2] == on_tanu  # shelter before police investigation
    assert found.index(services["legal"].name_en) < found.index(services["clinic"].name_en)
    assert found.index(services["clinic"].name_en) < found.index("Aaa reintegration")


def test_for_a_foreign_citizen_the_consulate_comes_before_other_outside_services() -> None:
    services = almaty_directory()
    found = names(suggest_services(make_case(citizenship="UZ", languages="ru")))
    assert found.index(services["consulate_uz"].name_en) < found.index(services["legal"].name_en)


def test_every_suggestion_says_why_it_fits() -> None:
    services = almaty_directory()
    with translation.override("en"):
        suggestions = suggest_services(make_case(is_child=True, languages="ru", form="labour"))
    assert all(s.reasons for s in suggestions)
    police = next(s for s in suggestions if s.service == services["police"])
    for reason in (
        "in Almaty",
        "accepts children",
        "accepts women",
        "speaks Russian",
        "handles labour exploitation",
        "takes referrals through tanu",
    ):
        assert reason in police.reasons
    child_protection = next(s for s in suggestions if s.service == services["child_protection"])
    assert "outside tanu: contact the service directly" in child_protection.reasons


def test_reasons_come_in_the_users_language() -> None:
    almaty_directory()
    case = make_case(is_child=True)
    with translation.override("ru"):
        reasons = suggest_services(case)[0].reasons
        assert gettext("accepts children") in reasons
        assert gettext("in %(region)s") % {"region": "Алматы"} in reasons


def test_suggestions_work_from_a_case_made_after_a_screening(personas: Personas) -> None:
    services = almaty_directory()
    case = open_case(personas.screener)
    found = [s.service for s in suggest_services(case)]
    assert services["shelter"] in found  # the canary is a woman, adult, citizen of Kazakhstan
    assert services["taraz_shelter"] not in found


def test_what_was_typed_for_languages_and_citizenship_is_understood() -> None:
    assert person_languages("kk, ru") == {"kk", "ru"}
    assert person_languages("Русский; узбекский") == {"ru", "uz"}
    assert person_languages("klingon") == set()
    assert not is_foreign_citizen("KZ") and not is_foreign_citizen("Қазақстан")
    assert not is_foreign_citizen("") and is_foreign_citizen("UZ")
