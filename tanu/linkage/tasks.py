"""Linkage's tasks: the nightly full run (cron: ``tanu tasks run linkage-nightly``) and the
run for one new or edited person, enqueued once the change is committed."""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from tanu.lib.tasks import enqueue_once, scheduled

log = logging.getLogger(__name__)


@scheduled(
    "linkage-nightly",
    when="daily",
    summary="compares every person with every other and keeps the likely duplicates for review",
)
@task
def link_everyone() -> dict[str, int]:
    from tanu.linkage import engine  # DuckDB and Arrow load in the worker, not in every web process

    result = engine.run_full()
    log.info(
        "linkage run %s: %s persons, %s pairs", result.run.pk, result.run.persons, result.run.pairs
    )
    return {"run": result.run.pk, "persons": result.run.persons, "pairs": result.run.pairs}


@task
def link_person(person_id: int) -> dict[str, int]:
    from tanu.linkage import engine

    result = engine.run_incremental(person_id)
    if result is None:
        return {"pairs": 0}
    return {"run": result.run.pk, "pairs": result.run.pairs}


def person_changed(person_id: int) -> None:
    """A person was created or their identifying fields changed (tanu.cases.extensions):
    compare them with the others in the background."""
    enqueue_once(link_person, person_id, within=timedelta(minutes=10))


#: Up to this many imported persons are compared one by one; a larger import runs the full
#: linkage once (cheaper than thousands of single runs, and the model learns from the new rows).
IMPORT_ONE_BY_ONE = 100


def persons_imported(person_ids: list[int]) -> None:
    """A register import created these persons (tanu.cases.extensions): compare them with the
    others in the background."""
    if len(person_ids) > IMPORT_ONE_BY_ONE:
        enqueue_once(link_everyone, within=timedelta(hours=1))
        return
    for person_id in person_ids:
        enqueue_once(link_person, person_id, within=timedelta(minutes=10))
