"""The translation check behind ``tanu i18n check``.

It reads the glossary (docs/glossary.md), the catalogues (``locale/*/LC_MESSAGES/*.po``) and the
checklist files (``identification/checklists/*.json``), and reports:
- untranslated and fuzzy entries;
- a glossary term translated otherwise (a required stem missing, a refused form present);
- a word mixing Latin and Cyrillic letters;
- placeholders that differ between the English source and its translation;
- a capital «Вы…» / «Сіз…» that does not start a sentence (docs/glossary.md, forms of address);
- what ``msgfmt -c`` refuses.

Each problem is one line: ``where: kind: detail``. Nothing here imports Django.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

LANGS = ("kk", "ru")


@dataclass(frozen=True)
class Term:
    english: str
    en_match: re.Pattern[str] | None
    needs: dict[str, re.Pattern[str]]
    never: dict[str, re.Pattern[str]]


def _code(cell: str) -> str:
    """The text of a table cell written as a code span (``| `a\\|b` |``), or ''."""
    cell = cell.strip()
    if len(cell) >= 2 and cell.startswith("`") and cell.endswith("`"):
        return cell[1:-1].replace("\\|", "|")
    return ""


def _cells(line: str) -> list[str]:
    # A "|" escaped as "\|" inside a code span belongs to the regular expression.
    return [c.replace("\0", "\\|") for c in line.replace("\\|", "\0").strip().strip("|").split("|")]


def _pattern(
    row: dict[str, str], column: str, *, word_start: bool = False
) -> re.Pattern[str] | None:
    text = _code(row.get(column, ""))
    if not text:
        return None
    return re.compile((r"(?<!\w)" if word_start else "") + text, re.IGNORECASE)


def load_glossary(path: Path) -> list[Term]:
    """The terms of the glossary's table (the one whose header starts with "| English")."""
    terms: list[Term] = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in _cells(line)]
        if header is None:
            if cells and cells[0] == "English":
                header = cells
            continue
        if set("".join(cells)) <= {"-", ":", " "}:
            continue
        row = dict(zip(header, cells, strict=False))

        needs = {lang: p for lang in LANGS if (p := _pattern(row, f"{lang} needs"))}
        never = {lang: p for lang in LANGS if (p := _pattern(row, f"{lang} never"))}
        en_match = _pattern(row, "en match", word_start=True)
        terms.append(Term(row["English"], en_match, needs, never))
    if not terms:
        raise ValueError(f"{path}: no glossary table found")
    return terms


# ---------------------------------------------------------------------------------------------
# Checks on one text


_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# A capital polite pronoun after a lower-case letter, a digit or a comma: not a sentence start.
_CAPITAL_ADDRESS = re.compile(r"(?<=[\w,;:»)]) (Вы|Ваш\w*|Вам|Вас|Вами|Сіз\w*)(?!\w)")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


def mixed_script_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if _LATIN.search(w) and _CYRILLIC.search(w)]


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(text))


def capital_address(text: str) -> list[str]:
    return [m.group(1) for m in _CAPITAL_ADDRESS.finditer(text)]


def term_problems(terms: list[Term], lang: str, english: str, translated: str) -> Iterator[str]:
    english = _PLACEHOLDER.sub("", english)  # "%(agency)s" is a value, not the word "agency"
    for term in terms:
        never = term.never.get(lang)
        if never and (found := never.search(translated)):
            yield f"glossary: {term.english!r}: refused form {found.group(0)!r}"
        needs = term.needs.get(lang)
        matches = needs and term.en_match and term.en_match.search(english)
        if needs and matches and not needs.search(translated):
            yield f"glossary: {term.english!r}: needs {needs.pattern!r}"


def text_problems(terms: list[Term], lang: str, english: str, translated: str) -> Iterator[str]:
    yield from term_problems(terms, lang, english, translated)
    for word in mixed_script_words(translated):
        yield f"mixed scripts: {word!r}"
    for word in capital_address(translated):
        yield f"capital {word!r} inside a sentence"


# ---------------------------------------------------------------------------------------------
# Catalogues and checklist files


def _short(text: str) -> str:
    return repr(text[:60] + ("…" if len(text) > 60 else ""))


# A translator comment "glossary_exempt: victim" (from "# Translators: ..." in the code) lifts
# that term's rule for the entry: a word used, there, in another sense.
_EXEMPT = re.compile(r"glossary_exempt: ([\w ]+?)[.;,]")


def catalogue_problems(path: Path, terms: list[Term]) -> Iterator[str]:
    lang = path.parent.parent.name
    po = polib.pofile(str(path))
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{lang}: {_short(entry.msgid)}"
        exempt = tuple(_EXEMPT.findall(entry.comment or ""))
        own = [t for t in terms if not (exempt and t.english.startswith(exempt))]
        if entry.fuzzy:
            yield f"{where}: fuzzy"
        if not entry.translated():
            yield f"{where}: untranslated"
            continue
        if entry.msgid_plural:
            source = entry.msgid + "\n" + entry.msgid_plural
            translations = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            wanted = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            for text in translations:
                if set(placeholders(text)) != wanted:
                    yield f"{where}: placeholders {placeholders(text)} ≠ {sorted(wanted)}"
        else:
            source, translations = entry.msgid, [entry.msgstr]
            if placeholders(entry.msgstr) != placeholders(entry.msgid):
                yield (
                    f"{where}: placeholders {placeholders(entry.msgstr)} "
                    f"≠ {placeholders(entry.msgid)}"
                )
        for text in translations:
            for problem in text_problems(own, lang, source, text):
                yield f"{where}: {problem}"


def _texts(node: object, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every {"en": ..., "kk": ..., "ru": ...} object in a checklist file, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and all(isinstance(node.get(k), str) for k in LANGS):
            yield path, node
            return
        code = node.get("code")
        for key, value in node.items():
            yield from _texts(value, f"{path}/{code}/{key}" if code else f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, path)


def checklist_problems(path: Path, terms: list[Term]) -> Iterator[str]:
    """A text object may list, in ``glossary_exempt``, terms its English uses in another sense
    (a recruitment "agency" in a training story): the start of the term's English name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for where, text in _texts(data, path.stem):
        exempt = tuple(text.get("glossary_exempt", ()))
        own = [t for t in terms if not (exempt and t.english.startswith(exempt))]
        for lang in LANGS:
            for problem in text_problems(own, lang, text["en"], text[lang]):
                yield f"{lang}: {where}: {problem}"


def msgfmt_problems(path: Path) -> Iterator[str]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        yield f"{path.name}: msgfmt (GNU gettext) is not installed"
        return
    done = subprocess.run(  # noqa: S603 (msgfmt found on PATH, a catalogue of ours)
        [msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode:
        lang = path.parent.parent.name
        for line in done.stderr.strip().splitlines():
            yield f"{lang}: msgfmt -c: {line}"


def all_problems(catalogues: list[Path], checklists: list[Path], glossary: Path) -> Iterator[str]:
    terms = load_glossary(glossary)
    for path in catalogues:
        yield from msgfmt_problems(path)
        yield from catalogue_problems(path, terms)
    for path in checklists:
        yield from checklist_problems(path, terms)
