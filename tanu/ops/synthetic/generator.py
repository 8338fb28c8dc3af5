"""What every part of a synthetic batch is made with: the weighted draw, the clock, and the
state a :class:`tanu.ops.synthetic.batches.BatchMaker` carries while it makes one batch.

The parts (:mod:`~tanu.ops.synthetic.screenings`, :mod:`~tanu.ops.synthetic.cases`,
:mod:`~tanu.ops.synthetic.referrals`, :mod:`~tanu.ops.synthetic.visits`) are classes built on
:class:`Generation`, each adding the methods for its records; the batch maker is all of them.
"""

from __future__ import annotations

import random
from collections import Counter as Tally
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import models

from tanu.ops.synthetic import optional as synth_optional
from tanu.ops.synthetic.names import Identity, NameGenerator

if TYPE_CHECKING:
    from tanu.ops.synthetic.screenings import ChecklistSet
    from tanu.ops.synthetic.world import World
    from tanu.ops.synthetic.writers import Columns


ALMATY_TZ = ZoneInfo("Asia/Almaty")


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    r = rng.random() * sum(w for _, w in pairs)
    for value, w in pairs:
        r -= w
        if r < 0:
            return value
    return pairs[-1][0]


def clamp(moment: datetime, now: datetime) -> datetime:
    return min(moment, now)


class Generation:
    """The state of one batch being made, and the two steps every record takes: a local key
    (:meth:`_add`) and, for screenings and cases, a place in the numbering (:meth:`_number`)."""

    world: World
    sets: dict[tuple[str, str], ChecklistSet]
    visits: synth_optional.VisitPlan | None
    prep: bool
    now: datetime
    today: date
    receivers: dict[int, int]  # agency id -> the official who answers referrals there
    columns: dict[str, Columns]
    # Set afresh for every batch by BatchMaker.make:
    rng: random.Random
    names: NameGenerator
    pool: list[Identity]
    objs: dict[str, list[models.Model]]
    numbering: list[tuple[datetime, str, int, str]]
    outcomes: Tally[str]
    open_visits: dict[tuple[int, date, str], tuple[int, str]]
    room: int

    def _add(self, obj: Any) -> Any:
        """Keep an instance for the batch, with the next local key of its table."""
        bucket = self.objs[obj._meta.label]
        obj.pk = len(bucket)
        bucket.append(obj)
        return obj

    def _number(self, obj: Any, prefix: str, short: str, year: int) -> None:
        head = f"{prefix}-{short}-{year}"
        self.numbering.append((obj.created_at, obj._meta.label, obj.pk, head))
