"""Optimistic concurrency for rows that carry a ``revision`` number, in one place for every app.

A write that must not be lost runs, inside ``transaction.atomic()``:

    row = revisions.lock(Case.objects, case.pk, expected_revision=read, message=..., check=...)
    ...change row...
    revisions.bump(row, ["status"])

``lock`` takes the row's lock (``SELECT ... FOR UPDATE``: a concurrent writer waits until this
transaction ends), runs the app's own rules on the fresh row (``check``), then compares the
revision the caller read (``expected_revision``; ``None`` applies the change to whatever is
current) and raises ``ConflictError`` when someone else changed the row in the meantime.
``bump`` saves the changed fields with the next revision. ``etag`` names a row's revision in an
HTTP ETag; the API sends it and expects it back in ``If-Match`` (``tanu.lib.etags``).

The bottom layer: Django and the standard library only, no tanu app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this record while you were editing it. Your changes were not saved; "
    "the page now shows the latest version."
)


class ConflictError(Exception):
    """The row changed since the caller read it. The message is for the user, in their language;
    the API answers 412, the pages show the message with the latest version."""


def revision_of(row: models.Model) -> int:
    return int(getattr(row, "revision"))  # noqa: B009 - every revisioned model has the field


def lock(
    rows: QuerySet[M] | models.Manager[M],
    pk: Any,
    *,
    expected_revision: int | None,
    message: str | Promise = STALE_MESSAGE,
    check: Callable[[M], None] | None = None,
) -> M:
    """The row ``pk`` of ``rows`` (a manager, or a queryset such as one with
    ``select_related``), read again and locked until the transaction ends.

    ``check`` (the app's rules on the fresh row, such as "finalised rows do not change") runs
    before the revision is compared; a stale ``expected_revision`` raises ``ConflictError`` with
    ``message``. Outside a transaction Django refuses the lock (TransactionManagementError)."""
    row = rows.select_for_update().get(pk=pk)
    if check is not None:
        check(row)
    if expected_revision is not None and revision_of(row) != expected_revision:
        raise ConflictError(str(message))
    return row


def bump(row: models.Model, fields: Iterable[str] = ()) -> None:
    """Save ``fields`` of a locked row with the next revision (and ``updated_at``, when the model
    keeps one). Call it on the row ``lock`` returned, in the same transaction."""
    setattr(row, "revision", revision_of(row) + 1)  # noqa: B010
    names = [*fields, "revision"]
    if any(field.name == "updated_at" for field in row._meta.concrete_fields):
        setattr(row, "updated_at", timezone.now())  # noqa: B010
        names.append("updated_at")
    row.save(update_fields=list(dict.fromkeys(names)))


def etag(row: models.Model, kind: str = "") -> str:
    """The row's ETag: ``"case-12-3"`` is case 12 at revision 3 (``kind`` "case")."""
    prefix = f"{kind}-" if kind else ""
    return f'"{prefix}{row.pk}-{revision_of(row)}"'


@dataclass(frozen=True)
class Locker(Generic[M]):
    """One app's way to lock its rows: the rows (a manager or a queryset), its stale-edit
    message and its own rules. ``locker(row, expected_revision)`` is :func:`lock` on that row."""

    rows: QuerySet[M] | models.Manager[M]
    message: str | Promise = STALE_MESSAGE
    check: Callable[[M], None] | None = None

    def __call__(self, row: M, expected_revision: int | None) -> M:
        return lock(
            self.rows,
            row.pk,
            expected_revision=expected_revision,
            message=self.message,
            check=self.check,
        )
