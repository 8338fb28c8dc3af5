"""A contact request goes from the case's agency to the coordinator of the other record's
region, who forwards or declines it; the holding agency decides and shares only by a referral,
under the person's consent. Who reaches a request, in which state, and every read audited."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.actions import do_record_consent
from tanu.cases.models import Case, Consent
from tanu.cases.tests.helpers import open_case
from tanu.linkage import actions
from tanu.linkage.models import ContactRequest, MatchPair
from tanu.linkage.tests.helpers import pair_of, signed_in
from tanu.referrals.models import Notification, Referral, Service

pytestmark = pytest.mark.django_db

EVERYONE = (
    "screener",
    "colleague",
    "caseworker",
    "coordinator",
    "monitor",
    "trainer",
    "analyst",
    "admin",
    "outsider",
    "outsider_coordinator",
)


@pytest.fixture
def scene(personas: Personas) -> tuple[Case, Case, MatchPair]:
    """The Almaty shelter's case (asking) and the Almaty police's (holding) of one person."""
    asking = open_case(personas.caseworker)
    holding = open_case(personas.screener, person={"given_name": "Zhanar", "sex": "female"})
    return asking, holding, pair_of(asking, holding)


def _shelter_service(personas: Personas) -> Service:
    return Service.objects.create(
        kind=Service.Kind.SHELTER,
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Shelter beds",
        name_ru="Приют",
        name_kk="Баспана",
    )


def _request(personas: Personas, scene: tuple[Case, Case, MatchPair]) -> ContactRequest:
    asking, _holding, pair = scene
    return actions.do_request_contact(
        pair, asking, actor=personas.caseworker, reason="she asks for her sister's shelter"
    )


def _readers(contact: ContactRequest) -> set[str]:
    return {
        username
        for username in EVERYONE
        if signed_in(username).get(f"/linkage/contact-requests/{contact.pk}/").status_code == 200
    }


def test_the_case_worker_sends_a_request_with_a_reason_to_the_regions_coordinator(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    asking, holding, pair = scene
    client = signed_in("caseworker")

    client.post(
        f"/linkage/cases/{asking.pk}/matches/{pair.pk}/contact/",
        {"reason": "she asks for her sister's shelter"},
    )

    contact = ContactRequest.objects.get()
    assert contact.status == ContactRequest.Status.WAITING
    assert (contact.holding_case, contact.region) == (holding, holding.region)
    assert contact.reason == "she asks for her sister's shelter"
    entry = AuditEntry.objects.get(object_type=ObjectType.CONTACT_REQUEST, action=Action.CREATE)
    assert entry.reason == "she asks for her sister's shelter" and entry.object_id == str(
        contact.pk
    )
    [told] = Notification.objects.filter(user=personas.coordinator)
    assert told.url == f"/linkage/contact-requests/{contact.pk}/"
    assert "Zhanar" not in told.message and holding.number not in told.message
    page = client.get(f"/linkage/cases/{asking.pk}/matches/").content.decode()
    assert "waiting for the coordinator" in page
    again = client.post(
        f"/linkage/cases/{asking.pk}/matches/{pair.pk}/contact/", {"reason": "once more please"}
    )
    assert again.status_code == 302 and ContactRequest.objects.count() == 1


def test_a_request_needs_a_reason(personas: Personas, scene: tuple[Case, Case, MatchPair]) -> None:
    asking, _holding, pair = scene
    signed_in("caseworker").post(
        f"/linkage/cases/{asking.pk}/matches/{pair.pk}/contact/", {"reason": " "}
    )
    assert not ContactRequest.objects.exists()


def test_only_the_cases_own_agency_asks(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    asking, _holding, pair = scene
    url = f"/linkage/cases/{asking.pk}/matches/{pair.pk}/contact/"
    assert signed_in("screener").post(url, {"reason": "let me in"}).status_code == 404
    signed_in("coordinator").post(url, {"reason": "on their behalf"})
    assert not ContactRequest.objects.exists()


def test_while_it_waits_only_the_asking_agency_and_the_regions_coordinator_reach_it(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)
    assert _readers(contact) == {"caseworker", "coordinator"}


def test_once_forwarded_the_holding_agency_reaches_it_and_sees_who_asked(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _asking, holding, _pair = scene
    contact = _request(personas, scene)
    coordinator = signed_in("coordinator")

    coordinator.post(f"/linkage/contact-requests/{contact.pk}/forward/", {"note": "please"})

    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.FORWARDED
    assert contact.coordinator == personas.coordinator
    assert _readers(contact) == {"caseworker", "coordinator", "screener", "colleague"}
    page = signed_in("screener").get(f"/linkage/contact-requests/{contact.pk}/").content.decode()
    assert "Almaty shelter" in page and holding.number in page
    assert "she asks for her sister&#x27;s shelter" in page
    update = AuditEntry.objects.get(object_type=ObjectType.CONTACT_REQUEST, action=Action.UPDATE)
    assert update.actor_id == personas.coordinator.pk and update.fields == ["status"]


def test_the_asking_agency_never_sees_the_holding_agency_or_case_before_sharing(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _asking, holding, _pair = scene
    contact = _request(personas, scene)
    actions.do_forward_contact_request(contact, actor=personas.coordinator)
    client = signed_in("caseworker")
    for url in ("/linkage/contact-requests/", f"/linkage/contact-requests/{contact.pk}/"):
        html = client.get(url).content.decode()
        assert holding.number not in html and "Almaty administrative police" not in html
        assert f"/cases/{holding.pk}/" not in html


def test_only_the_coordinator_forwards_and_only_the_holder_shares(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)
    base = f"/linkage/contact-requests/{contact.pk}"
    assert signed_in("caseworker").post(f"{base}/forward/", {"note": ""}).status_code == 404
    assert (
        signed_in("caseworker").post(f"{base}/decline/", {"decline-reason": "no more"}).status_code
        == 404
    )
    actions.do_forward_contact_request(contact, actor=personas.coordinator)
    assert signed_in("screener").post(f"{base}/forward/", {"note": ""}).status_code == 404
    service = _shelter_service(personas)
    share = {"service": service.pk, "shared_fields": ["case_number"], "purpose": "contact"}
    assert signed_in("coordinator").post(f"{base}/share/", share).status_code == 404
    assert signed_in("caseworker").post(f"{base}/share/", share).status_code == 404
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.FORWARDED and contact.referral is None


def test_without_the_persons_consent_nothing_is_shared_and_the_holder_is_told_why(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)
    actions.do_forward_contact_request(contact, actor=personas.coordinator)
    service = _shelter_service(personas)

    page = signed_in("screener").post(
        f"/linkage/contact-requests/{contact.pk}/share/",
        {"service": service.pk, "shared_fields": ["case_number", "sex"], "purpose": "contact"},
        follow=True,
    )

    assert "needs the person&#x27;s recorded consent" in page.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.FORWARDED
    assert not Referral.objects.exists()


def test_with_consent_the_holder_shares_by_a_referral_to_the_agency_that_asked(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _asking, holding, _pair = scene
    contact = _request(personas, scene)
    actions.do_forward_contact_request(contact, actor=personas.coordinator)
    service = _shelter_service(personas)
    do_record_consent(
        holding,
        actor=personas.screener,
        purpose=Consent.Purpose.REFERRAL,
        given=True,
        basis=Consent.Basis.PERSON,
        language="ru",
        interpreter_used=False,
        agency=personas.shelter,
        shared_fields=["case_number", "name", "contacts"],
    )

    signed_in("screener").post(
        f"/linkage/contact-requests/{contact.pk}/share/",
        {
            "service": service.pk,
            "shared_fields": ["case_number", "name", "contacts"],
            "purpose": "contact about her sister",
        },
    )

    contact.refresh_from_db()
    referral = Referral.objects.get()
    assert contact.status == ContactRequest.Status.SHARED and contact.referral == referral
    assert (referral.case, referral.to_agency) == (holding, personas.shelter)
    assert referral.shared_fields == ["case_number", "contacts", "name"]
    assert AuditEntry.objects.filter(
        object_type=ObjectType.CONTACT_REQUEST, action=Action.UPDATE, fields=["referral", "status"]
    ).exists()
    page = signed_in("caseworker").get(f"/linkage/contact-requests/{contact.pk}/").content.decode()
    assert f"/referrals/{referral.pk}/" in page


def test_a_request_the_coordinator_declines_never_reaches_the_holding_agency(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)

    signed_in("coordinator").post(
        f"/linkage/contact-requests/{contact.pk}/decline/",
        {"decline-reason": "the person is safe; no need"},
    )

    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.DECLINED
    assert contact.coordinator_note == "the person is safe; no need"
    assert _readers(contact) == {"caseworker", "coordinator"}
    page = signed_in("caseworker").get(f"/linkage/contact-requests/{contact.pk}/").content.decode()
    assert "the person is safe; no need" in page
    with pytest.raises(actions.LinkageError, match="already decided"):
        actions.do_forward_contact_request(contact, actor=personas.coordinator)


def test_the_holder_may_decline_with_a_reason_the_asking_agency_reads(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)
    actions.do_forward_contact_request(contact, actor=personas.coordinator)

    signed_in("screener").post(
        f"/linkage/contact-requests/{contact.pk}/decline/",
        {"decline-reason": "she does not agree to be contacted"},
    )

    contact.refresh_from_db()
    assert contact.status == ContactRequest.Status.DECLINED
    assert contact.decided_by == personas.screener
    assert "screener" in _readers(contact)
    html = signed_in("caseworker").get(f"/linkage/contact-requests/{contact.pk}/").content.decode()
    assert "she does not agree to be contacted" in html


def test_each_read_of_a_request_is_audited_and_each_denial_too(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    contact = _request(personas, scene)
    signed_in("caseworker").get(f"/linkage/contact-requests/{contact.pk}/")
    signed_in("coordinator").get(f"/linkage/contact-requests/{contact.pk}/")
    signed_in("screener").get(f"/linkage/contact-requests/{contact.pk}/")

    reads = AuditEntry.objects.filter(object_type=ObjectType.CONTACT_REQUEST, action=Action.READ)
    assert sorted(reads.values_list("actor_username", flat=True)) == ["caseworker", "coordinator"]
    denied = AuditEntry.objects.get(object_type=ObjectType.CONTACT_REQUEST, action=Action.DENIED)
    assert denied.actor_username == "screener" and denied.object_id == str(contact.pk)


def test_anonymising_a_case_clears_the_requests_reasons(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    from tanu.cases.actions import anonymise_case

    asking, _holding, _pair = scene
    contact = _request(personas, scene)
    anonymise_case(asking, actor=None, actor_username="retention", reason="test")
    contact.refresh_from_db()
    assert contact.reason == ""


def test_the_holder_shares_with_an_agency_of_another_region_when_the_person_consents(
    personas: Personas,
) -> None:
    """The point of hit / no-hit: the person met the police in Aktau and a shelter in Almaty.
    The Aktau police share with the Almaty shelter's service once the coordinator of Mangystau
    forwarded the request and the person consented to that service."""
    asking = open_case(personas.caseworker)
    holding = open_case(personas.outsider, person={"given_name": "Zhanar", "sex": "female"})
    pair = pair_of(asking, holding)
    contact = actions.do_request_contact(
        pair, asking, actor=personas.caseworker, reason="she asks to be reached in Almaty"
    )
    actions.do_forward_contact_request(contact, actor=personas.outsider_coordinator)
    service = _shelter_service(personas)
    assert actions.sharing_services(contact) == [service]
    do_record_consent(
        holding,
        actor=personas.outsider,
        purpose=Consent.Purpose.REFERRAL,
        given=True,
        basis=Consent.Basis.PERSON,
        language="ru",
        interpreter_used=False,
        agency=personas.shelter,
        shared_fields=["case_number", "name"],
    )

    referral = actions.do_share_for_contact_request(
        contact,
        actor=personas.outsider,
        service=service,
        shared_fields=["case_number", "name"],
        purpose="she asks to be reached in Almaty",
    )

    assert (referral.case, referral.to_agency) == (holding, personas.shelter)
    assert holding.region != service.region


def test_the_list_of_requests_is_an_audited_read(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _request(personas, scene)
    assert signed_in("caseworker").get("/linkage/contact-requests/").status_code == 200
    read = AuditEntry.objects.get(object_type=ObjectType.CONTACT_REQUEST, action=Action.READ)
    assert (read.actor_username, read.fields) == ("caseworker", ["list"])
