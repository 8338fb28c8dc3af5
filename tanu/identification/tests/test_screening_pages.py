from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.identification.models import Screening

pytestmark = pytest.mark.django_db

CONTEXT = {
    "place": "patrol",
    "interview_language": "ru",
    "age_group": "adult",
    "form": "labour",
}
# Adult labour: deceived about the job (strong) + wages (medium) -> deceptive recruitment;
# excessive hours (strong) + low salary (medium) -> exploitative conditions;
# confiscation of documents (strong) + debt bondage (strong) -> coercion at destination.
PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    assert (
        client.post(
            "/accounts/login/", {"username": username, "password": TEST_PASSWORD}
        ).status_code
        == 302
    )
    return client


def start(client: Client, **extra: str) -> Screening:
    response = client.post("/screenings/new/", {**CONTEXT, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Screening.objects.latest("pk")


def test_a_screener_starts_a_screening_without_any_name(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    assert screening.reference.startswith("S-ALM-")
    assert screening.agency == personas.police
    assert screening.outcome == "incomplete"  # nothing asked yet
    page = client.get(f"/screenings/{screening.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="ans-AL-DR-01"' in body
    assert "Decisive questions" in body


def test_answering_with_htmx_updates_the_assessment_to_presumed_victim(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    for code in PRESUMED:
        response = client.post(
            f"/screenings/{screening.pk}/answers/",
            {f"ans-{code}": "observed"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    assert 'data-outcome="presumed_victim"' in response.content.decode()
    screening.refresh_from_db()
    assert screening.outcome == "presumed_victim"
    assert screening.threshold_met
    assert AuditEntry.objects.filter(
        object_type="screening", object_id=str(screening.pk), action="update"
    ).count() == len(PRESUMED)


def test_an_unknown_code_or_answer_changes_nothing(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    client.post(
        f"/screenings/{screening.pk}/answers/", {"ans-XX-99": "observed", "ans-AL-DR-01": "maybe"}
    )
    screening.refresh_from_db()
    assert screening.answers == {}


def test_a_finalised_screening_cannot_be_edited_only_corrected(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    client.post(
        f"/screenings/{screening.pk}/answers/",
        {f"ans-{c}": "observed" for c in PRESUMED} | {"revision": 1},
    )
    screening.refresh_from_db()
    response = client.post(
        f"/screenings/{screening.pk}/finalise/",
        {
            "judgement": "agree",
            "notes": "Calm, consistent account.",
            "revision": screening.revision,
        },
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.status == "final"
    assert {v.checklist_id for v in screening.checklist_versions.all()} == {"ilo-adult-labour"}

    client.post(f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-01": "not_observed"})
    screening.refresh_from_db()
    assert screening.answers["AL-DR-01"] == "observed"

    client.post(f"/screenings/{screening.pk}/correct/")
    correction = Screening.objects.get(supersedes=screening)
    assert correction.status == "draft"
    assert correction.answers == screening.answers
    client.post(
        f"/screenings/{correction.pk}/answers/",
        {"ans-AL-DR-01": "not_observed"},
        HTTP_HX_REQUEST="true",
    )
    correction.refresh_from_db()
    client.post(
        f"/screenings/{correction.pk}/finalise/",
        {"judgement": "agree", "notes": "", "revision": correction.revision},
    )
    screening.refresh_from_db()
    correction.refresh_from_db()
    assert correction.status == "final"
    assert screening.status == "superseded"
    assert screening.answers["AL-DR-01"] == "observed"  # the old version is kept as it was


def test_a_stale_whole_form_save_is_refused_and_loses_nothing(personas: Personas) -> None:
    first = signed_in("screener")
    second = signed_in("colleague")
    screening = start(first)
    first.post(f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-01": "observed", "revision": 1})
    response = second.post(
        f"/screenings/{screening.pk}/answers/",
        {"ans-AL-DR-01": "not_observed", "revision": 1},
        follow=True,
    )
    assert "Someone else changed this screening" in response.content.decode()
    screening.refresh_from_db()
    assert screening.answers == {"AL-DR-01": "observed"}


def test_a_child_is_screened_with_the_child_list(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client, age_group="unknown_maybe_child", form="unknown")
    codes = {v.checklist_id for v in screening.checklist_versions.all()}
    assert codes == {"ilo-child-labour", "ilo-child-sexual"}
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert "may be a child" in page
    assert 'name="ans-CL-DR-01"' in page and 'name="ans-CS-DR-01"' in page


def test_other_agencies_get_404_and_the_coordinator_may_read_but_not_edit(
    personas: Personas,
) -> None:
    screening = start(signed_in("screener"))
    for username in ("outsider", "caseworker", "trainer", "analyst", "outsider_coordinator"):
        client = signed_in(username)
        assert client.get(f"/screenings/{screening.pk}/").status_code == 404, username
        assert (
            client.post(
                f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-01": "observed"}
            ).status_code
            == 404
        )
    coordinator = signed_in("coordinator")
    assert coordinator.get(f"/screenings/{screening.pk}/").status_code == 200
    assert (
        coordinator.post(
            f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-01": "observed"}
        ).status_code
        == 404
    )


def test_a_paper_form_is_typed_in_with_its_real_date(personas: Personas) -> None:
    client = signed_in("screener")
    response = client.post(
        "/screenings/new/", {**CONTEXT, "paper": "1", "screened_on": "2026-03-05"}
    )
    assert response.status_code == 302
    screening = Screening.objects.latest("pk")
    assert str(screening.screened_on) == "2026-03-05"
    assert screening.source == "paper"
    future = client.post("/screenings/new/", {**CONTEXT, "paper": "1", "screened_on": "2999-01-01"})
    assert future.status_code == 400
    assert "cannot be in the future" in future.content.decode()


def test_an_adult_age_under_18_is_refused_with_a_message(personas: Personas) -> None:
    response = signed_in("screener").post("/screenings/new/", {**CONTEXT, "age_years": "15"})
    assert response.status_code == 400
    assert "means a child" in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_blank_paper_forms_print_in_each_language(personas: Personas, lang: str) -> None:
    client = signed_in("screener")
    for checklist in (
        "ilo-adult-labour",
        "ilo-adult-sexual",
        "ilo-child-labour",
        "ilo-child-sexual",
    ):
        page = client.get(f"/checklists/{checklist}/blank/?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.content.decode()
    triage = client.get(f"/triage/blank/?lang={lang}")
    assert triage.status_code == 200


def test_the_triage_says_when_a_full_screening_is_needed(personas: Personas) -> None:
    client = signed_in("screener")
    none = client.post("/triage/", {"T01": "no"})
    assert "a full screening is not indicated now" in none.content.decode()
    some = client.post("/triage/", {"T01": "yes", "T02": "no"})
    assert "A full screening is needed." in some.content.decode()


def test_a_finalised_presumed_victim_screening_suggests_services_of_its_region(
    personas: Personas,
) -> None:
    from tanu.referrals.models import Service

    Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Almaty shelter",
        name_ru="Приют",
        name_kk="Баспана",
    )
    Service.objects.create(
        kind="shelter",
        region=personas.aktau_police.region,
        name_en="Aktau shelter",
        name_ru="Приют Актау",
        name_kk="Ақтау баспанасы",
    )
    client = signed_in("screener")
    screening = start(client)
    client.post(
        f"/screenings/{screening.pk}/answers/",
        {f"ans-{c}": "observed" for c in PRESUMED} | {"revision": 1},
    )
    screening.refresh_from_db()
    client.post(
        f"/screenings/{screening.pk}/finalise/",
        {"judgement": "agree", "revision": screening.revision},
    )
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert f'hx-get="/screenings/{screening.pk}/services/"' in page
    fragment = client.get(
        f"/screenings/{screening.pk}/services/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Services that may help" in fragment
    assert "Almaty shelter" in fragment and "Aktau shelter" not in fragment
    # Without JavaScript the same address is a whole page.
    whole = client.get(f"/screenings/{screening.pk}/services/").content.decode()
    assert "<!doctype html>" in whole and "Almaty shelter" in whole


def test_roles_without_case_work_get_404_on_the_screening_list(personas: Personas) -> None:
    for username in ("trainer", "analyst", "admin"):
        assert signed_in(username).get("/screenings/").status_code == 404
    assert signed_in("caseworker").get("/screenings/").status_code == 200


def test_the_checklist_cache_follows_a_changed_unused_version(personas: Personas) -> None:
    from tanu.identification import catalogue

    row = catalogue.current_versions()["ilo-adult-labour"]
    data = dict(row.data, title={"kk": "Жаңа", "ru": "Новый", "en": "New title"})
    type(row).objects.filter(pk=row.pk).update(data=data, digest="x" * 64)
    assert catalogue.current_versions()["ilo-adult-labour"].data["title"]["en"] == "New title"
