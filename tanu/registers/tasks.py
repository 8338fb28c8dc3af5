"""Background work of register imports: the import confirmed on the page, and the hourly purge
of checked files nobody confirmed."""

from __future__ import annotations

from django_tasks import task

from tanu.lib.tasks import scheduled
from tanu.registers import actions


@task
def run_import(batch_id: int) -> str:
    """A confirmed import, run to its end; says how it ended."""
    batch = actions.run_batch(batch_id)
    return batch.status if batch is not None else "not waiting"


@scheduled(
    "registers-purge",
    when="hourly",
    summary="forgets register files checked but not confirmed within an hour",
)
@task
def purge_checked_files() -> int:
    return actions.purge_checked()
