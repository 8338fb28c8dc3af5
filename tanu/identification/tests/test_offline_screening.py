"""The installable app: manifest, service worker, the offline page and its data, and screenings
sent from a phone that was offline (assessed again by the server, stored once)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.identification import catalogue
from tanu.identification.models import Screening

pytestmark = pytest.mark.django_db

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang, enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return client


def sent(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "place": "patrol",
        "interview_language": "ru",
        "interpreter_used": False,
        "age_group": "adult",
        "form": "labour",
        "screened_on": timezone.localdate().isoformat(),
        "judgement": "agree",
        "stop_reason": "",
        "answers": {code: "observed" for code in PRESUMED},
        "device": {
            "outcome": "presumed_victim",
            "checklist": "ilo-adult-labour",
            "positive_dimensions": [
                "deceptive_recruitment",
                "exploitative_conditions",
                "coercion_at_destination",
            ],
            "versions": [{"id": "ilo-adult-labour", "version": 2}],
        },
    }
    body.update(changes)
    return body


def post(client: Client, body: dict[str, Any]) -> Any:
    token = client.get("/screenings/offline/sync/").json()["csrf"]
    return client.post(
        "/screenings/offline/sync/",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )


def test_the_manifest_makes_tanu_installable_in_the_readers_language() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["lang"] == "ru"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert all(Client().get(icon["src"]).status_code == 200 for icon in manifest["icons"])
    assert "tanu" in manifest["name"]


def test_every_page_links_the_manifest_and_a_screeners_pages_register_the_service_worker(
    personas: Personas,
) -> None:
    page = signed_in("screener").get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'data-offline-sw="/sw.js"' in page
    assert "data-offline-signout" in page  # sign-out erases what waits on the phone
    trainer = signed_in("trainer").get("/").content.decode()
    assert 'data-offline-sw="/sw.js"' not in trainer


def test_the_service_worker_uses_the_vendored_workbox_and_precaches_the_offline_page(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "importScripts(CONFIG.workbox)" in script
    assert "modulePathPrefix: CONFIG.modules" in script
    assert "https://" not in script  # no CDN
    config = json.loads(script.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["workbox"] == "/static/tanu/vendor/workbox-7.4.1/workbox-sw.js"
    for module in ("core", "precaching", "routing", "strategies"):
        assert client.get(f"{config['modules']}/workbox-{module}.prod.js").status_code == 200
    urls = [entry["url"] for entry in config["precache"]]
    for url in (
        "/screenings/offline/",
        "/screenings/offline/checklists.json",
        "/static/identification/rule.js",
        "/static/identification/offline.js",
        "/static/identification/offline-store.js",
        "/static/tanu/tanu.css",
    ):
        assert url in urls
    assert all(entry["revision"] for entry in config["precache"])


def test_only_a_signed_in_screener_gets_the_service_worker_and_its_refusal_sets_no_csrf_cookie(
    personas: Personas,
) -> None:
    # A worker fetched without a session would precache a refusal page whose fresh CSRF cookie
    # replaces the one of the sign-in form the person is filling in: their sign-in then fails.
    for client in (Client(), signed_in("trainer")):
        response = client.get("/sw.js")
        assert response.status_code == 404
        assert "csrftoken" not in response.cookies
        assert response.content == b""
    assert signed_in("screener").get("/sw.js").status_code == 200


def test_the_offline_page_refuses_a_worker_without_a_session_without_setting_a_csrf_cookie(
    personas: Personas,
) -> None:
    # A worker still installing when the cookies are cleared fetches the page without a session.
    for client in (Client(), signed_in("trainer")):
        fetched = client.get("/screenings/offline/", HTTP_SEC_FETCH_DEST="empty")
        assert fetched.status_code == 404
        assert "csrftoken" not in fetched.cookies
        assert fetched.content == b""
    signed_out = Client().get("/screenings/offline/", HTTP_SEC_FETCH_DEST="document")
    assert signed_out.status_code == 302  # a person who opens it is asked to sign in
    assert signed_out["Location"] == "/accounts/login/?next=/screenings/offline/"
    opened = signed_in("trainer").get("/screenings/offline/", HTTP_SEC_FETCH_DEST="document")
    assert opened.status_code == 404
    assert b"<main" in opened.content  # a trainer who opens it sees the 404 page
    page = signed_in("screener").get("/screenings/offline/", HTTP_SEC_FETCH_DEST="empty")
    assert page.status_code == 200
    # A browser that sends no fetch metadata: its navigation asks for HTML, a worker's fetch
    # for anything.
    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    assert Client().get("/screenings/offline/", HTTP_ACCEPT=html).status_code == 302
    fetched = Client().get("/screenings/offline/", HTTP_ACCEPT="*/*")
    assert fetched.status_code == 404 and fetched.content == b""
    assert "csrftoken" not in fetched.cookies


def test_the_service_worker_changes_when_the_language_or_the_checklists_in_force_change(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    english = client.get("/sw.js").content
    assert client.get("/sw.js").content == english  # stable: no reinstall on every visit
    russian = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="ru").content
    assert russian != english
    row = catalogue.current_versions()["ilo-adult-labour"]
    type(row).objects.filter(pk=row.pk).update(digest="0" * 64)
    assert client.get("/sw.js").content != english


def test_the_page_allows_the_service_worker_and_the_manifest(personas: Personas) -> None:
    policy = signed_in("screener").get("/screenings/offline/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_the_offline_page_asks_no_name_and_says_a_case_needs_a_connection(
    personas: Personas,
) -> None:
    response = signed_in("screener", "ru").get("/screenings/offline/")
    assert response.status_code == 200
    body = response.content.decode()
    for personal in ("name", "notes", "age_years", "facility_name", "stop_note"):
        assert f'name="{personal}"' not in body
    stop_reasons = body.split('name="stop_reason"')[1].split("</select>")[0]
    assert 'value="left"' in stop_reasons
    assert 'value="other"' not in stop_reasons  # its note would be free text
    data = json.loads(
        body.split('<script id="offline-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["lang"] == "ru"
    assert data["texts"]["outcomes"]["presumed_victim"] == "Предполагаемая жертва"
    assert "%(count)s" in data["texts"]["waiting"]
    english = signed_in("screener").get("/screenings/offline/").content.decode()
    assert "Opening a case needs a connection" in english
    assert "No name and nothing personal is asked here" in english


def test_a_screeners_list_of_screenings_leads_to_the_offline_page(personas: Personas) -> None:
    listed = signed_in("screener").get("/screenings/").content.decode()
    assert 'href="/screenings/offline/"' in listed


def test_only_a_screener_gets_the_offline_page_and_its_data(personas: Personas) -> None:
    assert signed_in("trainer").get("/screenings/offline/").status_code == 404
    assert signed_in("trainer").get("/screenings/offline/checklists.json").status_code == 403
    assert Client().get("/screenings/offline/sync/").status_code == 403


def test_the_phone_gets_the_checklist_versions_in_force_with_their_rule(
    personas: Personas,
) -> None:
    payload = signed_in("screener").get("/screenings/offline/checklists.json").json()
    in_force = catalogue.current_versions()
    assert payload["versions"] == [
        {"id": key, "version": row.version} for key, row in sorted(in_force.items())
    ]
    assert [c["id"] for c in payload["lists"]] == sorted(in_force)
    adult_labour = payload["lists"][0]
    assert adult_labour == in_force["ilo-adult-labour"].data
    assert {"rule", "dimensions", "indicators", "version"} <= set(adult_labour)


def test_a_screening_done_offline_is_assessed_again_and_stored_as_finalised(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    response = post(client, sent())
    assert response.status_code == 200, response.content
    body = response.json()
    screening = Screening.objects.get()
    assert body["reference"] == screening.reference
    assert body["finalised"] is True and body["differences"] == []
    assert screening.source == Screening.Source.OFFLINE
    assert screening.status == Screening.Status.FINAL
    assert screening.outcome == "presumed_victim"
    assert screening.created_by == personas.screener
    assert screening.device_result["outcome"] == "presumed_victim"
    actions = set(
        AuditEntry.objects.filter(object_type="screening", object_id=str(screening.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"create", "finalise"} <= actions
    listed = client.get("/screenings/").content.decode()
    assert screening.reference in listed


def test_sending_the_same_screening_twice_stores_it_once(personas: Personas) -> None:
    client = signed_in("screener")
    body = sent()
    first = post(client, body).json()
    second = post(client, body).json()
    assert first["reference"] == second["reference"]
    assert Screening.objects.count() == 1


def test_another_officials_screening_id_is_refused_and_reveals_nothing(
    personas: Personas,
) -> None:
    body = sent()
    post(signed_in("screener"), body)
    response = post(signed_in("colleague"), body)
    assert response.status_code == 400
    assert Screening.objects.count() == 1
    assert Screening.objects.get().reference not in response.content.decode()


def test_when_the_phone_found_otherwise_the_servers_result_stands_and_the_difference_is_kept(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    device = {
        "outcome": "possible_victim",
        "checklist": "ilo-adult-labour",
        "positive_dimensions": ["deceptive_recruitment"],
        "versions": [{"id": "ilo-adult-labour", "version": 1}],
    }
    body = post(client, sent(device=device)).json()
    screening = Screening.objects.get()
    assert screening.outcome == "presumed_victim"  # the server's assessment
    assert screening.device_result["outcome"] == "possible_victim"
    assert body["outcome"] == "presumed_victim" and body["device_outcome"] == "possible_victim"
    assert body["differences"] == [
        "the outcome",
        "the positive dimensions",
        "the checklist versions",
    ]
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert "Assessed on the phone as" in page
    assert "possible victim" in page


def test_a_screening_the_server_cannot_finalise_as_sent_stays_a_draft(
    personas: Personas,
) -> None:
    """The phone found something, the server (say, on a newer version) finds nothing and needs
    a reason why the interview stopped: the screening is kept as a draft for the screener."""
    client = signed_in("screener")
    body = post(client, sent(answers={}, device={"outcome": "possible_victim"})).json()
    screening = Screening.objects.get()
    assert body["finalised"] is False
    assert screening.status == Screening.Status.DRAFT
    assert screening.outcome == "incomplete"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"place": "moon"}, "place"),
        ({"screened_on": "2999-01-01"}, "future"),
        ({"answers": {"AL-DR-01": "maybe"}}, "answers could not be read"),
        ({"answers": ["AL-DR-01"]}, "answers could not be read"),
        ({"stop_reason": "other"}, "stop_reason"),
    ],
)
def test_a_bad_screening_is_refused_with_a_message_and_stores_nothing(
    personas: Personas, changes: dict[str, Any], problem: str
) -> None:
    response = post(signed_in("screener"), sent(**changes))
    assert response.status_code == 400
    assert problem in response.json()["detail"]
    assert not Screening.objects.exists()


def test_a_body_that_is_not_json_is_refused(personas: Personas) -> None:
    client = signed_in("screener")
    token = client.get("/screenings/offline/sync/").json()["csrf"]
    response = client.post(
        "/screenings/offline/sync/", "{", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400
    assert not Screening.objects.exists()


def test_sending_without_the_csrf_token_is_refused(personas: Personas) -> None:
    client = signed_in("screener")
    response = client.post(
        "/screenings/offline/sync/", json.dumps(sent()), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Screening.objects.exists()


def test_the_service_worker_works_with_the_collected_static_files_of_production(
    personas: Personas, tmp_path: Any
) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client = signed_in("screener")
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        with override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=False):
            script = client.get("/sw.js").content.decode()
    config = json.loads(script.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    # The loader by its hashed name; the modules by their plain names, which are collected too.
    assert config["workbox"] != "/static/tanu/vendor/workbox-7.4.1/workbox-sw.js"
    assert config["modules"] == "/static/tanu/vendor/workbox-7.4.1"
    assert (tmp_path / "tanu/vendor/workbox-7.4.1/workbox-precaching.prod.js").exists()
    rule = next(e for e in config["precache"] if "identification/rule." in e["url"])
    assert rule["url"] != "/static/identification/rule.js" and rule["revision"]


def test_answers_to_indicators_the_servers_lists_lack_are_left_out_and_shown(
    personas: Personas,
) -> None:
    """A phone that asked from an older version (an indicator removed since) still delivers."""
    client = signed_in("screener")
    answers = {**{code: "observed" for code in PRESUMED}, "AL-XX-99": "observed"}
    body = post(client, sent(answers=answers)).json()
    screening = Screening.objects.get()
    assert screening.status == Screening.Status.FINAL
    assert "AL-XX-99" not in screening.answers
    assert screening.device_result["dropped"] == ["AL-XX-99"]
    assert body["differences"] == ["answers to indicators the server's lists do not have"]
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert "answers to indicators the server&#x27;s lists do not have" in page
