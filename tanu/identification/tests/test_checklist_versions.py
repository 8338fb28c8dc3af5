"""Checklists as XLSForm, imported by a national administrator, approved by a second one from a
day on; screenings dated before that day keep the version they used."""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from tanu.accounts.models import User
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry, ObjectType
from tanu.identification import actions, catalogue, checklist_versions, engine, xlsform
from tanu.identification.checklist_files import load_all_data
from tanu.identification.models import ChecklistVersion, Screening

SHIPPED = sorted(load_all_data())
LIST = "ilo-adult-labour"


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def shipped(checklist_id: str = LIST) -> dict[str, Any]:
    return copy.deepcopy(load_all_data()[checklist_id])


def first(data: dict[str, Any], strength: str, dimension: str | None = None) -> dict[str, Any]:
    return next(
        item
        for item in data["indicators"]
        if item["strength"] == strength and dimension in (None, item["dimension"])
    )


def edited(data: dict[str, Any], edit: Any) -> bytes:
    """The data's workbook after ``edit(survey_sheet, row_of_code, settings_sheet)``."""
    book = load_workbook(io.BytesIO(xlsform.write_xlsform(data)))
    survey, settings = book["survey"], book["settings"]
    header = [cell.value for cell in survey[1]]
    code_column = header.index("code")

    def row_of(code: str) -> int:
        for row in survey.iter_rows(min_row=2):
            if row[code_column].value == code:
                return row[0].row
        raise KeyError(code)

    edit(survey, row_of, settings, header)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def set_cell(sheet: Any, header: list[str], row: int, column: str, value: object) -> None:
    sheet.cell(row=row, column=header.index(column) + 1).value = value


def imported(personas: Personas, data: dict[str, Any]) -> ChecklistVersion:
    return checklist_versions.do_import_checklist_version(data, actor=personas.national_admin)


def approve(personas: Personas, row: ChecklistVersion, days: int = 0) -> ChecklistVersion:
    return checklist_versions.do_approve_checklist_version(
        row,
        actor=personas.national_admin2,
        effective_from=timezone.localdate() + timedelta(days=days),
    )


def screening(personas: Personas, observed: list[str], days_ago: int = 0) -> Screening:
    return actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "form": "labour",
            "screened_on": timezone.localdate() - timedelta(days=days_ago),
        },
        answers=dict.fromkeys(observed, "observed"),
    )


# --- the XLSForm ---------------------------------------------------------------------------------


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_pyxform_converts_every_shipped_lists_export_to_an_xform(checklist_id: str) -> None:
    data = shipped(checklist_id)
    warnings: list[str] = []
    result = convert(
        xlsform=io.BytesIO(xlsform.write_xlsform(data)), warnings=warnings, file_type=".xlsx"
    )
    assert warnings == []
    xform = result.xform
    assert f'id="{checklist_id}"' in xform and f'version="{data["version"]}"' in xform
    for language in ("Қазақша (kk)", "Русский (ru)", "English (en)"):
        assert f'<translation lang="{language}"' in xform
    # One question per indicator, in its dimension's group, answered from the four answers.
    for indicator in data["indicators"]:
        name = xlsform.question_name(indicator["code"])
        assert f'nodeset="/data/{indicator["dimension"]}/{name}" type="string"' in xform
    assert xform.count('<select1 ref="/data/') == len(data["indicators"])
    for answer in ("observed", "not_observed", "declined", "unknown"):
        assert f"<name>{answer}</name>" in xform
    # The assessment is calculated in the form: each dimension, the threshold, the outcome.
    for dimension in engine.DIMENSIONS:
        assert f'<bind nodeset="/data/{dimension}_positive" type="string" calculate=' in xform
    assert '<bind nodeset="/data/outcome" type="string" calculate="if(' in xform
    # Notes say which dimensions are met and the outcome, each shown when it holds.
    assert (
        '<bind nodeset="/data/note_exploitative_conditions" readonly="true()" type="string" '
        'relevant=" /data/exploitative_conditions_positive  = 1"/>'
    ) in xform
    assert "relevant=\" /data/outcome  = 'presumed_victim'\"" in xform


def test_the_calculations_follow_the_lists_rule_and_grades() -> None:
    data = shipped()
    strong = first(data, "strong", "deceptive_recruitment")
    fields = dict(xlsform.calculations(data))
    name = xlsform.question_name(strong["code"])
    assert f"${{{name}}} = 'observed'" in fields["deceptive_recruitment_strong"]
    assert name not in fields["deceptive_recruitment_medium"]
    # The clauses of DESIGN.md, "medium or weak" counted together.
    positive = fields["deceptive_recruitment_positive"]
    assert "(${deceptive_recruitment_strong} >= 2)" in positive
    assert "(${deceptive_recruitment_medium} + ${deceptive_recruitment_weak} >= 1)" in positive
    assert fields["threshold_group_2"] == "number(${exploitative_conditions_positive} = 1)"
    assert fields["outcome"].startswith("if(${threshold_met} = 1, 'presumed_victim'")


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_export_followed_by_import_gives_the_same_checklist(checklist_id: str) -> None:
    data = shipped(checklist_id)
    assert xlsform.read_xlsform(xlsform.write_xlsform(data)) == data


def test_a_bad_file_lists_every_problem_with_its_sheet_row_and_column() -> None:
    data = shipped()
    strong, medium = first(data, "strong"), first(data, "medium")
    weak = first(data, "weak")
    rows: dict[str, int] = {}

    def spoil(survey: Any, row_of: Any, settings: Any, header: list[str]) -> None:
        rows.update(strong=row_of(strong["code"]), medium=row_of(medium["code"]))
        rows["weak"] = row_of(weak["code"])
        set_cell(survey, header, rows["strong"], "strength", "very strong")
        set_cell(survey, header, rows["medium"], "code", weak["code"])
        set_cell(survey, header, rows["weak"], "dimension", "sadness")
        set_cell(survey, header, rows["weak"], "label::Русский (ru)", None)
        settings.cell(
            row=2, column=[c.value for c in settings[1]].index("tanu_rule") + 1
        ).value = '{"dimension_positive": [{"strong": 2}]}'

    with pytest.raises(xlsform.XLSFormError) as caught:
        xlsform.read_xlsform(edited(data, spoil))
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("survey", rows["strong"], "strength") in found
    assert ("survey", rows["weak"], "code") in found  # the second use of the code
    assert ("survey", rows["weak"], "dimension") in found
    assert ("survey", rows["weak"], "label::Русский (ru)") in found
    assert ("settings", 2, "tanu_rule") in found
    reasons = " ".join(p.reason for p in caught.value.problems)
    assert "'very strong' is not one of strong, medium, weak" in reasons
    assert "no label in Русский (ru)" in reasons


def test_a_file_that_is_not_a_workbook_or_lacks_a_sheet_is_refused() -> None:
    with pytest.raises(xlsform.XLSFormError) as caught:
        xlsform.read_xlsform(b"not a spreadsheet")
    assert caught.value.problems[0].reason.startswith("The file is not an Excel workbook")

    def drop_settings(survey: Any, row_of: Any, settings: Any, header: list[str]) -> None:
        settings.parent.remove(settings)

    with pytest.raises(xlsform.XLSFormError) as caught:
        xlsform.read_xlsform(edited(shipped(), drop_settings))
    assert [(p.sheet, p.row) for p in caught.value.problems] == [("settings", None)]


# --- what changes --------------------------------------------------------------------------------


def changed_copy() -> tuple[dict[str, Any], dict[str, str]]:
    """The adult labour list with one indicator of each kind of change, and the codes."""
    data = shipped()
    removed = data["indicators"].pop()
    regraded = first(data, "medium")
    regraded["strength"] = "strong"
    reworded = first(data, "weak")
    reworded["label"] = {**reworded["label"], "kk": "Жаңа мәтін"}
    added = {**copy.deepcopy(regraded), "code": "KZ-EC-01", "strength": "weak"}
    data["indicators"].append(added)
    data["rule"]["dimension_positive"].append({"weak": 4})
    codes = {
        "removed": removed["code"],
        "regraded": regraded["code"],
        "reworded": reworded["code"],
        "added": "KZ-EC-01",
    }
    return data, codes


def test_the_diff_names_added_removed_regraded_and_reworded_indicators_and_the_rule() -> None:
    data, codes = changed_copy()
    changes = checklist_versions.diff(shipped(), data)
    assert [item["code"] for item in changes.added] == [codes["added"]]
    assert [item["code"] for item in changes.removed] == [codes["removed"]]
    assert [(i["code"], old, new) for i, old, new in changes.regraded] == [
        (codes["regraded"], "medium", "strong")
    ]
    assert [(i["code"], langs) for i, langs in changes.reworded] == [(codes["reworded"], ["kk"])]
    assert changes.rule_changed and changes.rule_after == data["rule"]
    assert checklist_versions.diff(shipped(), shipped()).is_empty


def test_the_draft_page_shows_the_changes_before_anything_takes_effect(personas: Personas) -> None:
    data, codes = changed_copy()
    client = signed_in("national_admin")
    upload = io.BytesIO(xlsform.write_xlsform(data))
    upload.name = "corrected.xlsx"
    response = client.post("/checklists/versions/", {"file": upload})
    assert response.status_code == 302
    row = ChecklistVersion.objects.get(status=ChecklistVersion.Status.DRAFT)
    assert response["Location"] == f"/checklists/versions/{row.pk}/#changes"
    page = client.get(response["Location"]).content.decode()
    for kind, code in codes.items():
        section = re.search(rf'data-testid="{kind}">(.*?)</ul>', page, re.S)
        assert section is not None and code in section.group(1), kind
    assert "medium → strong" in page
    assert "{&quot;weak&quot;: 4}" in page  # the new clause of the rule
    # Nothing has taken effect: the version in force is still the shipped one.
    assert catalogue.get_version(LIST).version == 2  # type: ignore[union-attr]


def test_the_command_prints_the_problems_row_by_row_and_imports_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    data = shipped()
    data["indicators"][3]["strength"] = "huge"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsform.write_xlsform(data))
    catalogue.current_versions()
    before = ChecklistVersion.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("checklist", "import", str(path), "--by", "national_admin", stderr=err)
    assert "survey, row 6, column strength: The grade 'huge'" in err.getvalue()
    assert ChecklistVersion.objects.count() == before


def test_the_command_exports_and_imports_a_regrade_as_a_draft_with_its_diff(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "al.xlsx"
    out = io.StringIO()
    call_command(
        "checklist", "export", LIST, "--format", "xlsform", "--output", str(path), stdout=out
    )
    assert f"{LIST} version 2 written to" in out.getvalue()
    medium = first(shipped(), "medium")

    def regrade(survey: Any, row_of: Any, settings: Any, header: list[str]) -> None:
        set_cell(survey, header, row_of(medium["code"]), "strength", "weak")

    path.write_bytes(edited(xlsform.read_xlsform(path.read_bytes()), regrade))
    out = io.StringIO()
    call_command("checklist", "import", str(path), "--by", "national_admin", stdout=out)
    assert f"{LIST} version 3 imported as a draft" in out.getvalue()
    assert f"regraded {medium['code']}: medium -> weak" in out.getvalue()
    row = ChecklistVersion.objects.get(checklist_id=LIST, version=3)
    assert row.status == ChecklistVersion.Status.DRAFT and row.created_by == personas.national_admin
    with pytest.raises(CommandError, match="not an active national administrator"):
        call_command("checklist", "import", str(path), "--by", "admin")


def test_the_operators_import_names_no_official_and_any_national_administrator_approves(
    personas: Personas, tmp_path: Path
) -> None:
    """The issue's shape, ``tanu checklist import FILE.xlsx``: the draft is recorded under the
    command, the shipped files no longer change the list, and either national administrator
    may approve it (neither imported it)."""
    medium = first(shipped(), "medium")

    def regrade(survey: Any, row_of: Any, settings: Any, header: list[str]) -> None:
        set_cell(survey, header, row_of(medium["code"]), "strength", "weak")

    path = tmp_path / "al.xlsx"
    path.write_bytes(edited(shipped(), regrade))
    call_command("checklist", "import", str(path), stdout=io.StringIO())
    row = ChecklistVersion.objects.get(checklist_id=LIST, status=ChecklistVersion.Status.DRAFT)
    assert row.created_by is None and row.is_imported
    entry = AuditEntry.objects.get(object_type="checklist_version", object_id=str(row.pk))
    assert entry.actor is None and entry.actor_username == "tanu checklist import"
    checklist_versions.do_approve_checklist_version(
        row, actor=personas.national_admin, effective_from=timezone.localdate()
    )
    catalogue.sync_from_files()
    assert catalogue.get_version(LIST).version == row.version


def test_a_bad_file_on_the_page_is_refused_with_its_row_problems(personas: Personas) -> None:
    data = shipped()
    data["indicators"][0]["label"]["en"] = ""
    upload = io.BytesIO(xlsform.write_xlsform(data))
    upload.name = "bad.xlsx"
    catalogue.current_versions()
    before = ChecklistVersion.objects.count()
    response = signed_in("national_admin").post("/checklists/versions/", {"file": upload})
    assert response.status_code == 400
    table = re.search(r'data-testid="problems">(.*?)</table>', response.content.decode(), re.S)
    assert table is not None
    assert "survey" in table.group(1) and "label::English (en)" in table.group(1)
    assert "The indicator has no label in English (en)." in table.group(1)
    assert ChecklistVersion.objects.count() == before


def test_a_file_identical_to_the_version_in_force_or_of_an_unknown_list_is_refused(
    personas: Personas,
) -> None:
    with pytest.raises(checklist_versions.ChecklistVersionError, match="nothing to import"):
        imported(personas, shipped())
    other = shipped()
    other["id"] = "national-adult-labour"
    with pytest.raises(checklist_versions.ChecklistVersionError, match="no checklist"):
        imported(personas, other)


# --- approval and effect -------------------------------------------------------------------------


def test_an_approved_regrade_moves_a_new_screening_but_not_an_old_one(personas: Personas) -> None:
    data = shipped()
    medium = first(data, "medium", "deceptive_recruitment")
    old_draft = screening(personas, [medium["code"]], days_ago=1)
    old_final = screening(personas, [medium["code"]], days_ago=1)
    old_final = actions.do_finalise_screening(
        old_final,
        actor=personas.screener,
        judgement="agree",
        notes="",
        expected_revision=old_final.revision,
        stop_reason="left",
    )
    assert old_draft.outcome == old_final.outcome == engine.INCOMPLETE
    medium["strength"] = "strong"
    row = approve(personas, imported(personas, data))
    assert row.version == 3 and row.effective_from == timezone.localdate()

    new = screening(personas, [medium["code"]])
    assert new.outcome == engine.POSSIBLE_VICTIM
    assert list(new.checklist_versions.values_list("version", flat=True)) == [3]
    # A re-assessment of the draft started yesterday keeps the version it used.
    old_draft = actions.do_record_answers(
        old_draft, actor=personas.screener, answers={first(data, "weak")["code"]: "not_observed"}
    )
    assert old_draft.outcome == engine.INCOMPLETE
    assert list(old_draft.checklist_versions.values_list("version", flat=True)) == [2]
    old_final.refresh_from_db()
    assert old_final.outcome == engine.INCOMPLETE
    assert list(old_final.checklist_versions.values_list("version", flat=True)) == [2]
    assert signed_in("screener").get(f"/screenings/{old_final.pk}/").status_code == 200


def test_a_version_approved_from_a_later_day_is_not_in_force_before_it(
    personas: Personas,
) -> None:
    data = shipped()
    medium = first(data, "medium", "deceptive_recruitment")
    medium["strength"] = "strong"
    approve(personas, imported(personas, data), days=7)
    today, later = timezone.localdate(), timezone.localdate() + timedelta(days=7)
    assert catalogue.get_version(LIST).version == 2  # type: ignore[union-attr]
    assert catalogue.get_version(LIST, on=later).version == 3  # type: ignore[union-attr]
    assert [r.version for r in catalogue.lists_for("adult", "labour", later)] == [3]
    assert screening(personas, [medium["code"]]).outcome == engine.INCOMPLETE
    assert catalogue.current_versions(today)[LIST].version == 2


def test_the_importer_cannot_approve_and_only_national_administrators_reach_the_pages(
    personas: Personas,
) -> None:
    data, _codes = changed_copy()
    row = imported(personas, data)
    client = signed_in("national_admin")
    today = timezone.localdate().isoformat()
    response = client.post(f"/checklists/versions/{row.pk}/approve/", {"effective_from": today})
    assert response.status_code == 400
    assert "A second national administrator must approve" in response.content.decode()
    row.refresh_from_db()
    assert row.status == ChecklistVersion.Status.DRAFT
    for username in ("screener", "coordinator", "admin", "analyst"):
        other = signed_in(username)
        assert other.get("/checklists/versions/").status_code == 404
        assert other.get(f"/checklists/versions/{row.pk}/").status_code == 404
        assert other.get(f"/checklists/versions/{row.pk}/xlsform/").status_code == 404
        approval = other.post(f"/checklists/versions/{row.pk}/approve/", {"effective_from": today})
        assert approval.status_code == 404
    row.refresh_from_db()
    assert row.status == ChecklistVersion.Status.DRAFT
    response = signed_in("national_admin2").post(
        f"/checklists/versions/{row.pk}/approve/", {"effective_from": today}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ChecklistVersion.Status.APPROVED
    assert row.approved_by == personas.national_admin2
    assert catalogue.get_version(LIST) == row


def test_an_approval_cannot_take_effect_in_the_past_or_before_an_approved_version(
    personas: Personas,
) -> None:
    data, _codes = changed_copy()
    row = imported(personas, data)
    client = signed_in("national_admin2")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(f"/checklists/versions/{row.pk}/approve/", {"effective_from": yesterday})
    assert response.status_code == 400
    assert "cannot take effect in the past" in response.content.decode()
    approve(personas, row, days=10)
    again = shipped()
    again["title"]["en"] = "Another title"
    second = imported(personas, again)
    with pytest.raises(checklist_versions.ChecklistVersionError, match="choose that day or later"):
        approve(personas, second, days=5)


def test_a_waiting_draft_blocks_another_import_until_it_is_rejected(personas: Personas) -> None:
    data, _codes = changed_copy()
    row = imported(personas, data)
    assert catalogue.get_version(LIST, row.version) is None  # a draft is no checklist yet
    with pytest.raises(checklist_versions.ChecklistVersionError, match="already waiting"):
        imported(personas, data)
    response = signed_in("national_admin").post(f"/checklists/versions/{row.pk}/reject/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ChecklistVersion.Status.REJECTED
    assert catalogue.get_version(LIST).version == 2  # type: ignore[union-attr]
    assert imported(personas, data).version == 4


def test_import_approval_and_rejection_are_audited(personas: Personas) -> None:
    data, _codes = changed_copy()
    row = approve(personas, imported(personas, data))
    data["title"]["en"] = "Yet another title"
    rejected = checklist_versions.do_reject_checklist_version(
        imported(personas, data), actor=personas.national_admin2
    )
    entries = AuditEntry.objects.filter(object_type=ObjectType.CHECKLIST_VERSION).order_by("pk")
    assert [(e.action, e.object_id, e.actor_username) for e in entries] == [
        ("create", str(row.pk), "national_admin"),
        ("update", str(row.pk), "national_admin2"),
        ("create", str(rejected.pk), "national_admin"),
        ("update", str(rejected.pk), "national_admin2"),
    ]


def test_loading_the_files_again_leaves_imported_versions_alone(personas: Personas) -> None:
    data, _codes = changed_copy()
    row = approve(personas, imported(personas, data))
    catalogue.sync_from_files()
    row.refresh_from_db()
    assert row.data["version"] == 3 and row.status == ChecklistVersion.Status.APPROVED
    assert ChecklistVersion.objects.filter(checklist_id=LIST).count() == 2
    assert catalogue.get_version(LIST) == row


def test_the_downloaded_spreadsheet_is_the_version_asked_for(personas: Personas) -> None:
    row = catalogue.get_version(LIST)
    assert row is not None
    response = signed_in("national_admin").get(f"/checklists/versions/{row.pk}/xlsform/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{LIST}-v2.xlsx"'
    assert xlsform.read_xlsform(response.content) == row.data
    assert (
        json.loads(load_workbook(io.BytesIO(response.content))["settings"]["G2"].value)
        == row.data["rule"]
    )


def test_a_national_administrator_sees_no_case_data(personas: Personas) -> None:
    user = User.objects.get(username="national_admin")
    assert not user.handles_cases
    client = signed_in("national_admin")
    assert client.get("/screenings/").status_code == 404
    assert client.get("/cases/").status_code == 404
    assert client.get("/checklists/versions/").status_code == 200


def test_a_national_administrators_home_leads_to_checklist_versions_and_articles(
    personas: Personas,
) -> None:
    client = signed_in("national_admin")
    home = client.get("/").content.decode()
    assert 'class="button primary" href="/checklists/versions/">Checklist versions' in home
    assert 'href="/proceedings/articles/"' in home
    assert client.get("/proceedings/articles/").status_code == 200


# --- the form's calculations agree with the engine -----------------------------------------------

_NAME = re.compile(r"\$\{([^}]+)\}")


def _python(xpath: str) -> Any:
    """The form's XPath (the few forms tanu writes: number(), if(), =, >=, +, and, or, string
    literals and ${name} references) as Python code over a dict ``v`` of values."""
    code = _NAME.sub(lambda m: f"v[{m.group(1)!r}]", xpath)
    code = code.replace(" = ", " == ").replace("number(", "_number(").replace("if(", "_if(")
    return compile(code, "<xpath>", "eval")


def _form_values(
    data: dict[str, Any], calculations: list[tuple[str, Any]], answers: dict[str, str]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        xlsform.question_name(i["code"]): answers.get(i["code"], "") for i in data["indicators"]
    }
    scope = {"_number": int, "_if": lambda test, yes, no: yes if test else no}
    for name, code in calculations:  # each uses only the fields before it
        values[name] = eval(code, scope, {"v": values})  # the XPath tanu wrote, nothing else
    return values


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_the_forms_calculations_agree_with_the_engine_on_random_answers(checklist_id: str) -> None:
    import random

    data = shipped(checklist_id)
    checklist = engine.Checklist.from_dict(data)
    codes = [i["code"] for i in data["indicators"]]
    strong = {i["code"] for i in data["indicators"] if i["strength"] == "strong"}
    calculations = [(name, _python(xpath)) for name, xpath in xlsform.calculations(data)]
    rng = random.Random(checklist_id)
    outcomes = set()
    for number in range(1500):
        if number % 3:  # anything, asked or not
            density = rng.random()
            answers = {
                code: rng.choice(["observed", "not_observed", "declined", "unknown"])
                for code in codes
                if rng.random() < density
            }
        else:  # a full interview that finds little: every question put
            answers = {
                code: "observed"
                if code not in strong and rng.random() < 0.04
                else rng.choice(["not_observed"] * 9 + ["declined"])
                for code in codes
            }
        result = engine.assess(
            checklist,
            [c for c, a in answers.items() if a == "observed"],
            [c for c, a in answers.items() if a == "not_observed"],
            [c for c, a in answers.items() if a == "declined"],
        )
        values = _form_values(data, calculations, answers)
        assert values["outcome"] == result.outcome, answers
        assert values["enough_asked"] == int(result.enough_asked)
        assert values["threshold_met"] == int(result.threshold_met)
        for key, dimension in result.dimensions.items():
            assert values[f"{key}_positive"] == int(dimension.positive), key
        outcomes.add(result.outcome)
    assert outcomes == set(engine.ALL_OUTCOMES)


def test_making_a_national_administrator_takes_two_administrators(personas: Personas) -> None:
    from tanu.accounts import actions as accounts
    from tanu.accounts.models import Role
    from tanu.accounts.tests.factories import UserFactory

    second = UserFactory(username="admin2", role=Role.ADMINISTRATOR, agency=personas.ministry)
    pending = accounts.do_change_role(personas.analyst, Role.NATIONAL_ADMIN, actor=personas.admin)
    assert pending is not None
    assert User.objects.get(pk=personas.analyst.pk).role == Role.ANALYST
    accounts.do_approve_role_change(pending, actor=second)
    assert User.objects.get(pk=personas.analyst.pk).role == Role.NATIONAL_ADMIN


def test_two_processes_loading_the_files_at_once_both_succeed(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a fresh database the first requests (a page and its service worker) may load the
    files at the same moment: the one that finds the other's row already inserted uses it
    instead of failing with a duplicate key (a 500 for the screener)."""
    ChecklistVersion.objects.all().delete()
    catalogue.sync_from_files()  # the other process, first
    before = set(ChecklistVersion.objects.values_list("pk", flat=True))
    monkeypatch.setattr(catalogue, "_stored", lambda checklist_id, version: None)

    loaded = catalogue.sync_from_files()  # this one had looked before the other inserted

    assert {row.pk for row in loaded} == before
    assert set(ChecklistVersion.objects.values_list("pk", flat=True)) == before
