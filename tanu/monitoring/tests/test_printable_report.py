"""The printable visit report, in the language chosen (Kazakh, Russian, English), as a page and
as a PDF; it carries counts and observations, never personal data."""

from __future__ import annotations

import io
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases.tests.helpers import CANARY
from tanu.identification import actions as screening_actions
from tanu.monitoring import actions
from tanu.monitoring.models import Visit
from tanu.monitoring.tests.helpers import PRESUMED, day_after, recorded, signed_in

pytestmark = pytest.mark.django_db
LOCALE = Path(__file__).resolve().parents[2] / "locale"
HEADINGS = ["Findings", "Recommendations", "Follow-up actions", "What the screenings found"]


def _visit(personas: Personas) -> Visit:
    personas.monitor.first_name, personas.monitor.last_name = "Dana", "Nurlanova"
    personas.monitor.save()
    visit = recorded(personas)
    screening = actions.do_start_visit_screening(
        visit, actor=personas.monitor, age_group="adult", form="labour", interview_language="ru"
    )
    screening = screening_actions.do_record_answers(
        screening, actor=personas.monitor, answers=dict.fromkeys(PRESUMED, "observed")
    )
    screening = screening_actions.do_finalise_screening(
        screening,
        actor=personas.monitor,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
    )
    case_actions.do_open_case(screening, actor=personas.monitor, person_data=dict(CANARY))
    actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Request interpreters from the migration service",
        owner=personas.monitor,
        due_on=day_after(10),
    )
    return visit


def _translated(lang: str, message: str) -> str:
    with translation.override(lang):
        return gettext(message)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_printable_report_renders_in_the_language_chosen(personas: Personas, lang: str) -> None:
    visit = _visit(personas)
    response = signed_in("coordinator").get(f"/monitoring/visits/{visit.pk}/print/?lang={lang}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    for heading in HEADINGS:
        assert f"<h2>{_translated(lang, heading)}</h2>" in page
    assert visit.findings in page and visit.recommendations in page
    assert "Request interpreters from the migration service" in page
    # Counts, not people: no team member's name, nothing from the case file.
    assert "Nurlanova" not in page
    for value in ("Канарьева", "Жанар", "N12345678", "+7 701"):
        assert value not in page
    assert AuditEntry.objects.filter(
        object_type="visit", object_id=str(visit.pk), action="read", fields=["print"]
    ).exists()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_pdf_report_renders_in_the_language_chosen(personas: Personas, lang: str) -> None:
    visit = _visit(personas)
    response = signed_in("monitor").get(f"/monitoring/visits/{visit.pk}/pdf/?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in HEADINGS[:3]:
        assert _translated(lang, heading) in text
    assert "Nurlanova" not in text and "Канарьева" not in text
    assert AuditEntry.objects.filter(
        object_type="visit", object_id=str(visit.pk), action="export"
    ).exists()


def test_the_report_speaks_the_users_language_when_none_is_asked_for(
    personas: Personas,
) -> None:
    visit = _visit(personas)
    page = signed_in("monitor", lang="ru").get(f"/monitoring/visits/{visit.pk}/print/?lang=zz")
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_monitoring_message_is_translated(lang: str) -> None:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    ids = {e.msgid for e in po}
    assert set(HEADINGS) <= ids
