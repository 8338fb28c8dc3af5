"""Issue 15, section 1: a screening cannot clear anyone by accident.

Before enough is asked the panel says "not yet assessed"; finalising then asks why the interview
stopped and the outcome is `incomplete`, never "no indication"; an incomplete screening of a
(possible) child offers child protection at once. Screening notes are encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.identification import catalogue
from tanu.identification.models import Screening
from tanu.identification.tests.test_screening_pages import signed_in, start

pytestmark = pytest.mark.django_db


def every_code(age_group: str = "adult", form: str = "labour") -> list[str]:
    codes: set[str] = set()
    for row in catalogue.lists_for(age_group, form):
        codes |= catalogue.engine_checklist(row).codes
    return sorted(codes)


def finalise(client: object, screening: Screening, **fields: str) -> object:
    screening.refresh_from_db()
    return client.post(  # type: ignore[attr-defined]
        f"/screenings/{screening.pk}/finalise/",
        {"judgement": "agree", "revision": screening.revision, **fields},
    )


def test_before_anything_is_asked_the_panel_says_not_yet_assessed(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert "Not yet assessed" in page
    assert 'data-outcome="not_assessed"' in page
    assert 'data-outcome="no_indication"' not in page
    assert "No indication" not in page
    assert "Still to ask: 7 strong indicators" in page
    assert "why the interview stopped" in page  # the finalise form asks for it
    assert 'value="unknown" checked> not asked yet' in page  # "unknown" means not asked


def test_answers_short_of_enough_keep_the_panel_at_not_yet_assessed(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    codes = [c for c in every_code() if c != "AL-CD-04"]  # one strong indicator left
    response = client.post(
        f"/screenings/{screening.pk}/answers/",
        {f"ans-{c}": "not_observed" for c in codes},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'data-outcome="not_assessed"' in body
    assert 'data-outcome="no_indication"' not in body
    response = client.post(
        f"/screenings/{screening.pk}/answers/",
        {"ans-AL-CD-04": "not_observed"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-outcome="no_indication"' in response.content.decode()


def test_finalising_too_early_without_a_reason_is_refused_and_changes_nothing(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    before = AuditEntry.objects.filter(action="finalise").count()
    response = finalise(client, screening, notes="He looked scared.")
    assert response.status_code == 302
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert "say why the interview stopped" in page
    screening.refresh_from_db()
    assert (screening.status, screening.notes, screening.revision) == ("draft", "", 1)
    assert AuditEntry.objects.filter(action="finalise").count() == before


def test_another_reason_needs_a_note(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    finalise(client, screening, stop_reason="other")
    assert "Please say in the note why the interview stopped." in (
        client.get(f"/screenings/{screening.pk}/").content.decode()
    )
    screening.refresh_from_db()
    assert screening.status == "draft"


def test_an_interview_stopped_early_is_final_as_incomplete_with_its_reason(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    finalise(client, screening, stop_reason="other", stop_note="The employer came back.")
    screening.refresh_from_db()
    assert screening.status == "final"
    assert screening.outcome == "incomplete"
    assert (screening.stop_reason, screening.stop_note) == ("other", "The employer came back.")
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert 'data-outcome="incomplete"' in page
    assert "This is not a finding of no indication." in page
    assert "The employer came back." in page
    assert "Open a case" not in page  # the cases app opens cases for victims only
    listing = client.get("/screenings/").content.decode()
    assert "incomplete: interview stopped" in listing and "no indication" not in listing
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stop_note FROM identification_screening WHERE id = %s", [screening.pk]
        )
        assert "employer" not in cursor.fetchone()[0]  # encrypted at rest


def test_a_partial_screening_with_a_strong_indicator_is_a_possible_victim_not_incomplete(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    client.post(f"/screenings/{screening.pk}/answers/", {"ans-AL-CD-01": "observed"})
    finalise(client, screening)
    screening.refresh_from_db()
    assert (screening.status, screening.outcome, screening.stop_reason) == (
        "final",
        "possible_victim",
        "",
    )


def test_a_screening_asked_in_full_is_finalised_as_no_indication(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    client.post(
        f"/screenings/{screening.pk}/answers/",
        {f"ans-{c}": "not_observed" for c in every_code()},
    )
    finalise(client, screening, stop_reason="left")  # ignored: enough was asked
    screening.refresh_from_db()
    assert (screening.status, screening.outcome, screening.stop_reason) == (
        "final",
        "no_indication",
        "",
    )


@pytest.mark.parametrize("age_group", ["child", "unknown_maybe_child"])
def test_an_incomplete_screening_of_a_possible_child_offers_child_protection_at_once(
    personas: Personas, age_group: str
) -> None:
    from tanu.referrals.models import Service

    Service.objects.create(
        kind="child_protection",
        region=personas.shelter.region,
        name_en="Almaty guardianship office",
        name_ru="Отдел опеки Алматы",
        name_kk="Алматы қорғаншылық бөлімі",
        phone="+7 727 000 00 00",
        accepts_children=True,
    )
    client = signed_in("screener")
    screening = start(client, age_group=age_group)
    finalise(client, screening, stop_reason="not_safe")
    screening.refresh_from_db()
    assert screening.outcome == "incomplete"
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert 'id="child-protection"' in page
    assert "Refer to child protection now" in page
    # The services themselves come from referrals, as a fragment the offer loads at once.
    fragment_url = f"/screenings/{screening.pk}/services/?part=child_protection"
    assert f'hx-get="{fragment_url}"'.replace("&", "&amp;") in page
    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Almaty guardianship office" in fragment
    assert 'href="tel:+7 727 000 00 00"' in fragment


def test_an_incomplete_screening_of_an_adult_offers_no_child_protection(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    finalise(client, screening, stop_reason="declined")
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert 'id="child-protection"' not in page


def test_screening_notes_are_encrypted_at_rest(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    client.post(f"/screenings/{screening.pk}/answers/", {"ans-AL-CD-01": "observed"})
    finalise(client, screening, notes="Айгерим, 17, from Taraz")
    screening.refresh_from_db()
    assert screening.notes == "Айгерим, 17, from Taraz"
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM identification_screening WHERE id = %s", [screening.pk])
        assert "Айгерим" not in cursor.fetchone()[0]


MIGRATION = ("identification", "0005_screening_stop_reason_and_encrypted_notes")
BEFORE = [("identification", "0004_screening_lists_newest_first_indexes")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_encrypts_notes_written_before_it(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE identification_screening SET notes = %s WHERE id = %s",
            ["Нурлан said the boss keeps his passport", screening.pk],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM identification_screening WHERE id = %s", [screening.pk])
        assert "Нурлан" not in cursor.fetchone()[0]
    assert Screening.objects.get(pk=screening.pk).notes == "Нурлан said the boss keeps his passport"


def test_a_draft_assessed_before_the_rule_existed_shows_not_yet_assessed(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    legacy = {k: v for k, v in screening.result.items() if k not in ("enough_asked",)}
    legacy["outcome"] = "no_indication"
    Screening.objects.filter(pk=screening.pk).update(result=legacy, outcome="no_indication")
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert 'data-outcome="not_assessed"' in page
    assert 'data-outcome="no_indication"' not in page


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_reassesses_drafts_that_said_no_indication(personas: Personas) -> None:
    client = signed_in("screener")
    draft = start(client)
    done = start(client)
    client.post(f"/screenings/{done.pk}/answers/", {"ans-AL-CD-01": "observed"})
    finalise(client, done)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([MIGRATION])
    old = {"outcome": "no_indication", "dimensions": {}, "decisive": []}
    Screening.objects.filter(pk=draft.pk).update(result=old, outcome="no_indication")
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    draft.refresh_from_db()
    assert (draft.outcome, draft.result["enough_asked"]) == ("incomplete", False)
    done.refresh_from_db()
    assert done.outcome == "possible_victim"  # finalised ones keep their result


def test_a_case_opened_for_an_incomplete_child_screening_goes_straight_to_child_protection(
    personas: Personas,
) -> None:
    from tanu.referrals.models import Service

    service = Service.objects.create(
        kind="child_protection",
        region=personas.shelter.region,
        name_en="Almaty guardianship office",
        name_ru="Отдел опеки Алматы",
        name_kk="Алматы қорғаншылық бөлімі",
        accepts_children=True,
    )
    client = signed_in("screener")
    screening = start(client, age_group="unknown_maybe_child")
    finalise(client, screening, stop_reason="left")
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert f'href="/screenings/{screening.pk}/case/"' in page
    response = client.post(f"/screenings/{screening.pk}/case/", {"sex": "female"})
    screening.refresh_from_db()
    assert screening.case_id is not None
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{screening.case_id}/refer/?kind=child_protection"
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{service.pk}" selected>' in form


def test_no_case_is_opened_for_an_incomplete_adult_screening(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    finalise(client, screening, stop_reason="declined")
    client.post(f"/screenings/{screening.pk}/case/", {"sex": "female"})
    screening.refresh_from_db()
    assert screening.case_id is None
