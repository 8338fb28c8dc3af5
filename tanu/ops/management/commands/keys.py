"""`tanu keys rotate` re-encrypts stored personal data under the active field key, as ``v2``
tokens bound to their table, row and field; `tanu keys status` shows which key encrypts how many
values; `tanu keys verify` lists (by model, primary key and field) every stored value that does
not decrypt in its own row and field, such as a value copied from another row.

Every value that is not a ``v2`` token under the active key is rewritten: values under an old
key, and legacy ``v1`` tokens (bound to their field only), which are re-encrypted bound to the
primary key of the row they are read from. Run it once after upgrading from ``v1`` tokens, even
without a new key. Values that do not decrypt (altered, or copied from another row or field) are
listed by model, primary key and field, and left as they are.

Rotation, step by step (see tanu.lib.crypto):

1. add the new key to the ring (``TANU_FIELD_KEYS`` or the key file) and make it active;
2. restart every tanu process, so that nothing writes under the old key any more;
3. run ``tanu keys rotate`` (it can be interrupted and run again: it only touches values that are
   not under the active key, and commits batch by batch);
4. check with ``tanu keys status`` that nothing is left under the old key;
5. only then move the old key from the ring to the retired keys (``TANU_RETIRED_FIELD_KEYS`` or
   the key file's ``"retired"``): they decrypt backups made before the rotation, and never
   encrypt. Without a dedicated blind-index key (``TANU_BLIND_INDEX_KEY``) the *first* key of
   the ring keys the blind indexes and must stay in the ring.

`tanu keys rotate-audit` hands the audit chain over to ``TANU_AUDIT_KEY`` (see
tanu.audit.chain): set the new ``TANU_AUDIT_KEY``, put the old one in ``TANU_AUDIT_RETIRED_KEYS``
(for verification only), restart every process, then run it. It writes a key-change entry under
the old key; every entry after it is written under the new one.

The command reads and writes the raw tokens with SQL (never through the ORM, which would
decrypt them), and never prints a value, only model, field, primary-key and key-id.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from tanu.audit.actions import AuditKeyError, do_rotate_audit_key
from tanu.audit.chain import current_key
from tanu.cases.documents import document_context, documents_dir
from tanu.lib import crypto
from tanu.ops.backup import write_file_atomically

DEFAULT_BATCH_SIZE = 500
# Stored document files are named by a random hex token; anything else (temporary files of an
# interrupted rewrite start with ".") is not a document.
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9_-]+")
NOT_A_TOKEN = "(not a token)"


@dataclass(frozen=True)
class EncryptedTable:
    """A concrete model with encrypted columns in its own table."""

    model: type[models.Model]
    fields: tuple[crypto.EncryptedTextField, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk_column(self) -> str:
        pk = self.model._meta.pk
        assert pk is not None
        return _column(pk)


def _column(model_field: models.Field[Any, Any]) -> str:
    assert model_field.column is not None
    return model_field.column


def encrypted_tables() -> list[EncryptedTable]:
    """Every installed concrete model with EncryptedTextField / EncryptedJSONField columns."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        fields = tuple(
            f for f in meta.local_concrete_fields if isinstance(f, crypto.EncryptedTextField)
        )
        if fields:
            found.append(EncryptedTable(model=model, fields=fields))
    return sorted(found, key=lambda t: t.label)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _stale_condition(column: str, prefix: str) -> tuple[str, list[Any]]:
    """SQL true when ``column`` holds a value that is not under the active key."""
    col = _qn(column)
    # The length is our own integer, written inline so that every backend types it the same.
    sql = f"({col} IS NOT NULL AND {col} <> '' AND SUBSTR({col}, 1, {len(prefix)}) <> %s)"
    return sql, [prefix]


def _active_prefix() -> str:
    return f"{crypto.VERSION}.{crypto.get_keyring().active}."


@dataclass
class Failure:
    where: str  # "cases.Person 12 given_name" or "document <name>": never a value
    reason: str


@dataclass
class RotationResult:
    rows: int = 0
    values: int = 0
    documents: int = 0
    changed_meanwhile: int = 0
    failures: list[Failure] = field(default_factory=list)


def count_stale_rows(table: EncryptedTable) -> int:
    prefix = _active_prefix()
    parts = [_stale_condition(_column(f), prefix) for f in table.fields]
    where = " OR ".join(sql for sql, _ in parts)
    params = [p for _, ps in parts for p in ps]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_qn(table.table)} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _stale_batches(table: EncryptedTable, batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows (pk, *columns) with a value not under the active key, by ascending pk."""
    prefix = _active_prefix()
    parts = [_stale_condition(_column(f), prefix) for f in table.fields]
    where = " OR ".join(sql for sql, _ in parts)
    params: list[Any] = [p for _, ps in parts for p in ps]
    columns = ", ".join(_qn(c) for c in [table.pk_column, *(_column(f) for f in table.fields)])
    pk = _qn(table.pk_column)
    last_pk: Any = None
    while True:
        after = "" if last_pk is None else f" AND {pk} > %s"
        sql = (
            f"SELECT {columns} FROM {_qn(table.table)} WHERE ({where}){after} "  # noqa: S608
            f"ORDER BY {pk} LIMIT {int(batch_size)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params + ([] if last_pk is None else [last_pk]))
            rows = [tuple(row) for row in cursor.fetchall()]
        if not rows:
            return
        yield rows
        last_pk = rows[-1][0]


def _rotate_row(
    table: EncryptedTable, row: tuple[Any, ...], result: RotationResult
) -> tuple[list[str], list[Any], list[Any]]:
    """New tokens for the stale columns of one row: (columns, new values, old values)."""
    pk, values = row[0], row[1:]
    columns: list[str] = []
    new: list[str] = []
    old: list[str] = []
    for model_field, token in zip(table.fields, values, strict=True):
        if token is None or token == "":
            continue
        try:
            if not crypto.needs_rotation(token):
                continue
            rotated = crypto.rotate_value(token, model_field.context, row=pk)
        except crypto.DecryptionError as exc:
            result.failures.append(Failure(f"{table.label} {pk} {model_field.name}", str(exc)))
            continue
        columns.append(_column(model_field))
        new.append(rotated)
        old.append(token)
    return columns, new, old


def rotate_table(
    table: EncryptedTable,
    *,
    batch_size: int,
    result: RotationResult,
    report: Callable[[str], None],
) -> None:
    total = count_stale_rows(table)
    if total == 0:
        report(f"{table.label}: nothing to re-encrypt")
        return
    started = time.monotonic()
    done = 0
    for rows in _stale_batches(table, batch_size):
        with transaction.atomic():
            for row in rows:
                columns, new, old = _rotate_row(table, row, result)
                if not columns:
                    continue
                assignments = ", ".join(f"{_qn(c)} = %s" for c in columns)
                unchanged = " AND ".join(f"{_qn(c)} = %s" for c in columns)
                with connection.cursor() as cursor:
                    # Only if nobody rewrote the value meanwhile (a new write is under the
                    # active key already, or is picked up by the next run).
                    cursor.execute(
                        f"UPDATE {_qn(table.table)} SET {assignments} "  # noqa: S608
                        f"WHERE {_qn(table.pk_column)} = %s AND {unchanged}",
                        [*new, row[0], *old],
                    )
                    if cursor.rowcount == 1:
                        result.rows += 1
                        result.values += len(columns)
                    else:
                        result.changed_meanwhile += 1
        done += len(rows)
        rate = done / max(time.monotonic() - started, 1e-6)
        report(f"{table.label}: {done}/{total} rows ({rate:.0f} rows/s)")


def document_files() -> list[Path]:
    return sorted(
        p for p in documents_dir().iterdir() if p.is_file() and DOCUMENT_NAME.fullmatch(p.name)
    )


def rotate_documents(
    *, batch_size: int, result: RotationResult, report: Callable[[str], None]
) -> None:
    files = document_files()
    stale: list[Path] = []
    for path in files:
        try:
            if crypto.needs_rotation(path.read_text(encoding="ascii").strip()):
                stale.append(path)
        except (crypto.DecryptionError, UnicodeDecodeError) as exc:
            result.failures.append(Failure(f"document {path.name}", str(exc)))
    if not stale:
        report("documents: nothing to re-encrypt")
        return
    started = time.monotonic()
    for done, path in enumerate(stale, start=1):
        try:
            token = path.read_text(encoding="ascii").strip()
            rotated = crypto.rotate_value(token, document_context(path.name))
        except (OSError, crypto.DecryptionError) as exc:
            result.failures.append(Failure(f"document {path.name}", str(exc)))
        else:
            write_file_atomically(path, rotated.encode("ascii"))
            result.documents += 1
        if done % batch_size == 0 or done == len(stale):
            rate = done / max(time.monotonic() - started, 1e-6)
            report(f"documents: {done}/{len(stale)} files ({rate:.0f} files/s)")


LEGACY = " (v1)"  # a legacy token: bound to its field but not its row; rotate upgrades it


def _kid_of(token: str) -> str:
    """The key id of a token, with LEGACY after it for a v1 token."""
    try:
        kid = crypto.key_id_of(token)
        return kid + LEGACY if crypto.version_of(token) == crypto.LEGACY_VERSION else kid
    except crypto.DecryptionError:
        return NOT_A_TOKEN


def key_status() -> dict[str, Counter[str]]:
    """For every encrypted column ("app.Model.field") and for "documents": values per key id."""
    status: dict[str, Counter[str]] = {}
    for table in encrypted_tables():
        for model_field in table.fields:
            counts: Counter[str] = Counter()
            col = _qn(_column(model_field))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {col} FROM {_qn(table.table)} "  # noqa: S608
                    f"WHERE {col} IS NOT NULL AND {col} <> ''"
                )
                while chunk := cursor.fetchmany(2000):
                    counts.update(_kid_of(value) for (value,) in chunk)
            status[f"{table.label}.{model_field.name}"] = counts
    documents: Counter[str] = Counter()
    for path in document_files():
        try:
            documents[_kid_of(path.read_text(encoding="ascii").strip())] += 1
        except (OSError, UnicodeDecodeError):
            documents[NOT_A_TOKEN] += 1
    status["documents"] = documents
    return status


def undecryptable_values(batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Failure]:
    """Every stored value that does not decrypt in its own row and field: altered, copied from
    another row or field, or under a key not in the ring. Never yields a value."""
    for table in encrypted_tables():
        columns = ", ".join(_qn(c) for c in [table.pk_column, *(_column(f) for f in table.fields)])
        pk = _qn(table.pk_column)
        last_pk: Any = None
        while True:
            after = "" if last_pk is None else f" WHERE {pk} > %s"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM {_qn(table.table)}{after} "  # noqa: S608
                    f"ORDER BY {pk} LIMIT {int(batch_size)}",
                    [] if last_pk is None else [last_pk],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                for model_field, token in zip(table.fields, row[1:], strict=True):
                    if token is None or token == "":
                        continue
                    try:
                        crypto.decrypt_bytes(token, context=model_field.context, row=row[0])
                    except crypto.DecryptionError as exc:
                        yield Failure(f"{table.label} {row[0]} {model_field.name}", str(exc))
            last_pk = rows[-1][0]


def blind_key_depends_on(ring: crypto.Keyring) -> str | None:
    """The kid whose key derives the blind-index key, or None if a dedicated key is used."""
    first_kid, first_key = next(iter(ring.keys.items()))
    if ring.blind_key == crypto._derive_blind_key(first_key):
        return first_kid
    return None


class Command(BaseCommand):
    help = (
        "Field keys: `tanu keys rotate` re-encrypts stored values and documents under the "
        "active key, as tokens bound to their row (resumable; also upgrades legacy v1 "
        "tokens); `tanu keys status` counts values per key id; `tanu keys verify` lists values "
        "that do not decrypt in their row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="re-encrypt everything under the active key")
        rotate.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        sub.add_parser("status", help="how many values each key id encrypts")
        sub.add_parser(
            "verify",
            help="check that every stored value decrypts in its own row and field",
        )
        sub.add_parser(
            "rotate-audit",
            help="hand the audit chain over to TANU_AUDIT_KEY with a key-change entry",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate-audit":
            self._rotate_audit()
            return
        ring = crypto.get_keyring()
        self.stdout.write(
            f"active key: {ring.active} (keys in the ring: {', '.join(ring.keys)}; "
            f"source: {ring.source})"
        )
        if ring.retired:
            self.stdout.write(f"retired keys (decrypt only): {', '.join(ring.retired)}")
        if options["action"] == "rotate":
            batch_size = options["batch_size"]
            if batch_size < 1:
                raise CommandError("--batch-size must be at least 1.")
            self._rotate(ring, batch_size)
        elif options["action"] == "verify":
            self._verify()
        else:
            self._status(ring)

    def _rotate_audit(self) -> None:
        try:
            entry = do_rotate_audit_key()
        except (AuditKeyError, ImproperlyConfigured) as exc:
            raise CommandError(_("Refused: %(reason)s.") % {"reason": exc}) from None
        key_id = current_key().key_id
        if entry is None:
            self.stdout.write(
                _("the audit trail is empty: it starts under audit key %(key)s") % {"key": key_id}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "the audit chain is now under audit key %(key)s (key-change entry %(seq)s); "
                    "keep the old key in TANU_AUDIT_RETIRED_KEYS to verify the older entries"
                )
                % {"key": key_id, "seq": entry.seq}
            )
        )

    def _verify(self) -> None:
        failures = list(undecryptable_values())
        for failure in failures:
            self.stderr.write(f"does not decrypt: {failure.where}: {failure.reason}")
        if failures:
            raise CommandError(
                f"{len(failures)} stored values do not decrypt in their own row and field "
                "(see above): they were altered or copied, or their key left the ring. Pages "
                "show them as empty."
            )
        self.stdout.write(self.style.SUCCESS("every stored value decrypts in its row and field"))

    def _rotate(self, ring: crypto.Keyring, batch_size: int) -> None:
        result = RotationResult()
        for table in encrypted_tables():
            rotate_table(table, batch_size=batch_size, result=result, report=self.stdout.write)
        rotate_documents(batch_size=batch_size, result=result, report=self.stdout.write)
        remaining = sum(
            n for counts in key_status().values() for kid, n in counts.items() if kid != ring.active
        )
        self.stdout.write(
            f"re-encrypted {result.values} values in {result.rows} rows and "
            f"{result.documents} documents under key {ring.active}"
        )
        if result.changed_meanwhile:
            self.stdout.write(
                f"{result.changed_meanwhile} rows changed while rotating and were left as "
                "written; run `tanu keys rotate` again to pick up any still under an old key"
            )
        for failure in result.failures:
            self.stderr.write(f"cannot re-encrypt {failure.where}: {failure.reason}")
        if result.failures:
            raise CommandError(
                f"{len(result.failures)} values could not be re-encrypted (see above); "
                f"{remaining} values remain under other keys. Do not remove any key yet."
            )
        if remaining:
            self.stdout.write(
                f"{remaining} values remain under other keys: run `tanu keys rotate` again."
            )
            return
        self.stdout.write(self.style.SUCCESS("every value is under the active key"))
        old = [kid for kid in ring.keys if kid != ring.active]
        if old:
            blind_kid = blind_key_depends_on(ring)
            self.stdout.write(f"keys no longer needed for stored data: {', '.join(old)}")
            if blind_kid in old:
                self.stdout.write(
                    f"but keep key {blind_kid} first in the ring: it keys the blind indexes "
                    "(or set TANU_BLIND_INDEX_KEY and rebuild the indexes)"
                )

    def _status(self, ring: crypto.Keyring) -> None:
        stale = 0
        for name, counts in key_status().items():
            if not counts:
                self.stdout.write(f"{name}: no values")
                continue
            parts = []
            for kid, n in sorted(counts.items()):
                note = ""
                if kid == NOT_A_TOKEN:
                    note = " (unreadable)"
                elif kid.removesuffix(LEGACY) in ring.retired:
                    note = " (retired key: run `tanu keys rotate`)"
                elif kid.removesuffix(LEGACY) not in ring.keys:
                    note = " (key not in the ring: unreadable)"
                parts.append(f"{kid} {n}{note}")
                if kid != ring.active:
                    stale += n
            self.stdout.write(f"{name}: {', '.join(parts)}")
        if stale:
            self.stdout.write(f"{stale} values are not under the active key {ring.active}.")
        else:
            self.stdout.write(f"every value is under the active key {ring.active}.")
