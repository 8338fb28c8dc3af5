"""A certificate holder's name as the public check shows it: initials and surname only.

Names are written surname first, as in identity documents and on the participants' list
(«Нурланова Айгерим Болатовна» becomes «А. Б. Нурланова»): enough for an employer to match the
certificate to the person in front of them, too little to find the person from a found code."""

from __future__ import annotations


def _initial(word: str) -> str:
    parts = [p for p in word.split("-") if p]
    return "-".join(f"{p[0].upper()}." for p in parts)


def initials_and_surname(full_name: str) -> str:
    words = full_name.split()
    if not words:
        return ""
    surname, given = words[0], words[1:]
    return " ".join([*(_initial(w) for w in given), surname])
