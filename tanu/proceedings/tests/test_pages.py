"""The proceedings pages: who reaches which page (404 outside need-to-know, audited), what each
reader sees, and how the pages answer a broken rule, a stale page and junk input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from tanu.accounts.models import User
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.proceedings import actions
from tanu.proceedings.models import Article, Hearing, Proceeding
from tanu.proceedings.tests.helpers import (
    investigator,
    refer_to,
    referred_case,
    register,
    to_trial,
)

pytestmark = pytest.mark.django_db

ERDR = "261500031000123"
# Who reads an Almaty case's proceeding registered by an Almaty investigation unit.
READERS = {"investigator", "screener", "colleague", "coordinator"}
OUTSIDERS = [
    "other_investigator",
    "caseworker",
    "monitor",
    "trainer",
    "analyst",
    "admin",
    "outsider",
    "outsider_coordinator",
]


@pytest.fixture
def officer(personas: Personas) -> User:
    return investigator(personas)


@pytest.fixture
def case(personas: Personas, officer: User) -> Case:
    return referred_case(personas, officer)


@pytest.fixture
def proceeding(case: Case, officer: User, personas: Personas) -> Proceeding:
    investigator(personas, "other_investigator")  # another agency's investigator
    return register(case, officer)


def _write_urls(p: Proceeding) -> list[str]:
    measure = actions.do_add_protection(
        p,
        actor=p.created_by,
        kind="personal_guard",
        starts_on=timezone.localdate() - timedelta(days=3),
    )
    return [
        f"/proceedings/{p.pk}/edit/",
        f"/proceedings/{p.pk}/stage/",
        f"/proceedings/{p.pk}/suspects/",
        f"/proceedings/{p.pk}/protection/",
        f"/proceedings/{p.pk}/protection/{measure.pk}/end/",
        f"/proceedings/{p.pk}/hearings/",
    ]


# Who reaches the pages


@pytest.mark.parametrize("username", sorted(READERS) + OUTSIDERS)
def test_a_proceeding_is_read_only_by_its_investigators_the_case_owners_and_the_coordinator(
    proceeding: Proceeding, username: str
) -> None:
    page = signed_in(username).get(f"/proceedings/{proceeding.pk}/")
    assert page.status_code == (200 if username in READERS else 404)
    if username in READERS:
        assert ERDR in page.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_outsider_s_attempt_on_a_proceeding_is_audited_as_denied(
    proceeding: Proceeding, username: str
) -> None:
    signed_in(username).get(f"/proceedings/{proceeding.pk}/")
    assert AuditEntry.objects.filter(
        action=Action.DENIED,
        object_type=ObjectType.PROCEEDING,
        object_id=str(proceeding.pk),
        actor__username=username,
    ).exists()


@pytest.mark.parametrize("username", sorted(READERS))
def test_every_reading_of_a_proceeding_is_audited(proceeding: Proceeding, username: str) -> None:
    signed_in(username).get(f"/proceedings/{proceeding.pk}/")
    entry = AuditEntry.objects.get(
        action=Action.READ,
        object_type=ObjectType.PROCEEDING,
        object_id=str(proceeding.pk),
        actor__username=username,
    )
    assert "stage" in entry.fields


@pytest.mark.parametrize(
    ("username", "listed"),
    [
        ("investigator", True),
        ("screener", True),
        ("coordinator", True),
        ("other_investigator", False),
        ("outsider", False),
    ],
)
def test_the_list_shows_the_proceedings_the_reader_may_read(
    proceeding: Proceeding, username: str, listed: bool
) -> None:
    page = signed_in(username).get("/proceedings/")
    assert page.status_code == 200
    assert (ERDR in page.content.decode()) is listed


@pytest.mark.parametrize("username", ["analyst", "trainer", "admin", "caseworker", "monitor"])
def test_roles_that_never_read_a_proceeding_get_no_list(
    proceeding: Proceeding, username: str
) -> None:
    # A shelter case worker and an NGO monitor own cases of their own agency: they get a list,
    # empty here. Analysts, trainers and administrators have none.
    page = signed_in(username).get("/proceedings/")
    if username in ("caseworker", "monitor"):
        assert page.status_code == 200
        assert ERDR not in page.content.decode()
    else:
        assert page.status_code == 404


def test_the_list_filtered_by_case_names_the_case_and_only_its_proceedings(
    proceeding: Proceeding, personas: Personas, officer: User
) -> None:
    other = referred_case(personas, officer)
    register(other, officer, erdr_number="261500031000999")
    page = signed_in("screener").get(f"/proceedings/?case={proceeding.case_id}")
    text = page.content.decode()
    assert ERDR in text and "261500031000999" not in text
    assert proceeding.case.number in text


def test_the_list_refuses_a_junk_case_filter(proceeding: Proceeding) -> None:
    assert signed_in("screener").get("/proceedings/?case=1e99").status_code == 404
    assert signed_in("screener").get("/proceedings/?case=" + "9" * 30).status_code == 404


def test_no_personal_name_appears_on_the_list_or_the_proceeding(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    for url in ("/proceedings/", f"/proceedings/{proceeding.pk}/"):
        text = client.get(url).content.decode()
        assert "Канарьева" not in text and "Жанар" not in text


@pytest.mark.parametrize("username", ["screener", "coordinator", "other_investigator"])
def test_a_reader_who_does_not_investigate_gets_404_on_every_write(
    proceeding: Proceeding, username: str
) -> None:
    client = signed_in(username)
    for url in _write_urls(proceeding):
        assert client.post(url, {"revision": proceeding.revision}).status_code == 404, url
    hearing = Hearing.objects.create(
        proceeding=proceeding, starts_at=timezone.now() + timedelta(days=5), place="Court"
    )
    cancel = f"/proceedings/{proceeding.pk}/hearings/{hearing.pk}/cancel/"
    assert client.post(cancel).status_code == 404
    assert Hearing.objects.filter(pk=hearing.pk).exists()
    assert client.get(f"/proceedings/{proceeding.pk}/edit/").status_code == 404


def test_the_case_owner_sees_no_forms_on_the_proceeding(proceeding: Proceeding) -> None:
    text = signed_in("screener").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert f"/proceedings/{proceeding.pk}/stage/" not in text
    assert f"/proceedings/{proceeding.pk}/edit/" not in text


@pytest.mark.parametrize("username", ["screener", "coordinator", "analyst", "admin"])
def test_only_investigators_reach_the_registration_page(username: str, personas: Personas) -> None:
    assert signed_in(username).get("/proceedings/register/").status_code == 404


def test_only_administrators_keep_the_articles(personas: Personas, officer: User) -> None:
    assert signed_in("investigator").get("/proceedings/articles/").status_code == 404
    assert signed_in("coordinator").get("/proceedings/articles/").status_code == 404
    page = signed_in("admin").get("/proceedings/articles/")
    assert page.status_code == 200 and "128" in page.content.decode()


# Registering


def _register_data(case: Case, **extra: object) -> dict[str, object]:
    return {
        "case_number": case.number,
        "erdr_number": "2615 0003 1000 555",
        "registered_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "articles": [Article.objects.get(number="128").pk],
        "person_status": "victim",
        "cooperates": "yes",
        **extra,
    }


def test_an_investigator_registers_a_proceeding_on_a_case_referred_to_their_agency(
    case: Case, officer: User
) -> None:
    response = signed_in("investigator").post("/proceedings/register/", _register_data(case))
    proceeding = Proceeding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proceedings/{proceeding.pk}/"
    assert proceeding.erdr_number == "261500031000555"
    assert proceeding.investigating_agency_id == officer.agency_id
    assert proceeding.cooperates is True


def test_a_wrong_case_number_is_a_form_error_in_the_user_s_language_and_is_audited(
    case: Case, officer: User, personas: Personas
) -> None:
    not_referred = open_case(personas.screener)
    response = signed_in("investigator", "ru").post(
        "/proceedings/register/", _register_data(not_referred)
    )
    assert response.status_code == 400
    with translation.override("ru"):
        expected = gettext("No case with this number was referred to your agency.")
    text = response.content.decode()
    assert '<html lang="ru">' in text
    assert escape(expected) in text
    assert not Proceeding.objects.exists()
    assert AuditEntry.objects.filter(
        action=Action.DENIED,
        object_type=ObjectType.CASE,
        object_id=not_referred.number,
        actor=officer,
    ).exists()


def test_a_broken_registration_rule_is_shown_on_the_form(case: Case, officer: User) -> None:
    response = signed_in("investigator").post(
        "/proceedings/register/", _register_data(case, erdr_number="12345")
    )
    assert response.status_code == 400
    assert "12 to 20 digits" in response.content.decode()


# The detail page and its forms


def test_the_case_worker_sees_the_hearing_s_date_and_place_but_not_the_investigators_note(
    proceeding: Proceeding, officer: User
) -> None:
    to_trial(proceeding, officer)
    actions.do_schedule_hearing(
        proceeding,
        actor=officer,
        starts_at=timezone.now() + timedelta(days=7),
        place="Алмалинский районный суд",
        note="Witness protection: arrive by the side door",
    )
    owner = signed_in("screener").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "Алмалинский районный суд" in owner
    assert "side door" not in owner
    mine = signed_in("investigator").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "side door" in mine


def test_no_verdict_before_the_trial_is_shown_as_the_rule_s_message(
    proceeding: Proceeding,
) -> None:
    client = signed_in("investigator")
    response = client.post(
        f"/proceedings/{proceeding.pk}/stage/",
        {
            "revision": proceeding.revision,
            "stage": "verdict",
            "on": timezone.localdate().isoformat(),
            "verdict": "convicted",
            "sentence_months": "60",
        },
        follow=True,
    )
    assert "No verdict before the trial: record the trial first." in response.content.decode()
    proceeding.refresh_from_db()
    assert proceeding.stage == Proceeding.Stage.PRE_TRIAL


def test_a_stage_moves_and_a_verdict_shows_the_compensation_in_the_reader_s_format(
    proceeding: Proceeding, officer: User
) -> None:
    to_trial(proceeding, officer)
    proceeding.refresh_from_db()
    client = signed_in("investigator")
    client.post(
        f"/proceedings/{proceeding.pk}/stage/",
        {
            "revision": proceeding.revision,
            "stage": "verdict",
            "on": timezone.localdate().isoformat(),
            "verdict": "convicted",
            "sentence_months": "96",
            "compensation_awarded": "2500000",
        },
    )
    proceeding.refresh_from_db()
    assert proceeding.stage == Proceeding.Stage.VERDICT and proceeding.sentence_months == 96
    text = client.get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "2,500,000" in text
    ru = signed_in("investigator", "ru").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "2\xa0500\xa0000" in ru or "2 500 000" in ru


def test_a_stale_page_shows_the_conflict_message_and_changes_nothing(
    proceeding: Proceeding, officer: User
) -> None:
    stale = proceeding.revision
    actions.do_update_proceeding(
        proceeding,
        actor=officer,
        data={"cooperates": False},
        expected_revision=stale,
    )
    response = signed_in("investigator").post(
        f"/proceedings/{proceeding.pk}/stage/",
        {"revision": stale, "stage": "sent_to_court", "on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Someone else changed this proceeding" in response.content.decode()
    proceeding.refresh_from_db()
    assert proceeding.stage == Proceeding.Stage.PRE_TRIAL


def test_a_stale_edit_of_the_details_shows_the_conflict_message(
    proceeding: Proceeding, officer: User
) -> None:
    stale = proceeding.revision
    actions.do_update_proceeding(
        proceeding, actor=officer, data={"cooperates": False}, expected_revision=stale
    )
    response = signed_in("investigator").post(
        f"/proceedings/{proceeding.pk}/edit/",
        {
            "revision": stale,
            "erdr_number": ERDR,
            "registered_on": proceeding.registered_on.isoformat(),
            "articles": [a.pk for a in proceeding.articles.all()],
            "person_status": "witness",
            "cooperates": "yes",
        },
        follow=True,
    )
    assert "Someone else changed this proceeding" in response.content.decode()
    proceeding.refresh_from_db()
    assert proceeding.person_status == "victim"


def test_the_details_are_edited(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    assert client.get(f"/proceedings/{proceeding.pk}/edit/").status_code == 200
    response = client.post(
        f"/proceedings/{proceeding.pk}/edit/",
        {
            "revision": proceeding.revision,
            "erdr_number": ERDR,
            "registered_on": proceeding.registered_on.isoformat(),
            "articles": [
                Article.objects.get(number="128").pk,
                Article.objects.get(number="135").pk,
            ],
            "person_status": "witness",
            "cooperates": "no",
            "compensation_claimed": "1000000",
        },
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.person_status == "witness" and proceeding.cooperates is False
    assert proceeding.compensation_claimed == 1_000_000
    assert set(proceeding.articles.values_list("number", flat=True)) == {"128", "135"}


def test_suspects_are_counted_by_role_sex_and_citizenship(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    page = client.get(f"/proceedings/{proceeding.pk}/suspects/")
    assert page.status_code == 200
    response = client.post(
        f"/proceedings/{proceeding.pk}/suspects/",
        {
            "revision": proceeding.revision,
            "s-TOTAL_FORMS": "3",
            "s-INITIAL_FORMS": "0",
            "s-0-standing": "suspect",
            "s-0-role": "recruiter",
            "s-0-sex": "female",
            "s-0-citizenship": "kz",
            "s-0-count": "2",
            "s-1-standing": "accused",
            "s-1-role": "organiser",
            "s-1-sex": "male",
            "s-1-citizenship": "UZ",
            "s-1-count": "1",
        },
    )
    assert response.status_code == 302
    rows = {(s.standing, s.role, s.citizenship, s.count) for s in proceeding.suspects.all()}
    assert rows == {("suspect", "recruiter", "KZ", 2), ("accused", "organiser", "UZ", 1)}
    text = client.get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "suspects: 2 · accused: 1" in text


def test_an_incomplete_suspects_row_is_refused_with_the_rule_s_message(
    proceeding: Proceeding,
) -> None:
    response = signed_in("investigator").post(
        f"/proceedings/{proceeding.pk}/suspects/",
        {
            "revision": proceeding.revision,
            "s-TOTAL_FORMS": "1",
            "s-INITIAL_FORMS": "0",
            "s-0-standing": "suspect",
            "s-0-count": "2",
        },
    )
    assert response.status_code == 400
    assert "Each row needs a standing" in response.content.decode()
    assert not proceeding.suspects.exists()


def test_a_protection_measure_is_added_and_ended(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    start = timezone.localdate() - timedelta(days=5)
    client.post(
        f"/proceedings/{proceeding.pk}/protection/",
        {"kind": "safe_place", "starts_on": start.isoformat()},
    )
    measure = proceeding.protection_measures.get()
    client.post(
        f"/proceedings/{proceeding.pk}/protection/{measure.pk}/end/",
        {"ends_on": timezone.localdate().isoformat()},
    )
    measure.refresh_from_db()
    assert measure.ends_on == timezone.localdate()
    # The end before the start: the rule's message, nothing saved.
    response = client.post(
        f"/proceedings/{proceeding.pk}/protection/{measure.pk}/end/",
        {"ends_on": (start - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "A measure cannot end before it starts." in response.content.decode()


def test_a_hearing_is_scheduled_once_sent_to_court_and_cancelled(
    proceeding: Proceeding, officer: User
) -> None:
    client = signed_in("investigator")
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    early = client.post(
        f"/proceedings/{proceeding.pk}/hearings/",
        {"starts_at": when, "place": "Court"},
        follow=True,
    )
    assert "Hearings are scheduled once the case is sent to court." in early.content.decode()
    to_trial(proceeding, officer)
    client.post(f"/proceedings/{proceeding.pk}/hearings/", {"starts_at": when, "place": "Court"})
    hearing = proceeding.hearings.get()
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type=ObjectType.HEARING, object_id=str(hearing.pk)
    ).exists()
    client.post(f"/proceedings/{proceeding.pk}/hearings/{hearing.pk}/cancel/")
    assert not proceeding.hearings.exists()


def test_an_administrator_adds_and_edits_an_article(personas: Personas) -> None:
    client = signed_in("admin")
    data = {
        "number": "128-1",
        "name_kk": "Сынақ бабы",
        "name_ru": "Пробная статья",
        "name_en": "Trial article",
        "is_active": "on",
    }
    assert client.post("/proceedings/articles/", data).status_code == 302
    article = Article.objects.get(number="128-1")
    assert client.get(f"/proceedings/articles/?article={article.pk}").status_code == 200
    client.post("/proceedings/articles/", {**data, "is_active": ""})
    article.refresh_from_db()
    assert article.is_active is False


# The case page links to the proceedings


def test_the_case_page_links_to_its_proceedings_for_those_who_may_read_them(
    proceeding: Proceeding,
) -> None:
    text = signed_in("screener").get(f"/cases/{proceeding.case_id}/").content.decode()
    assert "Criminal proceedings (1)" in text
    assert f"/proceedings/?case={proceeding.case_id}" in text


def test_the_investigator_s_home_links_to_the_proceedings(officer: User) -> None:
    text = signed_in("investigator").get("/").content.decode()
    assert "/proceedings/register/" in text


# Junk input never makes a 500


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"revision": "x", "stage": "verdict", "on": "not a date"},
        {"revision": str(2**40), "stage": "closed", "on": "2026-01-01", "closing_reason": "zzz"},
        {"revision": "1", "stage": "pre_trial", "on": "9999-99-99"},
        {"revision": "1", "stage": "verdict", "on": "2026-01-01", "sentence_months": "-5"},
    ],
)
def test_junk_on_the_stage_form_never_makes_a_500(
    proceeding: Proceeding, data: dict[str, str]
) -> None:
    response = signed_in("investigator").post(f"/proceedings/{proceeding.pk}/stage/", data)
    assert response.status_code == 302


def test_junk_elsewhere_never_makes_a_500(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    pk = proceeding.pk
    assert client.post(f"/proceedings/{pk}/suspects/", {"s-TOTAL_FORMS": "x"}).status_code in (
        302,
        400,
    )
    assert client.post(f"/proceedings/{pk}/hearings/", {"starts_at": "x"}).status_code == 302
    assert client.post(f"/proceedings/{pk}/protection/", {"kind": "x"}).status_code == 302
    assert client.post(f"/proceedings/{pk}/protection/{10**17}/end/").status_code == 404
    assert client.post(f"/proceedings/{pk}/hearings/99999/cancel/").status_code == 404
    assert client.get(f"/proceedings/{10**17}/").status_code == 404
    junk = {"case_number": "x" * 40, "articles": ["1e9", "9" * 30], "registered_on": "x"}
    assert client.post("/proceedings/register/", junk).status_code == 400
    edit = {"revision": "1", "articles": ["abc"], "compensation_paid": "10" * 20}
    assert client.post(f"/proceedings/{pk}/edit/", edit).status_code == 400


def test_a_shelter_s_case_worker_who_owns_the_case_sees_when_and_where_but_no_note(
    personas: Personas, officer: User
) -> None:
    case = open_case(personas.caseworker)
    refer_to(case, officer)
    proceeding = register(case, officer)
    to_trial(proceeding, officer)
    actions.do_schedule_hearing(
        proceeding,
        actor=officer,
        starts_at=timezone.now() + timedelta(days=2),
        place="Медеуский районный суд",
        note="The defence will ask for a confrontation",
    )
    text = signed_in("caseworker").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert "Медеуский районный суд" in text
    assert "confrontation" not in text
    assert "/hearings/" not in text  # no form to schedule or cancel


def test_the_coordinator_of_the_region_reaches_the_proceedings_from_the_case_page(
    proceeding: Proceeding,
) -> None:
    client = signed_in("coordinator")
    text = client.get(f"/cases/{proceeding.case_id}/").content.decode()
    assert "Criminal proceedings (1)" in text
    listed = client.get(f"/proceedings/?case={proceeding.case_id}").content.decode()
    assert ERDR in listed


def test_the_case_page_shows_no_link_when_the_case_has_no_proceeding(case: Case) -> None:
    text = signed_in("screener").get(f"/cases/{case.pk}/").content.decode()
    assert "Criminal proceedings (" not in text


def test_the_investigator_s_edit_pages_are_audited_reads(proceeding: Proceeding) -> None:
    client = signed_in("investigator")
    client.get(f"/proceedings/{proceeding.pk}/edit/")
    client.get(f"/proceedings/{proceeding.pk}/suspects/")
    reads = AuditEntry.objects.filter(
        action=Action.READ, object_type=ObjectType.PROCEEDING, object_id=str(proceeding.pk)
    )
    assert reads.count() == 2


def test_the_stage_form_offers_only_the_stages_ahead_and_closing(
    proceeding: Proceeding, officer: User
) -> None:
    to_trial(proceeding, officer)
    text = signed_in("investigator").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert 'value="verdict"' in text and 'value="closed"' in text
    assert 'value="sent_to_court"' not in text and 'value="pre_trial"' not in text


def test_a_closed_proceeding_offers_no_stage_form(proceeding: Proceeding, officer: User) -> None:
    actions.do_move_stage(
        proceeding,
        actor=officer,
        stage=Proceeding.Stage.CLOSED,
        on=timezone.localdate(),
        closing_reason=Proceeding.ClosingReason.NO_CORPUS,
        expected_revision=None,
    )
    text = signed_in("investigator").get(f"/proceedings/{proceeding.pk}/").content.decode()
    assert f"/proceedings/{proceeding.pk}/stage/" not in text
    assert "no corpus delicti" in text


def test_the_list_costs_the_same_queries_for_two_proceedings_as_for_six(
    proceeding: Proceeding, personas: Personas, officer: User
) -> None:
    client = signed_in("investigator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/proceedings/").status_code == 200
        return len(captured.captured_queries)

    register(referred_case(personas, officer), officer, erdr_number="261500031000002")
    queries()  # the first request of the session warms caches
    two = queries()
    for n in range(4):
        register(referred_case(personas, officer), officer, erdr_number=f"26150003100001{n}")
    assert queries() == two


def test_an_article_taken_out_of_use_stays_on_the_proceeding_when_its_details_are_saved(
    proceeding: Proceeding,
) -> None:
    Article.objects.filter(number="128").update(is_active=False)
    client = signed_in("investigator")
    page = client.get(f"/proceedings/{proceeding.pk}/edit/").content.decode()
    pk = Article.objects.get(number="128").pk
    assert re.search(rf'<input[^>]*name="articles"[^>]*value="{pk}"[^>]*checked', page)
    response = client.post(
        f"/proceedings/{proceeding.pk}/edit/",
        {
            "revision": proceeding.revision,
            "erdr_number": ERDR,
            "registered_on": proceeding.registered_on.isoformat(),
            "articles": [Article.objects.get(number="128").pk],
            "person_status": "victim",
            "cooperates": "yes",
        },
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.cooperates is True
    assert list(proceeding.articles.values_list("number", flat=True)) == ["128"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_pages_open_in_every_language(proceeding: Proceeding, officer: User, lang: str) -> None:
    to_trial(proceeding, officer)
    client = signed_in("investigator", lang)
    for url in (
        "/proceedings/",
        "/proceedings/register/",
        f"/proceedings/{proceeding.pk}/",
        f"/proceedings/{proceeding.pk}/edit/",
        f"/proceedings/{proceeding.pk}/suspects/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{lang}">' in page.content.decode()
