"""Spelling-independent keys for personal names (Kazakh, Russian and Latin spellings).

The same person is written Айгерим, АЙГЕРИМ, Aigerim, Aygerim or Aıgerım depending on who typed
the name, from which document, in which year. :func:`normalise_name` turns every such spelling
into one *phonetic key*, so that a blind index (see :mod:`tanu.lib.crypto`) built from the key
finds the person whichever way the name was written. The key is only ever hashed; it is never
shown and never stored in clear.

The rules, applied in this order:

1. **Kazakh 2017 apostrophe digraphs.** ``s'`` → ``sh`` (Ш), ``c'`` → ``ch`` (Ч), ``y'`` → ``u``
   (У); any apostrophe-like character (``' ’ ʼ ʻ ` ´ ‘``) is then dropped, so ``a' g' n' o' u'
   i'`` become their base letter, and an apostrophe written for the soft sign (``Vasil'ev``)
   disappears like ь itself. One exception keeps the soft-sign reading: ``s'`` or ``c'`` before
   ``y`` + vowel (``Kas'yanov``) is the soft sign, not Ш/Ч.
2. **Unicode.** NFKC (full-width and compatibility forms become plain letters), then
   ``casefold`` (АЙГЕРИМ = айгерим, ß = ss).
3. **Cyrillic to Latin.** Russian and Kazakh Cyrillic (plus the Ukrainian, Uzbek, Kyrgyz and
   Tajik extra letters) are transliterated the way passports and officials usually do it:
   ж zh, х kh, ц ts, ч ch, ш sh, щ shch, й/ы y, и/і i, ю yu, я ya, е/ё/э e, ъ/ь dropped; Kazakh
   ә a, ғ g, қ k, ң n, ө o, ұ/ү u, һ h.
4. **Latin letters with marks.** The Kazakh Latin alphabets of 2018 (acute: á ǵ ń ó ú ý, ı) and
   2021 (ä ğ ı ñ/ŋ ö ş ū ü, ç, dotted İ) are folded to the same plain letters: ä/á a, ğ/ǵ g,
   ı/İ i, ñ/ŋ/ń n, ö/ó o, ū/ü/ú u, ý u (2018 У), ş sh, ç ch; any other mark is dropped
   (é → e).
5. **Separators.** Spaces, hyphens, dots and every other non-letter are removed, so
   ``Нұр-Сұлтан`` = ``Nur Sultan`` = ``Nursultan``. (Use :func:`name_tokens` for the parts.)
6. **Ambiguous clusters** (one left-to-right pass, longest match first):
   ``shch sch sh`` → ``ş``; ``tch ch`` → ``ç``; ``dzh dj zh j`` → ``j``; ``kh h x`` → ``h``;
   ``gh`` → ``g``; ``ts tc`` → ``c`` (Ц); a lone ``c`` → ``k`` (Victor = Виктор); ``q`` → ``k``;
   ``ng`` → ``n`` (Ң is written both ways); ``w`` → ``v``; ``ph`` → ``f``; ``y`` → ``i``
   (Й, Ы, И and the Latin y/i/ı are one vowel key).
7. **Vowel glides and doubles.** Doubled letters collapse (``ii`` → ``i``, ``nn`` → ``n``), then
   ``ie`` → ``e`` (Yerzhan = Erzhan, Kanaryeva = Kanareva) and ``io`` → ``e``, then doubles
   collapse again. ``io`` is how ``yo`` ends up after rule 6, and ``yo`` is how passports and
   Uzbek Latin write Ё, which Russian Cyrillic reads (and often writes) as Е: so Бахтиёр =
   Bakhtiyor = Baxtiyor = Bakhtier, Фёдор = Федор = Fyodor = Fedor, Артём = Artyom = Artem.

So Айгерим/Aigerim/Aıgerım/Aygerim → ``aigerim``; Жанар/Zhanar/Janar → ``janar``;
Ержан/Yerzhan/Erzhan → ``erjan``; Хасан/Khasan/Hasan → ``hasan``; Цой/Tsoi/Tsoy → ``coi``;
Щукин/Shchukin → ``şukin``; Юлия/Yulia/Iuliia → ``iulia``; Бахтиёр/Bakhtiyor → ``bahter``.

The key is deliberately coarse: a few different names share a key (Шукин and Щукин, Ала and
Алла). That is acceptable because a blind index only narrows the search and the application then
decrypts the candidates to confirm. What must not happen is that two spellings of one name get
different keys; the tests pin the spellings we promise to match. Changing these rules changes
every stored name index, which then has to be rebuilt.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "name_tokens", "normalise_name"]

_APOSTROPHES = "'’ʼʻ`´‘′"
# Kazakh 2017: S' = Ш, C' = Ч, Y' = У. Not when the apostrophe is a soft sign before y + vowel.
_APOSTROPHE_DIGRAPH = re.compile(rf"([scy])[{_APOSTROPHES}](?![{_APOSTROPHES}]*y[aeiouy])", re.I)
_APOSTROPHE_DIGRAPH_MAP = {"s": "sh", "c": "ch", "y": "u"}

_CHARACTERS: dict[str, str] = {
    # Russian
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Kazakh
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "і": "i",
    # Ukrainian, Uzbek, Kyrgyz, Tajik
    "є": "ye",
    "ї": "yi",
    "ґ": "g",
    "ў": "u",
    "ҳ": "h",
    "ҷ": "j",
    "ӣ": "i",
    "ӯ": "u",
    "ј": "j",
    # Kazakh Latin 2018 (acute) and 2021, Turkish, Uzbek
    "ä": "a",
    "á": "a",
    "ğ": "g",
    "ǵ": "g",
    "ı": "i",
    "ŋ": "n",
    "ñ": "n",
    "ń": "n",
    "ö": "o",
    "ó": "o",
    "ş": "sh",
    "ș": "sh",
    "ç": "ch",
    "ū": "u",
    "ü": "u",
    "ú": "u",
    "ý": "u",
    # Apostrophes left over after the digraph rule
    **dict.fromkeys(_APOSTROPHES, ""),
}
_TRANSLATE = str.maketrans(_CHARACTERS)

_CLUSTERS: dict[str, str] = {
    "shch": "ş",
    "sch": "ş",
    "sh": "ş",
    "tch": "ç",
    "ch": "ç",
    "dzh": "j",
    "dj": "j",
    "zh": "j",
    "kh": "h",
    "gh": "g",
    "ph": "f",
    "ts": "c",
    "tc": "c",
    "ng": "n",
    "c": "k",
    "q": "k",
    "x": "h",
    "w": "v",
    "y": "i",
}
_CLUSTER = re.compile("|".join(sorted(_CLUSTERS, key=len, reverse=True)))
_DOUBLES = re.compile(r"(.)\1+")
_TOKEN_SPLIT = re.compile(r"[^\w'’ʼʻ`´‘′]+|_+")


def _strip_marks(value: str) -> str:
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(value: str) -> str:
    """The phonetic key of one name or name part, with separators removed (rules 1-7)."""
    text = _APOSTROPHE_DIGRAPH.sub(lambda m: _APOSTROPHE_DIGRAPH_MAP[m.group(1).lower()], value)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _strip_marks(text.translate(_TRANSLATE))
    text = "".join(ch for ch in text if ch.isalnum())
    text = _CLUSTER.sub(lambda m: _CLUSTERS[m.group(0)], text)
    text = _DOUBLES.sub(r"\1", text)
    if "ie" in text or "io" in text:
        text = _DOUBLES.sub(r"\1", text.replace("ie", "e").replace("io", "e"))
    return text


def normalise_name(value: str) -> str:
    """The key of a whole name: all parts run together, so spacing and hyphens do not matter.

    ``normalise_name("Нұр-Сұлтан") == normalise_name("Nursultan") == "nursultan"``. The order of
    the parts still matters (family name first or last); index the parts with
    :func:`name_tokens` when the order is not known.
    """
    return name_key(value)


def name_tokens(value: str) -> list[str]:
    """The keys of the parts of a name, in order, without empty or repeated parts.

    ``name_tokens("Канарьева Айгерим Ержановна") == ["kanareva", "aigerim", "erjanovna"]``.
    Parts are separated by spaces, hyphens and other punctuation (apostrophes belong to the
    part they are in).
    """
    tokens: list[str] = []
    for part in _TOKEN_SPLIT.split(value):
        key = name_key(part)
        if key and key not in tokens:
            tokens.append(key)
    return tokens
