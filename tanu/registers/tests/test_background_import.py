"""The import confirmed on the page runs as a background task: the file is checked again when it
runs, a failure imports nothing and says why, and files nobody confirmed are forgotten."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Person
from tanu.registers import actions, imports
from tanu.registers.models import ImportBatch
from tanu.registers.tests.helpers import register_csv, row, run, write

pytestmark = pytest.mark.django_db


def checked_batch(personas: Personas, content: bytes) -> ImportBatch:
    checked = imports.check_file(content, personas.shelter)
    return actions.do_keep_checked_file(
        content, checked, agency=personas.shelter, actor=personas.caseworker
    )


def queued(batch: ImportBatch) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    return batch


def test_rows_imported_between_check_and_run_are_not_imported_twice(
    personas: Personas, tmp_path: Path
) -> None:
    content = register_csv([row("R-1", given_name="A"), row("R-2", given_name="B")])
    batch = checked_batch(personas, content)
    run(
        write(tmp_path, register_csv([row("R-1", given_name="A")])),
        personas.shelter.pk,
        "--by",
        "caseworker",
    )
    done = actions.run_batch(queued(batch).pk)
    assert done is not None
    assert (done.status, done.created, done.already_imported) == ("imported", 1, 1)
    assert Person.objects.count() == 2


def test_a_task_delivered_twice_imports_once(personas: Personas) -> None:
    batch = queued(checked_batch(personas, register_csv([row("R-1", given_name="A")])))
    assert actions.run_batch(batch.pk) is not None
    assert actions.run_batch(batch.pk) is None
    assert Person.objects.count() == 1


def test_a_failed_import_imports_nothing_and_forgets_the_file(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = queued(checked_batch(personas, register_csv([row("R-1", given_name="A")])))
    assert batch.by is not None
    batch.by.language = "en"  # the message is in the uploader's language
    batch.by.save(update_fields=["language"])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions.crypto, "bulk_create", broken)
    done = actions.run_batch(batch.pk)
    assert done is not None and done.status == "failed" and done.content == ""
    assert "nothing was imported" in done.message
    assert not Person.objects.exists()


def test_unconfirmed_files_are_forgotten_after_an_hour_and_stuck_imports_fail(
    personas: Personas,
) -> None:
    waiting = checked_batch(personas, register_csv([row("R-1", given_name="A")]))
    stuck = ImportBatch.objects.create(
        agency=personas.shelter,
        by=personas.coordinator,
        digest="0" * 64,
        status=ImportBatch.Status.RUNNING,
        content="secret",
    )
    later = timezone.now() + timedelta(minutes=30)
    assert actions.purge_checked(later) == 0
    assert actions.purge_checked(later + timedelta(hours=2)) == 1
    assert not ImportBatch.objects.filter(pk=waiting.pk).exists()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.message, stuck.content) == ("failed", "interrupted", "")
