"""`tanu i18n check`: the glossary, scripts, placeholders and msgfmt, on catalogues and checklists."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from tanu.lib.i18n_check import all_problems, load_glossary

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"


def _catalogue(tmp_path: Path, lang: str, *entries: polib.POEntry) -> Path:
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": lang,
        "Plural-Forms": "nplurals=2; plural=(n!=1);",
    }
    for entry in entries:
        po.append(entry)
    path = tmp_path / lang / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def _problems(tmp_path: Path, lang: str, *entries: polib.POEntry) -> list[str]:
    return list(all_problems([_catalogue(tmp_path, lang, *entries)], [], GLOSSARY))


def test_the_glossary_table_gives_required_and_refused_forms_in_both_languages() -> None:
    terms = {t.english: t for t in load_glossary(GLOSSARY)}
    victim = terms["victim (of trafficking)"]
    assert victim.needs["kk"].pattern == "құрбан"
    assert victim.never["kk"].search("болжамды жәбірленуші")
    assert terms["recruitment, to recruit"].never["kk"].search("Алдау арқылы жалдау")
    assert terms["case (the support of one person)"].never["ru"].search("Открыть дело")
    assert not terms["case (the support of one person)"].never["ru"].search("уголовное дело")
    assert not terms["case (the support of one person)"].never["kk"].search("іс-шара")


def test_a_correct_entry_passes(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="Presumed victim", msgstr="Болжамды құрбан")
    assert _problems(tmp_path, "kk", entry) == []


def test_a_term_translated_otherwise_fails_the_check(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="Presumed victim", msgstr="Болжамды жәбірленуші")
    problems = _problems(tmp_path, "kk", entry)
    assert any("refused form 'жәбірленуш'" in p for p in problems)
    assert any("needs 'болжамды құрбан'" in p for p in problems)


def test_a_required_term_missing_from_the_russian_fails_the_check(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="Indicators present", msgstr="Имеющиеся индикаторы")
    problems = _problems(tmp_path, "ru", entry)
    assert any("'indicator'" in p and "needs 'признак'" in p for p in problems)


def test_a_word_mixing_latin_and_cyrillic_letters_fails_the_check(tmp_path: Path) -> None:
    # The "С" of «Скрининг» below is the Latin capital C.
    entry = polib.POEntry(msgid="Screening", msgstr="\u0043крининг")
    problems = _problems(tmp_path, "ru", entry)
    assert any("mixed scripts: 'Cкрининг'" in p for p in problems)


def test_a_placeholder_lost_in_translation_fails_the_check(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="Screening %(reference)s", msgstr="Скрининг %(ref)s")
    problems = _problems(tmp_path, "ru", entry)
    assert any("placeholders ['%(ref)s'] ≠ ['%(reference)s']" in p for p in problems)


def test_msgfmt_refuses_a_python_format_mismatch(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="%(n)s screenings", msgstr="скрининги", flags=["python-format"])
    problems = _problems(tmp_path, "ru", entry)
    assert any("msgfmt -c" in p for p in problems)


def test_a_capital_polite_pronoun_inside_a_sentence_fails_the_check(tmp_path: Path) -> None:
    wrong = polib.POEntry(msgid="Notes of your agency", msgstr="Заметки Вашей организации")
    right = polib.POEntry(msgid="Your exports", msgstr="Ваши выгрузки")
    problems = _problems(tmp_path, "ru", wrong, right)
    assert [p for p in problems if "capital" in p] == [
        "ru: 'Notes of your agency': capital 'Вашей' inside a sentence"
    ]


def test_untranslated_and_fuzzy_entries_fail_the_check(tmp_path: Path) -> None:
    empty = polib.POEntry(msgid="Screening", msgstr="")
    fuzzy = polib.POEntry(msgid="Referral", msgstr="Направление", flags=["fuzzy"])
    problems = _problems(tmp_path, "ru", empty, fuzzy)
    assert "ru: 'Screening': untranslated" in problems
    assert "ru: 'Referral': fuzzy" in problems


def test_a_checklist_text_with_a_refused_term_fails_the_check(tmp_path: Path) -> None:
    checklist = tmp_path / "ilo-test.json"
    text = {
        "en": "Deceptive recruitment",
        "kk": "Алдау арқылы жалдау",
        "ru": "Вербовка путём обмана",
    }
    checklist.write_text(
        json.dumps({"id": "ilo-test", "indicators": [{"code": "X-01", "label": text}]}),
        encoding="utf-8",
    )
    problems = list(all_problems([], [checklist], GLOSSARY))
    assert any(p.startswith("kk: ilo-test/indicators/X-01/label: glossary") for p in problems)
    assert not any(p.startswith("ru:") for p in problems)


@pytest.mark.django_db
def test_the_shipped_catalogues_and_checklists_pass_the_check(capsys) -> None:
    call_command("i18n", "check")
    assert "all catalogues and checklists pass" in capsys.readouterr().out


def test_idioms_that_only_look_like_the_refused_word_for_case_pass() -> None:
    case = {t.english: t for t in load_glossary(GLOSSARY)}["case (the support of one person)"]
    for idiom in ("на самом деле", "как обстоят дела", "уголовное дело", "уголовного дела"):
        assert not case.never["ru"].search(idiom), idiom
    for idiom in ("іс жүзінде", "не істе", "іс-шара", "қылмыстық іс", "қылмыстық істі"):
        assert not case.never["kk"].search(idiom), idiom
    assert case.never["ru"].search("Номер дела")
    assert case.never["kk"].search("Істі жабу")


def test_a_text_can_exempt_a_term_its_english_uses_in_another_sense(tmp_path: Path) -> None:
    story = {
        "en": "A model agency on Instagram invited her.",
        "kk": "Instagram-дағы модельдік агенттік оны шақырды.",
        "ru": "Модельное агентство в Instagram пригласило её.",
    }
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"story": story}), encoding="utf-8")
    assert any("'agency" in p for p in all_problems([], [scenario], GLOSSARY))
    scenario.write_text(
        json.dumps({"story": {**story, "glossary_exempt": ["agency"]}}), encoding="utf-8"
    )
    assert list(all_problems([], [scenario], GLOSSARY)) == []
