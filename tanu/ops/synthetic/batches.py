"""Batches of synthetic records: the batch maker is every part (screenings, cases, referrals,
visits) together, seeded per batch, and a batch is its rows ready to be numbered and written."""

from __future__ import annotations

import random
from collections import Counter as Tally
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models

from tanu.cases.models import Case
from tanu.identification.models import Screening
from tanu.ops.synthetic import optional as synth_optional
from tanu.ops.synthetic.generator import weighted
from tanu.ops.synthetic.names import Identity, NameGenerator
from tanu.ops.synthetic.proceedings import ProceedingPlan
from tanu.ops.synthetic.screenings import ChecklistSet, ScreeningMaker
from tanu.ops.synthetic.world import World
from tanu.ops.synthetic.writers import Columns, synth_models
from tanu.proceedings.models import Proceeding
from tanu.referrals.models import Referral


@dataclass
class Batch:
    """One batch of generated rows, ready to be given real keys and written."""

    index: int
    tables: dict[str, list[list[Any]]]  # model label -> rows, in local-key order
    # (created at, model label, local key, counter key): numbered in the main process, in order
    numbering: list[tuple[datetime, str, int, str]]
    outcomes: dict[str, int]
    screenings: int
    cases: int
    referrals: int
    proceedings: int = 0


class BatchMaker(ScreeningMaker):
    """Generates batches without touching the database, so that worker processes can run it.

    Keys are local to a batch (0, 1, 2 ... per table); :meth:`Writer.store` replaces them with
    real ones. Each batch has its own random generator, seeded from the run's seed and the
    batch's number, so the data do not depend on how many workers made them."""

    def __init__(
        self,
        world: World,
        sets: dict[tuple[str, str], ChecklistSet],
        visits: synth_optional.VisitPlan | None,
        prep: bool,
        now: datetime,
        today: date,
        proceedings: ProceedingPlan | None = None,
    ) -> None:
        self.world = world
        self.proceedings = proceedings
        self.sets = sets
        self.visits = visits
        self.prep = prep
        self.now = now
        self.today = today
        self.region_weights = [(r, r.weight) for r in world.regions]
        self.receivers = {a.id: a.user_id for r in world.regions for a in r.agencies.values()}
        self.models = synth_models(visits)
        labels = {m._meta.label for m in self.models}
        self.columns = {m._meta.label: Columns.of(m, labels) for m in self.models}

    def make(self, index: int, days: list[date], seed: int) -> Batch:
        self.rng = random.Random(seed * 1_000_003 + index)
        self.names = NameGenerator(random.Random(seed * 1_000_033 + index))
        self.prng = random.Random(seed * 1_000_037 + index)  # criminal proceedings' own
        self.pool: list[Identity] = []
        self.objs: dict[str, list[models.Model]] = {label: [] for label in self.columns}
        self.numbering: list[tuple[datetime, str, int, str]] = []
        self.outcomes: Tally[str] = Tally()
        self.open_visits: dict[tuple[int, date, str], tuple[int, str]] = {}
        screenings = self.objs[Screening._meta.label]
        for day in days:
            self.room = len(days) - len(screenings)  # corrections count among the screenings
            if self.room <= 0:
                break
            self._screening(day, weighted(self.rng, self.region_weights))
        tables = {}
        for label, objs in self.objs.items():
            columns = self.columns[label]
            rows = columns.rows(objs, self.prep)
            assert all(row[columns.pk] == i for i, row in enumerate(rows)), label
            tables[label] = rows
        return Batch(
            index=index,
            tables=tables,
            numbering=sorted(self.numbering),
            outcomes=dict(self.outcomes),
            screenings=len(screenings),
            cases=len(self.objs[Case._meta.label]),
            referrals=len(self.objs[Referral._meta.label]),
            proceedings=len(self.objs[Proceeding._meta.label]),
        )
