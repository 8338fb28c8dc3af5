"""A trainer imports a seminar's participants from a CSV or XLSX file made from the template:
all or nothing, bad rows listed by number in the trainer's language, audited, and no file makes
a 500."""

from __future__ import annotations

import html
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training import imports
from tanu.training.models import Participant, Seminar
from tanu.training.tests.helpers import add_participant, make_seminar, signed_in

pytestmark = pytest.mark.django_db

GOOD_RU = (
    "full_name,role,agency,position\n"
    "Нурланова Айгерим Болатовна,административная полиция,ДП Алматы,инспектор\n"
    "Сейткали Ерлан,social_services,Центр социальной помощи,\n"
)


def _url(seminar: Seminar) -> str:
    return f"/training/seminars/{seminar.pk}/participants/import/"


def _upload(client: object, seminar: Seminar, data: bytes, name: str = "list.csv") -> object:
    return client.post(_url(seminar), {"file": SimpleUploadedFile(name, data)})  # type: ignore[attr-defined]


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def seminar(personas: Personas) -> Seminar:
    return make_seminar(personas.trainer)


def _labels(lang: str) -> list[str]:
    return imports.header_labels(lang)


def test_a_good_csv_file_imports_everyone_through_the_audited_action(seminar: Seminar) -> None:
    client = signed_in("trainer", "ru")
    header = ",".join(_labels("ru"))
    body = GOOD_RU.split("\n", 1)[1]
    response = _upload(client, seminar, (header + "\n" + body).encode("utf-8-sig"))
    assert response.status_code == 302  # type: ignore[attr-defined]
    people = list(seminar.participants.order_by("pk"))
    assert [p.full_name for p in people] == ["Нурланова Айгерим Болатовна", "Сейткали Ерлан"]
    assert [p.role for p in people] == ["administrative_police", "social_services"]
    assert people[0].agency_name == "ДП Алматы" and people[0].position == "инспектор"
    assert all(p.code for p in people)
    assert (
        AuditEntry.objects.filter(object_type="training_participant", action="create").count() == 2
    )
    summary = AuditEntry.objects.get(object_type="seminar_participants", action="create")
    assert summary.fields == ["import"]
    assert "Нурланова" not in str(summary.reason)


def test_a_good_xlsx_file_in_kazakh_imports_everyone(seminar: Seminar) -> None:
    client = signed_in("trainer", "kk")
    roles = imports.role_labels("kk")
    data = _xlsx(
        [
            _labels("kk"),
            ["Әлиева Дана", roles[0], "ДП Алматы", ""],
            ["Бекова Сара", roles[5], "ҮЕҰ", "заңгер"],
        ]
    )
    response = _upload(client, seminar, data, "list.xlsx")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert seminar.participants.count() == 2


def test_the_templates_have_the_headers_in_the_readers_language(seminar: Seminar) -> None:
    for lang in ("kk", "ru", "en"):
        client = signed_in("trainer", lang)
        base = f"/training/seminars/{seminar.pk}/participants/template"
        csv_text = client.get(f"{base}.csv").content.decode("utf-8-sig")
        assert csv_text.splitlines()[0].split(",") == _labels(lang)
        book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))
        first = [c.value for c in book.worksheets[0][1]]
        assert first == _labels(lang)
        assert [r[0].value for r in book.worksheets[1].iter_rows()] == imports.role_labels(lang)
    assert client.get(f"{base}.pdf").status_code == 404
    # A template filled in and uploaded unchanged in another language is read too.
    ru = signed_in("trainer", "ru")
    kk_header = ",".join(_labels("kk"))
    response = _upload(ru, seminar, f"{kk_header}\nӘлиева Дана,ngo,ҮЕҰ,\n".encode())
    assert response.status_code == 302  # type: ignore[attr-defined]


def _in(lang: str, message: str, **values: object) -> str:
    with override(lang):
        return _(message) % values if values else _(message)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_bad_rows_are_listed_in_the_users_language_and_nothing_is_imported(
    seminar: Seminar, personas: Personas, lang: str
) -> None:
    add_participant(seminar, personas.trainer, name="Уже Есть")
    client = signed_in("trainer", lang)
    text = (
        ",".join(_labels(lang)) + "\n"
        "Нурланова Айгерим,administrative_police,ДП Алматы,\n"  # row 2: good
        ",administrative_police,ДП Алматы,\n"  # row 3: no name
        "Бекова Сара,пожарный,ДП Алматы,\n"  # row 4: unknown role
        "нурланова   айгерим,ngo,НПО,\n"  # row 5: the same as row 2
        "Уже Есть,ngo,НПО,\n"  # row 6: already on the list
        "Без Организации,ngo,,\n"  # row 7: no organisation
    )
    response = _upload(client, seminar, text.encode())
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    assert _in(lang, "Nothing was imported") in page
    row = {n: _in(lang, "Row %(row)s", row=n) for n in range(2, 8)}
    for expected in (
        f"{row[3]}: {_in(lang, imports.MSG_NAME)}",
        f"{row[4]}: {_in(lang, imports.MSG_ROLE, value='пожарный')}",
        f"{row[5]}: {_in(lang, imports.MSG_DUPLICATE_FILE, row=2)}",
        f"{row[6]}: {_in(lang, imports.MSG_DUPLICATE_LIST)}",
        f"{row[7]}: {_in(lang, imports.MSG_AGENCY)}",
    ):
        assert expected in page
    assert f"{row[2]}:" not in page
    if lang == "en":
        assert "Row 4: “пожарный” is not a role from the list." in page
    assert seminar.participants.count() == 1
    assert not AuditEntry.objects.filter(object_type="seminar_participants", action="create")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"   \n\n", "The file is empty"),
        (b"\x00\x01\x02binary\xff\xfe" * 50, "cannot be read as CSV or XLSX"),
        (b"PK\x03\x04not really a zip" * 10, "cannot be read as CSV or XLSX"),
        (b"name;role\nX;ngo\n", "The first row must be the template"),
        (b"Full name (surname first),Role,Organisation\n", "no participants"),
        (b"x" * (imports.MAX_BYTES + 10), "too large"),
        (
            (
                "Full name (surname first),Role,Organisation\n"
                + "".join(f"Person {i},ngo,NGO\n" for i in range(imports.MAX_ROWS + 1))
            ).encode(),
            "too large",
        ),
        (os.urandom(4000), ""),
    ],
)
def test_no_file_makes_a_500_and_a_bad_file_imports_nothing(
    seminar: Seminar, data: bytes, message: str
) -> None:
    client = signed_in("trainer", "en")
    response = _upload(client, seminar, data, "file.bin")
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert message in page.replace("&quot;", '"')
    assert seminar.participants.count() == 0
    assert not Participant.objects.exists()


def test_a_huge_xlsx_file_is_refused_without_reading_it_all(seminar: Seminar) -> None:
    rows = [_labels("en")] + [[f"Person {i}", "ngo", "NGO"] for i in range(imports.MAX_ROWS + 5)]
    response = _upload(signed_in("trainer"), seminar, _xlsx(rows), "big.xlsx")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "too large" in response.content.decode()  # type: ignore[attr-defined]
    assert seminar.participants.count() == 0


def test_a_zip_bomb_is_refused_before_it_is_unpacked(seminar: Seminar) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (imports.MAX_UNPACKED_BYTES + 1))
    response = _upload(signed_in("trainer"), seminar, buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "too large" in response.content.decode()  # type: ignore[attr-defined]


def test_only_the_seminars_trainers_may_import(seminar: Seminar) -> None:
    outsider = signed_in("outsider")
    assert _upload(outsider, seminar, GOOD_RU.encode()).status_code == 404  # type: ignore[attr-defined]
    assert (
        outsider.get(f"/training/seminars/{seminar.pk}/participants/template.csv").status_code
        == 404
    )
    assert seminar.participants.count() == 0


def test_the_seminar_page_links_to_the_import(seminar: Seminar) -> None:
    page = signed_in("trainer").get(f"/training/seminars/{seminar.pk}/").content.decode()
    assert _url(seminar) in page


def test_the_action_adds_none_when_someone_was_added_meanwhile(
    seminar: Seminar, personas: Personas
) -> None:
    from tanu.training.actions import TrainingError
    from tanu.training.roster_actions import do_import_participants

    add_participant(seminar, personas.trainer, name="Бекова Сара")
    rows = [
        {"full_name": "Әлиева Дана", "role": "ngo", "agency": None, "agency_name": "ҮЕҰ"},
        {"full_name": "бекова  сара", "role": "ngo", "agency": None, "agency_name": "ҮЕҰ"},
    ]
    with pytest.raises(TrainingError):
        do_import_participants(seminar, actor=personas.trainer, rows=rows)
    assert seminar.participants.count() == 1
    assert not AuditEntry.objects.filter(object_type="seminar_participants", action="create")
