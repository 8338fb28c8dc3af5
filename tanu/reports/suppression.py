"""Small-cell protection for every figure tanu shows or exports.

What is shown
-------------
- ``0`` stays ``0``. A zero says that nobody in the published group exists: a fact about the
  group, not about any person; hiding zeros would make most tables unreadable.
- ``1`` to ``threshold - 1`` (default threshold 5, ``TANU_STATS_THRESHOLD``) appear as ``"<5"``.
- Every other figure is published as ``threshold``-or-more, **perturbed and rounded**: a small,
  repeatable random adjustment is added, then the result is rounded to the nearest multiple of
  5 (never below the threshold). A figure of 5 or more never turns into ``"<5"``, and ``"<5"``
  always means 1 to 4.

Why not complementary suppression
---------------------------------
The classic method (hide the next-smallest cell of a row or column so that the total minus the
visible cells no longer gives the hidden one) protects one table. The dashboard, though, lets
anyone filter by region, period, form, age group, sex and agency type, and every count shown is a
total of other tables: the cell "region X, presumed victims" is the column total of every table
filtered to region X. A cell hidden in one table is therefore shown in another, and a difference
of two exact figures (``count(X, labour) - count(X, female, labour) = count(X, not female,
labour)``) recovers a small group that no single table shows. No per-table rule can stop that
while exact figures are published. Rounding alone (totals rounded down to a multiple of 5, say)
does not either: a total of 15 rounded down says "15 to 19"; with 11 visible beside a hidden
cell, the hidden cell is 4, exactly.

The method (the cell-key method of the Australian Bureau of Statistics and of the ONS census
2021 table builder, with rounding on top)
---------------------------------------------------------------------------------------------
- Every record (screening, case, anonymous notification...) has a *record key*, an affine
  function of its id with secret constants (:func:`record_key`). The *cell key* of a published
  group is the sum of its records' keys modulo a prime, which the database gives as a count and
  a sum of ids (:func:`cell_key`): the same group of records has the same cell key in every
  table, under every filter, from the live tables or the statistics cube, and in every export.
  Cell keys add up (and subtract) like counts, so totals get theirs without another query. The
  key only seeds the adjustment through a keyed hash, so knowing it (or the ids) without the
  secret predicts nothing.
- The adjustment is drawn from a two-sided geometric distribution seeded by the cell key and a
  secret derived from ``TANU_SECRET_KEY`` (:func:`noise`). It is the same every time the same
  group is published (asking again, or through another filter, gives the same figure, so noise
  cannot be averaged away by repetition), and it has no upper bound, so no combination of
  published figures ever *determines* a count below the threshold: every value from 1 to 4
  stays consistent with what is shown. Every figure shown as a number is a multiple of 5, so
  no sum or difference of shown figures (a row total minus its visible cells; one filter's
  total minus another's) ever equals a hidden count from 1 to 4.
- Totals are perturbed as groups of their own and are not the sums of the shown cells: rows and
  columns may not add up exactly. The pages, exports and the PDF say so in a note.

Residual risk (documented, as for every perturbative method): an attacker who finds many
*different* ways of writing the same small count as a combination of published figures could
average their noise. The figures also never show less than 5 for a group of 5 or more, and a
median or a mean is shown only for groups of at least twice the threshold.

Rotating ``TANU_SECRET_KEY`` changes the adjustments (every figure may move by a few units);
nothing else depends on it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from tanu.lib.env import env_int

DEFAULT_THRESHOLD = 5
ROUNDING_BASE = 5
#: Parameter of the two-sided geometric noise: P(|v| = m) falls by this factor per unit.
NOISE_ALPHA = 0.5
#: Cell keys are sums of record keys modulo this prime (2**31 - 1).
KEY_MODULUS = 2_147_483_647
#: Record sources with keys of their own, so that a case and a screening with the same id
#: do not share a key.
SOURCES = ("screening", "case", "notification", "referral", "visit", "attempt")

Published = int | str


def threshold() -> int:
    """Counts below this appear as "<threshold" (default 5, at least 2)."""
    value = getattr(settings, "TANU_STATS_THRESHOLD", None)
    if value is None:
        value = env_int("TANU_STATS_THRESHOLD", DEFAULT_THRESHOLD)
    return max(2, int(value))


def small_label(limit: int | None = None) -> str:
    return f"<{limit or threshold()}"


@cache
def _secret() -> bytes:
    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"tanu statistics cell keys", hashlib.sha256
    ).digest()


def cell_key_fingerprint() -> str:
    """A short digest of the cell-key secret: stored figures made with another secret (after
    TANU_SECRET_KEY changed) are recognised and not used."""
    return hashlib.sha256(b"fingerprint:" + _secret()).hexdigest()[:16]


@cache
def record_key_constants(source: str) -> tuple[int, int]:
    """The multiplier and offset of a source's record keys (secret, stable per installation)."""
    digest = hmac.new(_secret(), f"record key:{source}".encode(), hashlib.sha256).digest()
    multiplier, offset = struct.unpack(">QQ", digest[:16])
    # A multiplier below 2**30 keeps id * multiplier inside 64 bits for ids below 2**33.
    return (multiplier % (2**30 - 1)) + 1, offset % KEY_MODULUS


def record_key(source: str, pk: int) -> int:
    """The record key of one row: an affine function of its id, with secret constants."""
    multiplier, offset = record_key_constants(source)
    return (pk * multiplier + offset) % KEY_MODULUS


def cell_key(source: str, n: int, id_sum: int) -> int:
    """The cell key of ``n`` records of a source whose ids add up to ``id_sum``: the sum of
    their record keys. Record keys are affine in the id, so the database only needs to count
    and add up ids, and cell keys can be added and subtracted like counts."""
    multiplier, offset = record_key_constants(source)
    return (multiplier * int(id_sum) + offset * int(n)) % KEY_MODULUS


@dataclass(frozen=True)
class Count:
    """A true count and its cell key. Never shown: only :func:`publish` output leaves the
    server."""

    n: int = 0
    key: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.n + other.n, (self.key + other.key) % KEY_MODULUS)

    def __sub__(self, other: Count) -> Count:
        return Count(self.n - other.n, (self.key - other.key) % KEY_MODULUS)

    @classmethod
    def of(cls, source: str, n: int | None, id_sum: int | None) -> Count:
        """A count of ``n`` records of a source with the given sum of ids."""
        return cls(int(n or 0), cell_key(source, int(n or 0), int(id_sum or 0)))


def total(counts: Iterable[Count]) -> Count:
    result = Count()
    for count in counts:
        result = result + count
    return result


def _geometric(uniform: float) -> int:
    return math.floor(math.log(uniform) / math.log(NOISE_ALPHA))


def noise(cell_key: int) -> int:
    """The repeatable adjustment of a group with this cell key: two-sided geometric, centred
    on 0, unbounded (P(0) = 1/3, P(|v| >= 3) < 1/10 for alpha = 0.5)."""
    digest = hmac.new(_secret(), f"noise:{cell_key}".encode(), hashlib.sha256).digest()
    first, second = struct.unpack(">QQ", digest[:16])
    # Uniforms in (0, 1]: never 0, so the logarithm is defined.
    u1 = (first + 1) / 2**64
    u2 = (second + 1) / 2**64
    return _geometric(u1) - _geometric(u2)


def publish(count: Count, limit: int | None = None) -> Published:
    """The figure to show for a count: 0, "<5", or a perturbed multiple of 5 (at least 5)."""
    limit = limit or threshold()
    if count.n <= 0:
        return 0
    if count.n < limit:
        return small_label(limit)
    adjusted = count.n + noise(count.key)
    rounded = ROUNDING_BASE * math.floor(adjusted / ROUNDING_BASE + 0.5)
    floor = ROUNDING_BASE * math.ceil(limit / ROUNDING_BASE)
    return max(floor, rounded)


def numeric(value: Published) -> int | None:
    """The number to draw for a published figure (None for "<5")."""
    return value if isinstance(value, int) else None


def enough_for_summary(count: Count | int, limit: int | None = None) -> bool:
    """Medians and means are shown only for groups of at least twice the threshold."""
    n = count.n if isinstance(count, Count) else count
    return n >= 2 * (limit or threshold())
