"""Encrypted backups of the whole installation: `tanu backup FILE`, `tanu restore FILE`.

What a backup holds
-------------------
One file. Inside the encryption, a gzipped tar archive (built in memory, never written to disk in
clear) of:

- ``manifest.json``: format version, creation time, tanu and Django versions, database vendor,
  the applied migrations, row counts per model, the SHA-256 of ``data.json`` and of every
  document file;
- ``data.json``: every row of every model except content types, permissions, sessions and the
  admin log, in Django's fixture format (loadable by ``loaddata`` in an emergency) with primary
  keys kept exactly and datetimes to the microsecond (Django's JSON encoder would cut them to
  milliseconds and break the audit chain). References to permissions are written by natural key,
  since permission ids differ between databases. **Encrypted fields appear in clear here**: this
  is why the archive itself is encrypted;
- ``documents/<name>``: the stored document files as they are on disk (each already encrypted
  under a field key: restoring them needs that field key in the ring).

File format
-----------
``b"TANUBAK1"`` | key source (1 byte: 1 = ``TANU_BACKUP_KEY``, 2 = a field key) | length of the
key id (1 byte) | key id (ASCII) | salt (16 bytes) | nonce (12 bytes) | ciphertext | GCM tag (16
bytes). AES-256-GCM; everything before the ciphertext is authenticated as associated data, so no
byte of the file can change unnoticed.

The backup key
--------------
The archive key is HKDF-SHA256 (``info=b"tanu backup v1"``, the file's random salt) of either

- ``TANU_BACKUP_KEY`` (32 bytes, base64), when set: recommended, since backups then do not depend
  on the field keys. The key id in the header is a short fingerprint of the key (not the key), so
  a wrong key is reported as such. Keep a copy of the key apart from the backups; or else
- the *active field key*: the header names its key id, and restoring needs that key in the ring
  (``TANU_FIELD_KEYS`` / ``TANU_FIELD_KEY_FILE``). After a key rotation, keep the retired key
  (in ``TANU_RETIRED_FIELD_KEYS`` or the key file's ``"retired"``) for as long as backups made
  under it are kept.

Restoring
---------
Only into an empty database (freshly migrated: the regions that the migrations load are
replaced by those of the backup), at the same migrations as the backup was made at, and with no
document file that would be overwritten with other content. Every key the restored data needs is
checked before anything is written: the field key of every document (ring or retired), the
blind-index key (the manifest holds its fingerprint) and the audit keys, by verifying the
backup's audit chain as it will stand in the database. Everything is loaded in one
transaction; documents are written after the data and removed again if the transaction fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as dtime
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connection, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tanu.lib import crypto

__all__ = [
    "ENV_BACKUP_KEY",
    "MAGIC",
    "BackupError",
    "Manifest",
    "create_backup",
    "database_holdings",
    "read_backup",
    "restore_backup",
    "verify_backup",
    "write_file_atomically",
]

MAGIC = b"TANUBAK1"
FORMAT_VERSION = 1
ENV_BACKUP_KEY = "TANU_BACKUP_KEY"
SOURCE_BACKUP_KEY = 1
SOURCE_FIELD_KEY = 2
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
ARCHIVE_INFO = b"tanu backup v1"
FINGERPRINT_INFO = b"tanu backup key fingerprint"
CHUNK = 1024 * 1024

# Rebuilt by `migrate` on any database, session state, or the task queue (work in passing):
# never part of a backup.
EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "django_tasks_db"})
EXCLUDED_MODELS = frozenset({"auth.permission", "admin.logentry"})
# Referred to by natural key: their primary keys differ between databases.
NATURAL_KEY_MODELS = frozenset({"auth.permission", "contenttypes.contenttype"})
# Rows that data migrations load into every new database: a restore replaces them.
REFERENCE_MODELS = frozenset({"accounts.region", "proceedings.article"})
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9_-]+")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


def _quiet(message: str) -> None:
    """Discard progress messages."""


# --- files ----------------------------------------------------------------------------------


def write_file_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    Writes a temporary file (``.<name>.*``, created readable by the owner only) in the same
    directory, syncs it and renames it over ``path``. Keeps the permissions of an existing file
    unless ``mode`` is given. Run as root (by mistake), the file goes to the folder's owner, so
    that the application can still read it.
    """
    path = Path(path)
    if mode is None and path.exists():
        mode = path.stat().st_mode & 0o777
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            folder = path.parent.stat()
            os.chown(temp_name, folder.st_uid, folder.st_gid)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _documents_dir() -> Path:
    from tanu.cases.documents import documents_dir

    return documents_dir()


# --- keys and encryption --------------------------------------------------------------------


def _hkdf(source: bytes, *, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(source)


def _configured_backup_key() -> bytes | None:
    raw = os.environ.get(ENV_BACKUP_KEY, "").strip()
    if not raw:
        return None
    try:
        return crypto._decode_key(raw, ENV_BACKUP_KEY)
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc)) from None


def _fingerprint(key: bytes) -> str:
    return _hkdf(key, salt=None, info=FINGERPRINT_INFO)[:6].hex()


def blind_index_fingerprint() -> str:
    """A short public fingerprint of the blind-index key in use (not the key)."""
    return _fingerprint(crypto.get_keyring().blind_key)


def _key_for_writing() -> tuple[int, str, bytes]:
    """(source, key id, key material) for a new backup."""
    backup_key = _configured_backup_key()
    if backup_key is not None:
        return SOURCE_BACKUP_KEY, _fingerprint(backup_key), backup_key
    ring = crypto.get_keyring()
    return SOURCE_FIELD_KEY, ring.active, ring.keys[ring.active]


def _key_for_reading(source: int, kid: str) -> bytes:
    if source == SOURCE_BACKUP_KEY:
        backup_key = _configured_backup_key()
        if backup_key is None:
            raise BackupError(
                f"This backup was encrypted with a {ENV_BACKUP_KEY} (fingerprint {kid}); set "
                f"{ENV_BACKUP_KEY} to that key to restore it."
            )
        if _fingerprint(backup_key) != kid:
            raise BackupError(
                f"This backup was encrypted with another {ENV_BACKUP_KEY} (fingerprint {kid}; "
                f"the one set has fingerprint {_fingerprint(backup_key)})."
            )
        return backup_key
    if source == SOURCE_FIELD_KEY:
        ring = crypto.get_keyring()
        if kid not in ring.readable:
            raise BackupError(
                f"This backup was encrypted with the field key {kid!r}, which is not in the "
                "keyring; add it to TANU_RETIRED_FIELD_KEYS (or the key file) to restore it."
            )
        return ring.readable[kid]
    raise BackupError("This backup names an unknown kind of key; is it from a newer tanu?")


def _header(source: int, kid: str, salt: bytes, nonce: bytes) -> bytes:
    encoded = kid.encode("ascii")
    return MAGIC + bytes([source, len(encoded)]) + encoded + salt + nonce


def _seal(plaintext: bytes, target: Path) -> int:
    """Encrypt ``plaintext`` into ``target`` (written atomically); return the file size."""
    source, kid, key_material = _key_for_writing()
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = _header(source, kid, salt, nonce)
    key = _hkdf(key_material, salt=salt, info=ARCHIVE_INFO)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    out = io.BytesIO()
    out.write(header)
    view = memoryview(plaintext)
    for start in range(0, len(view), CHUNK):
        out.write(encryptor.update(view[start : start + CHUNK]))
    out.write(encryptor.finalize())
    out.write(encryptor.tag)
    write_file_atomically(target, out.getvalue(), mode=0o600)
    return out.tell()


def _unseal(sealed: bytes) -> bytes:
    """Decrypt a backup file's bytes; raise BackupError if it is not one, or was altered."""
    if not sealed.startswith(MAGIC):
        raise BackupError("This is not a tanu backup file (it does not start with TANUBAK1).")
    try:
        source, kid_length = sealed[len(MAGIC)], sealed[len(MAGIC) + 1]
        start = len(MAGIC) + 2
        kid = sealed[start : start + kid_length].decode("ascii")
        salt = sealed[start + kid_length : start + kid_length + SALT_BYTES]
        nonce_at = start + kid_length + SALT_BYTES
        nonce = sealed[nonce_at : nonce_at + NONCE_BYTES]
    except (IndexError, UnicodeDecodeError):
        raise BackupError("The backup file is damaged: its header cannot be read.") from None
    body_at = nonce_at + NONCE_BYTES
    if len(sealed) < body_at + TAG_BYTES or len(salt) != SALT_BYTES:
        raise BackupError("The backup file is damaged: it is too short.")
    header = sealed[:body_at]
    key = _hkdf(_key_for_reading(source, kid), salt=salt, info=ARCHIVE_INFO)
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(header)
    body = memoryview(sealed)[body_at : len(sealed) - TAG_BYTES]
    out = io.BytesIO()
    for begin in range(0, len(body), CHUNK):
        out.write(decryptor.update(body[begin : begin + CHUNK]))
    try:
        out.write(decryptor.finalize_with_tag(bytes(sealed[-TAG_BYTES:])))
    except InvalidTag:
        raise BackupError(
            "The backup file was altered or damaged (its authentication tag does not match), "
            "or it was encrypted with a different key. Nothing was restored."
        ) from None
    return out.getvalue()


# --- serialising the database ---------------------------------------------------------------


class _Serializer(PythonSerializer):
    """Plain primary keys, except for references to models whose ids differ between databases
    (permissions, content types): those are written by natural key."""

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)


class _PreciseEncoder(DjangoJSONEncoder):
    """Django's JSON encoder, but keeping datetimes and times to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dtime):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """The models a backup holds, in an order that loads (dependencies first where possible)."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS or app_config.models_module is None:
            continue
        chosen = [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in EXCLUDED_MODELS
            and not model._meta.proxy
            and model._meta.managed
            and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
        ]
        if chosen:
            app_list.append((app_config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def _rows(model: type[models.Model]) -> Iterable[models.Model]:
    queryset = model._base_manager.order_by(model._meta.pk.name)  # type: ignore[union-attr]
    m2m = [
        f.name
        for f in model._meta.many_to_many
        if f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    ]
    if m2m:
        return queryset.prefetch_related(*m2m).iterator(chunk_size=2000)
    return queryset.iterator(chunk_size=2000)


def serialise_database(progress: Progress = _quiet) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every backed-up row as fixture objects, and the number of rows per model label."""
    objects: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for model in backed_up_models():
        rows = _Serializer().serialize(_rows(model))
        counts[model._meta.label] = len(rows)
        objects.extend(rows)
        progress(f"read {model._meta.label}: {len(rows)} rows")
    return objects, counts


def dumps(objects: list[dict[str, Any]]) -> bytes:
    return json.dumps(objects, cls=_PreciseEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _tanu_version() -> str:
    try:
        return metadata.version("tanu")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup ---------------------------------------------------------------------------------


@dataclass
class Manifest:
    created_at: str
    tanu_version: str
    django_version: str
    database_vendor: str
    migrations: list[str]
    models: dict[str, int]
    data_sha256: str
    documents: dict[str, str] = field(default_factory=dict)  # name -> sha256
    missing_documents: list[str] = field(default_factory=list)
    # Fingerprints (never keys) of the keys the data depends on: {"blind_index": ...}.
    keys: dict[str, str] = field(default_factory=dict)
    format: str = "tanu-backup"
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
        except ValueError:
            raise BackupError("The backup's manifest is not valid JSON.") from None
        if not isinstance(data, dict) or data.get("format") != "tanu-backup":
            raise BackupError("The archive holds no tanu backup manifest.")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"This backup has format version {data.get('format_version')}; this tanu reads "
                f"version {FORMAT_VERSION}. Restore it with the tanu version that made it."
            )
        try:
            return cls(**data)
        except TypeError:
            raise BackupError("The backup's manifest is incomplete.") from None


def _snapshot(progress: Progress) -> tuple[bytes, dict[str, int], dict[str, bytes], list[str]]:
    """Data, counts, document files and missing documents, read in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One consistent snapshot of every table (only possible as the first statement).
                if not connection.savepoint_ids:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        objects, counts = serialise_database(progress)
        names = [
            obj["fields"]["storage_name"] for obj in objects if obj["model"] == "cases.document"
        ]
        # Still inside the transaction, so that the files match the rows read.
        documents: dict[str, bytes] = {}
        missing: list[str] = []
        folder = _documents_dir()
        for name in names:
            try:
                documents[name] = (folder / name).read_bytes()
            except FileNotFoundError:
                missing.append(name)
    progress(f"read {len(documents)} document files")
    return dumps(objects), counts, documents, missing


def _tar_member(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def create_backup(target: Path, *, progress: Progress = _quiet) -> Manifest:
    """Write an encrypted backup of the database and the documents to ``target``."""
    from tanu.audit.actions import record
    from tanu.audit.models import Action, ObjectType

    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    _key_for_writing()  # fail before reading anything if the key is wrong
    # A backup reads every person's data: audited, and the entry is part of the backup.
    record(Action.EXPORT, actor=None, actor_username="backup", object_type=ObjectType.BACKUP)
    data, counts, documents, missing = _snapshot(progress)
    now = timezone.now()
    manifest = Manifest(
        created_at=now.astimezone(UTC).isoformat(),
        tanu_version=_tanu_version(),
        django_version=django.get_version(),
        database_vendor=connection.vendor,
        migrations=applied_migrations(),
        models=counts,
        data_sha256=hashlib.sha256(data).hexdigest(),
        documents={name: hashlib.sha256(raw).hexdigest() for name, raw in documents.items()},
        missing_documents=missing,
        keys={"blind_index": blind_index_fingerprint()},
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        stamp = now.timestamp()
        _tar_member(archive, "manifest.json", manifest.to_json(), stamp)
        _tar_member(archive, "data.json", data, stamp)
        for name, raw in sorted(documents.items()):
            _tar_member(archive, f"documents/{name}", raw, stamp)
    progress(f"encrypting {buffer.tell() / 1e6:.1f} MB")
    size = _seal(buffer.getvalue(), target)
    progress(f"wrote {target} ({size / 1e6:.1f} MB)")
    return manifest


# --- reading and restoring ------------------------------------------------------------------


@dataclass
class Archive:
    manifest: Manifest
    data: bytes
    documents: dict[str, bytes]


def read_backup(path: Path) -> Archive:
    """Decrypt and check a backup file: tag, manifest, data hash and document hashes."""
    try:
        sealed = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from None
    plaintext = _unseal(sealed)
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plaintext), mode="r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    raise BackupError(f"Unexpected entry {member.name!r} in the backup.")
                if member.name in members:
                    raise BackupError(f"The backup holds {member.name!r} twice.")
                handle = archive.extractfile(member)
                assert handle is not None
                members[member.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError("The backup's archive cannot be read.") from None
    if "manifest.json" not in members or "data.json" not in members:
        raise BackupError("The backup lacks its manifest or its data.")
    manifest = Manifest.from_json(members.pop("manifest.json"))
    data = members.pop("data.json")
    if hashlib.sha256(data).hexdigest() != manifest.data_sha256:
        raise BackupError("The backup's data does not match its manifest.")
    documents: dict[str, bytes] = {}
    for name, raw in members.items():
        folder, _, file_name = name.partition("/")
        if folder != "documents" or not DOCUMENT_NAME.fullmatch(file_name):
            raise BackupError(f"Unexpected entry {name!r} in the backup.")
        documents[file_name] = raw
    if set(documents) != set(manifest.documents) or any(
        hashlib.sha256(raw).hexdigest() != manifest.documents[name]
        for name, raw in documents.items()
    ):
        raise BackupError("The backup's documents do not match its manifest.")
    return Archive(manifest=manifest, data=data, documents=documents)


@dataclass
class Verification:
    """What `tanu backup verify FILE` found: the manifest when the file reads back whole."""

    path: Path
    size: int
    manifest: Manifest | None = None
    rows: int = 0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_backup(path: Path) -> Verification:
    """Read a backup back as a restore would, writing nothing: decrypt it (tag and key), unpack
    the whole archive, check the data and every document against the manifest's SHA-256, parse
    the data and count its rows per model against the manifest's counts."""
    path = Path(path)
    size = path.stat().st_size if path.is_file() else 0
    result = Verification(path=path, size=size)
    try:
        archive = read_backup(path)
        result.manifest = archive.manifest
        try:
            objects = json.loads(archive.data)
        except ValueError:
            raise BackupError("The backup's data is not valid JSON.") from None
        if not isinstance(objects, list):
            raise BackupError("The backup's data is not a list of rows.")
        counts: dict[str, int] = {}
        for obj in objects:
            label = str(obj.get("model", "?")) if isinstance(obj, dict) else "?"
            counts[label] = counts.get(label, 0) + 1
        expected = {label.lower(): n for label, n in archive.manifest.models.items() if n}
        if counts != expected:
            differ = sorted(
                label
                for label in set(counts) | set(expected)
                if counts.get(label) != expected.get(label)
            )
            raise BackupError(
                f"The backup's rows do not match its manifest's counts ({', '.join(differ[:3])})."
            )
        result.rows = len(objects)
    except BackupError as exc:
        result.problem = str(exc)
    return result


def database_holdings() -> dict[str, int]:
    """Rows per model of data that a restore must not overwrite (empty: safe to restore)."""
    held = {}
    for model in backed_up_models():
        if model._meta.label_lower in REFERENCE_MODELS:
            continue
        count = model._base_manager.count()  # type: ignore[union-attr]
        if count:
            held[model._meta.label] = count
    return held


def _check_target(archive: Archive) -> None:
    held = database_holdings()
    if held:
        listed = ", ".join(f"{label}: {n}" for label, n in sorted(held.items()))
        raise BackupError(
            f"Refused: the database already holds data ({listed}). A backup is only restored "
            "into an empty database: create a new database, run `tanu migrate`, then "
            "`tanu restore FILE`. Nothing was changed."
        )
    here, there = set(applied_migrations()), set(archive.manifest.migrations)
    if here != there:
        missing = sorted(there - here)[:3]
        extra = sorted(here - there)[:3]
        raise BackupError(
            "Refused: this database is not at the migrations the backup was made at "
            f"(backup only: {missing or 'none'}; database only: {extra or 'none'}). Install "
            f"tanu {archive.manifest.tanu_version}, run `tanu migrate`, restore, then upgrade. "
            "Nothing was changed."
        )
    unknown = [label for label in archive.manifest.models if label not in _labels()]
    if unknown:
        raise BackupError(f"Refused: this tanu has no models {unknown}. Nothing was changed.")
    folder = _documents_dir()
    for name, raw in archive.documents.items():
        existing = folder / name
        if existing.exists() and existing.read_bytes() != raw:
            raise BackupError(
                f"Refused: a different document file {existing} exists already. Nothing was "
                "changed."
            )


def check_keys(archive: Archive, objects: list[dict[str, Any]]) -> None:
    """Refuse (BackupError) unless every key the restored data needs is configured here: the
    field keys of the documents (ring or retired), the blind-index key, and the audit keys the
    backup's chain is written under. Reads only: run before anything is written."""
    from tanu.audit.actions import verify_chain
    from tanu.audit.models import AuditEntry, AuditHead

    ring = crypto.get_keyring()
    for name, raw in archive.documents.items():
        try:
            kid = crypto.key_id_of(raw.decode("ascii").strip())
        except (UnicodeDecodeError, crypto.DecryptionError):
            raise BackupError(f"Document {name} in the backup is not an encrypted token.") from None
        if kid not in ring.readable:
            raise BackupError(
                f"Refused: documents in the backup are encrypted under field key {kid!r}, which "
                "is neither in the keyring nor retired. Add it to TANU_RETIRED_FIELD_KEYS (or the "
                "key file's retired keys), then restore. Nothing was changed."
            )
    made_with = archive.manifest.keys.get("blind_index")
    if made_with and made_with != blind_index_fingerprint():
        raise BackupError(
            f"Refused: the backup's search indexes were made with another blind-index key "
            f"(fingerprint {made_with}; the one here: {blind_index_fingerprint()}). Set "
            "TANU_BLIND_INDEX_KEY (or the first field key) as where the backup was made. "
            "Nothing was changed."
        )
    audit = [obj for obj in objects if obj.get("model") in ("audit.auditentry", "audit.audithead")]
    entries: list[AuditEntry] = []
    head: AuditHead | None = None
    try:
        for item in serializers.deserialize("python", audit, ignorenonexistent=True):
            if isinstance(item.object, AuditEntry):
                entries.append(item.object)
            elif isinstance(item.object, AuditHead):
                head = item.object
    except DeserializationError as exc:
        raise BackupError(f"The backup's audit trail cannot be read: {exc}.") from None
    entries.sort(key=lambda entry: entry.seq)
    problem = verify_chain(iter(entries), head=head) if entries else None
    if problem is not None:
        raise BackupError(
            f"Refused: the backup's audit chain does not verify with the audit keys configured "
            f"here (entry {problem.seq}: {problem.message}). Set TANU_AUDIT_KEY, and "
            "TANU_AUDIT_RETIRED_KEYS for older keys, as where the backup was made. Nothing was "
            "changed."
        )


def _labels() -> set[str]:
    return {model._meta.label for model in apps.get_models()}


def restore_backup(path: Path, *, progress: Progress = _quiet) -> Manifest:
    """Restore a backup into an empty database; return its manifest (with the counts)."""
    from tanu.audit.actions import record
    from tanu.audit.models import Action, ObjectType

    archive = read_backup(path)
    manifest = archive.manifest
    progress(
        f"backup of {manifest.created_at} (tanu {manifest.tanu_version}, "
        f"{manifest.database_vendor}): {sum(manifest.models.values())} rows, "
        f"{len(archive.documents)} documents"
    )
    objects = json.loads(archive.data)
    total = len(objects)
    check_keys(archive, objects)
    folder = _documents_dir()
    written: list[Path] = []
    loaded_models: set[type[models.Model]] = set()
    try:
        with transaction.atomic():
            _check_target(archive)
            for label in sorted(REFERENCE_MODELS):
                apps.get_model(label)._base_manager.all().delete()  # type: ignore[union-attr]
            started = time.monotonic()
            with connection.constraint_checks_disabled():
                deferred = []
                for done, item in enumerate(
                    serializers.deserialize("python", objects, handle_forward_references=True),
                    start=1,
                ):
                    item.save(force_insert=True)
                    loaded_models.add(type(item.object))
                    if item.deferred_fields:
                        deferred.append(item)
                    if done % 1000 == 0 or done == total:
                        rate = done / max(time.monotonic() - started, 1e-6)
                        progress(f"loaded {done}/{total} rows ({rate:.0f} rows/s)")
                for item in deferred:
                    item.save_deferred_fields()
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded_models])
            statements = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            for label, expected in manifest.models.items():
                actual = apps.get_model(label)._base_manager.count()  # type: ignore[union-attr]
                if actual != expected:
                    raise BackupError(
                        f"After loading, {label} has {actual} rows, not {expected}. Nothing "
                        "was restored."
                    )
            for name, raw in sorted(archive.documents.items()):
                target = folder / name
                if not target.exists():
                    write_file_atomically(target, raw)
                    written.append(target)
            progress(f"restored {len(archive.documents)} document files")
            record(
                Action.CREATE,
                actor=None,
                actor_username="restore",
                object_type=ObjectType.BACKUP,
                reason=f"restored the backup of {manifest.created_at}",
            )
    except DeserializationError as exc:
        for target in written:
            target.unlink(missing_ok=True)
        raise BackupError(
            f"The backup's data cannot be loaded: {exc}. Nothing was restored."
        ) from exc
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return manifest
