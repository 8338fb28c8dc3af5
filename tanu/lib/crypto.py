"""Field-level encryption and blind indexes for personal data.

A leaked name can cost a life, so personal data is stored encrypted, field by field, and looked up
through keyed hashes (blind indexes), never through plaintext.

Keys
----
Field keys are 32-byte AES-256 keys, written in (URL-safe) base64, each with a short key id
(``kid``: letters, digits, ``_`` and ``-``, at most 32 characters; ``dev`` is reserved). They
come from the environment, never from the settings module, so that no settings dump or error
page can show them. Either:

- ``TANU_FIELD_KEYS="2025a:BASE64KEY,2026a:BASE64KEY"`` with ``TANU_FIELD_ACTIVE_KEY=2026a``
  (default: the last key listed); or
- ``TANU_FIELD_KEY_FILE=/etc/tanu/field-keys.json`` naming a file (readable by the app only) of
  the form ``{"active": "2026a", "keys": {"2025a": "...", "2026a": "..."}}``, optionally with
  ``"blind_index_key": "..."``.

New values are encrypted with the *active* key; every key in the ring can decrypt. To rotate, add
a new key, make it active, re-encrypt stored values (:func:`rotate_value`,
:func:`needs_rotation`), and only then move the old key to the *retired* keyring:
``TANU_RETIRED_FIELD_KEYS`` (same form as ``TANU_FIELD_KEYS``) or the key file's ``"retired"``
object. Retired keys only decrypt (backups and documents made before the rotation), never
encrypt, and never key the blind indexes. Make a key with :func:`generate_key`.

The **blind-index key** must never rotate with the field keys, or every stored index would stop
matching. It is derived (HKDF-SHA256, info ``b"tanu blind index"``) from ``TANU_BLIND_INDEX_KEY``
(or the key file's ``blind_index_key``) when given, otherwise from the **first** key of the ring
(the first in ``TANU_FIELD_KEYS`` or in the file's ``keys``). Without a dedicated blind-index key,
the first field key must therefore stay first in the ring for good (it may stop being the active
key); removing it requires rebuilding every blind index.

In development, tests and demo mode (``settings.DEBUG``, ``DEMO`` or ``TESTING``) without keys,
a fixed, public development key with kid ``dev`` is used. In production the ring refuses to load
without keys, and ``manage.py check --deploy`` reports ``tanu.E010`` (:func:`check_field_keys`).

Tokens
------
``encrypt`` returns ``v2.<kid>.<base64url(nonce || ciphertext+tag)>``: AES-256-GCM with a random
96-bit nonce. The associated data is ``b"tanu v2\0" + context + b"\0" + row``, where the
*context* is ``"<app_label>.<Model>.<field>"`` (table and field) and the *row* is the primary key
of the row the value belongs to (``""`` for values that belong to no row, such as document
files, whose context already names the file). So a value copied into another field, another row
of the same field, another table or app does not decrypt. Before encryption the plaintext is
padded (ISO/IEC 7816-4: ``0x80`` then zeros) to a multiple of 16 bytes, so that a token reveals
the length of a name only to within 16 bytes.

Legacy ``v1`` tokens (associated data: the context alone, so bound to the field but not the row)
still decrypt, wherever they are read. :func:`needs_rotation` is true for every ``v1`` token, so
``tanu keys rotate`` rewrites them as ``v2`` tokens bound to their row (it reads the primary key
with the raw token). Until it has run, a ``v1`` value copied to another row of the same field
would still decrypt there: run ``tanu keys rotate`` once after upgrading.

Binding model fields to their row
---------------------------------
The model fields (:class:`EncryptedTextField`, :class:`EncryptedJSONField`) encrypt and decrypt
with the row's primary key. Django's per-value hooks (``from_db_value``, ``get_prep_value``) do
not see the row, so:

- *Reading*: ``from_db_value`` returns a :class:`Sealed` token; the field's attribute descriptor
  opens it with the instance's primary key on first access and keeps the plaintext on the
  instance. A value that does not open (altered, copied from another row or field, unknown key)
  is logged (model, field and primary key: never a value) and read as *unreadable*: an empty
  value (``""``, an empty list or dict) that is marked :func:`is_unreadable`, so pages show
  nothing instead of failing, and saving the instance writes the stored token back unchanged.
  ``.values()`` / ``.values_list()`` of an encrypted field give :class:`Sealed` tokens; open them
  with ``field.open(sealed, row=pk)``.
- *Writing*: ``pre_save`` encrypts with the instance's primary key. An insert without a primary
  key (``Model.objects.create()``, ``save()`` of a new auto-id row) is written in two steps: the
  INSERT stores ``""`` and, once the database has given the id, a ``post_save`` hook (connected
  by the field for its model) UPDATEs the row with the bound tokens, in the same transaction
  when the caller writes in ``transaction.atomic()`` (as every named action does). This was
  preferred over taking the id first: ids come from a sequence on PostgreSQL but not on SQLite,
  where taking one ahead is racy, and the two-step write works the same everywhere.
  ``bulk_create`` does not send ``post_save``: rows with encrypted values need their primary keys
  set first (as ``tanu synth`` does) or go through :func:`bulk_create`, which inserts then seals
  them; a bulk insert that would lose values is refused with ``ValueError``.
  ``QuerySet.update()`` of an encrypted field accepts only ``""`` / ``None`` (clearing), since
  one plaintext cannot be bound to many rows; set the value on the instance and ``save()``.
- *Raw saves* (fixtures, ``tanu restore``): the ``pre_save`` hook seals the values with the
  primary key the fixture gives, so a restored row decrypts under its kept id.
- Writers that bypass the ORM (PostgreSQL ``COPY`` in ``tanu synth``) call
  ``field.seal(value, row=pk)`` once the id is known.

Blind indexes
-------------
``blind_index(value, kind="name")`` = first 32 hex digits of HMAC-SHA256(blind key,
``kind + "\\0" + normalise(value)``). The part of ``kind`` before the first dot chooses the
normaliser (``name``: :func:`tanu.lib.translit.normalise_name`; ``document``:
:func:`normalise_document`; ``text``: :func:`normalise_text`); the whole ``kind`` is hashed, so
``"name.family"`` and ``"name.given"`` give unrelated indexes for the same text while
``"name"`` indexes match across fields.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import signals
from django.db.models.query_utils import DeferredAttribute

from tanu.lib.translit import name_tokens, normalise_name

__all__ = [
    "DEV_KEY_ID",
    "BoundToken",
    "DecryptionError",
    "EncryptedJSONField",
    "EncryptedTextField",
    "Keyring",
    "Sealed",
    "blank_values",
    "blind_index",
    "bulk_create",
    "check_field_keys",
    "decrypt",
    "decrypt_bytes",
    "encrypt",
    "generate_key",
    "get_keyring",
    "is_unreadable",
    "key_id_of",
    "load_keyring",
    "name_token_indexes",
    "needs_rotation",
    "normalise_document",
    "normalise_name",
    "normalise_text",
    "reset_keyring",
    "rotate_value",
    "version_of",
]

VERSION = "v2"
LEGACY_VERSION = "v1"
DEV_KEY_ID = "dev"
KEY_BYTES = 32
NONCE_BYTES = 12
PAD_BLOCK = 16
BLIND_INDEX_INFO = b"tanu blind index"
BLIND_INDEX_HEX_CHARS = 32

ENV_KEYS = "TANU_FIELD_KEYS"
ENV_KEY_FILE = "TANU_FIELD_KEY_FILE"
ENV_ACTIVE = "TANU_FIELD_ACTIVE_KEY"
ENV_BLIND = "TANU_BLIND_INDEX_KEY"
ENV_RETIRED = "TANU_RETIRED_FIELD_KEYS"

# Public on purpose: it protects nothing, and only ever loads in development, tests and demo mode.
_DEV_KEY = hashlib.sha256(b"tanu development field key: public, never for real data").digest()
_KID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_TOKEN_BODY = re.compile(r"[A-Za-z0-9_-]+")


class DecryptionError(Exception):
    """A token could not be decrypted: malformed, unknown key, altered, or another field's."""


@dataclass(frozen=True, repr=False, eq=False)
class Keyring:
    """The field keys (in ring order), the active key id and the derived blind-index key, and
    the retired keys (decryption only)."""

    keys: Mapping[str, bytes]
    active: str
    blind_key: bytes = field(repr=False)
    source: str  # "env", "file" or "development"
    retired: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kid, key in {**self.retired, **self.keys}.items():
            self._ciphers[kid] = AESGCM(key)

    @property
    def readable(self) -> Mapping[str, bytes]:
        """Every key that can decrypt: the ring's and the retired ones."""
        return {**self.retired, **self.keys}

    @property
    def is_development(self) -> bool:
        return self.source == "development"

    def cipher(self, kid: str) -> AESGCM:
        try:
            return self._ciphers[kid]
        except KeyError:
            raise DecryptionError(
                f"Unknown key id {kid!r}: the key that encrypted this value is not in the ring "
                f"({ENV_KEYS} / {ENV_KEY_FILE})."
            ) from None

    def __repr__(self) -> str:
        retired = f", retired={list(self.retired)!r}" if self.retired else ""
        return (
            f"Keyring(kids={list(self.keys)!r}, active={self.active!r}{retired}, "
            f"source={self.source!r})"
        )


# --- loading the keyring --------------------------------------------------------------------


def generate_key() -> str:
    """A new random 32-byte key in URL-safe base64, for ``TANU_FIELD_KEYS`` or a key file."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _decode_key(text: str, what: str) -> bytes:
    cleaned = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        key = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{what} is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{what} must be {KEY_BYTES} bytes, not {len(key)}.")
    return key


def _check_kid(kid: str, where: str) -> str:
    if not _KID.fullmatch(kid):
        raise ImproperlyConfigured(
            f"Key id {kid!r} in {where} must be 1-32 letters, digits, '_' or '-'."
        )
    if kid == DEV_KEY_ID:
        raise ImproperlyConfigured(f"Key id {DEV_KEY_ID!r} in {where} is reserved.")
    return kid


def _derive_blind_key(source: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=BLIND_INDEX_INFO)
    return hkdf.derive(source)


def _keys_from_env(raw: str, name: str = ENV_KEYS) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep:
            raise ImproperlyConfigured(f"{name} entries must look like 'kid:BASE64KEY'.")
        kid = _check_kid(kid.strip(), name)
        if kid in keys:
            raise ImproperlyConfigured(f"Key id {kid!r} appears twice in {name}.")
        keys[kid] = _decode_key(encoded, f"Key {kid!r} in {name}")
    return keys


def _retired_keys(file_retired: Mapping[str, bytes], ring: Mapping[str, bytes]) -> dict[str, bytes]:
    """The retired keys (TANU_RETIRED_FIELD_KEYS and the key file's "retired"): decrypt only."""
    retired = dict(file_retired)
    for kid, key in _keys_from_env(os.environ.get(ENV_RETIRED, "").strip(), ENV_RETIRED).items():
        if kid in retired and retired[kid] != key:
            raise ImproperlyConfigured(
                f"Retired key {kid!r} differs in {ENV_RETIRED} and the key file."
            )
        retired[kid] = key
    both = sorted(set(retired) & set(ring))
    if both:
        raise ImproperlyConfigured(
            f"Key {both[0]!r} is both in the ring and retired: a key is one or the other."
        )
    return retired


def _read_key_file(
    path: str,
) -> tuple[dict[str, bytes], str | None, str | None, dict[str, bytes]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImproperlyConfigured(f"{ENV_KEY_FILE}: cannot read {path}: {exc.strerror}.") from None
    except ValueError:
        raise ImproperlyConfigured(f"{ENV_KEY_FILE}: {path} is not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ImproperlyConfigured(
            f'{ENV_KEY_FILE}: {path} must hold {{"active": "kid", "keys": {{"kid": "BASE64KEY"}}}}.'
        )
    keys: dict[str, bytes] = {}
    for kid, encoded in data["keys"].items():
        if not isinstance(encoded, str):
            raise ImproperlyConfigured(f"{ENV_KEY_FILE}: key {kid!r} must be a base64 string.")
        keys[_check_kid(kid, ENV_KEY_FILE)] = _decode_key(encoded, f"Key {kid!r} in {path}")
    active = data.get("active")
    blind = data.get("blind_index_key")
    if active is not None and not isinstance(active, str):
        raise ImproperlyConfigured(f"{ENV_KEY_FILE}: 'active' must be a key id.")
    if blind is not None and not isinstance(blind, str):
        raise ImproperlyConfigured(f"{ENV_KEY_FILE}: 'blind_index_key' must be a base64 string.")
    retired = data.get("retired", {})
    if not isinstance(retired, dict) or not all(isinstance(v, str) for v in retired.values()):
        raise ImproperlyConfigured(f"{ENV_KEY_FILE}: 'retired' must map key ids to base64 keys.")
    retired_keys = {
        _check_kid(kid, ENV_KEY_FILE): _decode_key(encoded, f"Retired key {kid!r} in {path}")
        for kid, encoded in retired.items()
    }
    return keys, active, blind, retired_keys


def development_keys_allowed() -> bool:
    """Debug, demo and the tests may use public development keys when none is set; production
    never does."""
    return bool(
        getattr(settings, "DEBUG", False)
        or getattr(settings, "DEMO", False)
        or getattr(settings, "TESTING", False)
    )


def load_keyring() -> Keyring:
    """Read the keyring from the environment now (uncached); raise ImproperlyConfigured if wrong.

    Use :func:`get_keyring` in application code.
    """
    raw_keys = os.environ.get(ENV_KEYS, "").strip()
    key_file = os.environ.get(ENV_KEY_FILE, "").strip()
    env_active = os.environ.get(ENV_ACTIVE, "").strip() or None
    env_blind = os.environ.get(ENV_BLIND, "").strip() or None
    file_retired: dict[str, bytes] = {}

    if raw_keys and key_file:
        raise ImproperlyConfigured(f"Set either {ENV_KEYS} or {ENV_KEY_FILE}, not both.")
    if key_file:
        keys, file_active, file_blind, file_retired = _read_key_file(key_file)
        if env_active and file_active and env_active != file_active:
            raise ImproperlyConfigured(
                f"{ENV_ACTIVE}={env_active!r} contradicts 'active': {file_active!r} in {key_file}."
            )
        if env_blind and file_blind and env_blind != file_blind:
            raise ImproperlyConfigured(
                f"{ENV_BLIND} contradicts 'blind_index_key' in {key_file}; keep only one."
            )
        active, blind, source = file_active or env_active, env_blind or file_blind, "file"
    elif raw_keys:
        keys, active, blind, source = _keys_from_env(raw_keys), env_active, env_blind, "env"
    else:
        if not development_keys_allowed():
            raise ImproperlyConfigured(
                f"No field encryption keys: set {ENV_KEYS} or {ENV_KEY_FILE} (see tanu.lib.crypto)."
            )
        keys, active, blind, source = {DEV_KEY_ID: _DEV_KEY}, DEV_KEY_ID, env_blind, "development"

    if not keys:
        raise ImproperlyConfigured(f"The field keyring ({ENV_KEYS} / {ENV_KEY_FILE}) is empty.")
    if active is None:
        active = list(keys)[-1]
    if active not in keys:
        raise ImproperlyConfigured(f"The active field key {active!r} is not in the keyring.")
    blind_source = _decode_key(blind, ENV_BLIND) if blind else next(iter(keys.values()))
    return Keyring(
        keys=keys,
        active=active,
        blind_key=_derive_blind_key(blind_source),
        source=source,
        retired=_retired_keys(file_retired, keys),
    )


_keyring: Keyring | None = None


def get_keyring() -> Keyring:
    """The keyring, loaded from the environment on first use and then kept."""
    global _keyring
    ring = _keyring
    if ring is None:
        # No lock: loading is pure and gives the same keyring each time, so two threads that
        # load it at once only do the work twice (and tanu runs no threads of its own).
        ring = _keyring = load_keyring()
    return ring


def reset_keyring() -> None:
    """Forget the loaded keyring, so the next use reads the environment again (for tests)."""
    global _keyring
    _keyring = None


def blind_index_key_is_set() -> bool:
    """Whether the blind-index key is set on its own (``TANU_BLIND_INDEX_KEY`` or the key
    file's ``blind_index_key``) rather than derived from the first field key."""
    if os.environ.get(ENV_BLIND, "").strip():
        return True
    key_file = os.environ.get(ENV_KEY_FILE, "").strip()
    if not key_file:
        return False
    try:
        return _read_key_file(key_file)[2] is not None
    except ImproperlyConfigured:
        return False  # check_field_keys reports the file (tanu.E011)


def check_field_keys(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check (deploy): real field keys are configured and valid (tanu.E010, tanu.E011)."""
    try:
        ring = load_keyring()
    except ImproperlyConfigured as exc:
        if not (os.environ.get(ENV_KEYS, "").strip() or os.environ.get(ENV_KEY_FILE, "").strip()):
            return [_no_keys_error()]
        return [
            checks.Error(
                f"The field encryption keys are misconfigured: {exc}",
                hint="Fix TANU_FIELD_KEYS / TANU_FIELD_KEY_FILE; see tanu/lib/crypto.py.",
                id="tanu.E011",
            )
        ]
    if ring.is_development:
        return [_no_keys_error()]
    return []


def _no_keys_error() -> checks.Error:
    return checks.Error(
        "No real field encryption keys are configured: personal data cannot be encrypted, or "
        "only under the public development key.",
        hint=(
            f"Set {ENV_KEYS}='kid:KEY' or {ENV_KEY_FILE}=/path/to/keys.json; make a key with "
            "python -c 'from tanu.lib.crypto import generate_key; print(generate_key())'."
        ),
        id="tanu.E010",
    )


# --- encryption ---------------------------------------------------------------------------


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _pad(data: bytes) -> bytes:
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise DecryptionError("The decrypted value has invalid padding.")
    return end[:-1]


def _row_key(row: object | None) -> str:
    if row is None:
        return ""
    text = str(row)
    if "\0" in text:
        raise ValueError("A row key cannot contain NUL.")
    return text


def _associated_data(version: str, context: str, row: object | None) -> bytes:
    if not context:
        raise ValueError("An encryption context (e.g. 'cases.Person.family_name') is required.")
    if version == LEGACY_VERSION:
        return context.encode("utf-8")
    return b"tanu v2\0" + context.encode("utf-8") + b"\0" + _row_key(row).encode("utf-8")


def _split(token: str) -> tuple[str, str, str]:
    if not isinstance(token, str):
        raise DecryptionError(f"Expected an encrypted token (str), got {type(token).__name__}.")
    version, _, rest = token.partition(".")
    kid, _, body = rest.partition(".")
    if (
        version not in (VERSION, LEGACY_VERSION)
        or not _KID.fullmatch(kid)
        or not _TOKEN_BODY.fullmatch(body)
    ):
        raise DecryptionError(f"Not an encrypted token of the form '{VERSION}.<kid>.<data>'.")
    return version, kid, body


def encrypt(plaintext: str | bytes, *, context: str, row: object | None = None) -> str:
    """Encrypt under the active key; the token only decrypts with the same ``context`` and
    ``row`` (the primary key of the row the value is stored in; None for values of no row)."""
    data = plaintext.encode("utf-8") if isinstance(plaintext, str) else bytes(plaintext)
    ring = get_keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ring.cipher(ring.active).encrypt(
        nonce, _pad(data), _associated_data(VERSION, context, row)
    )
    return f"{VERSION}.{ring.active}.{_b64encode(nonce + sealed)}"


def decrypt_bytes(token: str, *, context: str, row: object | None = None) -> bytes:
    """Decrypt a token to bytes; raise :class:`DecryptionError` if that is not possible.

    A legacy ``v1`` token is checked against ``context`` only (it carries no row binding).
    """
    version, kid, body = _split(token)
    cipher = get_keyring().cipher(kid)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("The token's data is not valid base64.") from None
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("The token is too short to hold a value.")
    try:
        padded = cipher.decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(version, context, row)
        )
    except InvalidTag:
        raise DecryptionError(
            f"The value does not decrypt for {context!r}: it was altered, or it belongs to "
            "another field or row."
        ) from None
    return _unpad(padded)


def decrypt(token: str, *, context: str, row: object | None = None) -> str:
    """Decrypt a token to text; raise :class:`DecryptionError` if that is not possible."""
    try:
        return decrypt_bytes(token, context=context, row=row).decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("The decrypted value is not UTF-8 text.") from None


def key_id_of(token: str) -> str:
    """The id of the key that encrypted ``token`` (raises DecryptionError if malformed)."""
    return _split(token)[1]


def version_of(token: str) -> str:
    """``"v2"``, or ``"v1"`` for a legacy token (raises DecryptionError if malformed)."""
    return _split(token)[0]


def needs_rotation(token: str) -> bool:
    """True when ``token`` is a legacy ``v1`` token or was encrypted under a key that is no
    longer the active one."""
    version, kid, _ = _split(token)
    return version != VERSION or kid != get_keyring().active


def rotate_value(token: str, context: str, row: object | None = None) -> str:
    """Re-encrypt ``token`` as a ``v2`` token under the active key, bound to ``row`` (returned
    unchanged if it already is current)."""
    if not needs_rotation(token):
        return token
    return encrypt(decrypt_bytes(token, context=context, row=row), context=context, row=row)


# --- blind indexes --------------------------------------------------------------------------

_DOCUMENT_HOMOGLYPHS = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "Е": "E",
        "Ё": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "№": "",
    }
)


def normalise_document(value: str) -> str:
    """A document number without spaces, dashes or case: ``"n 1234-5678"`` → ``"N12345678"``.

    Cyrillic letters that look like Latin ones (А В Е К М Н О Р С Т У Х І) are read as the Latin
    letter they look like, since numbers are copied by eye; ``№`` and all punctuation are
    dropped.
    """
    text = unicodedata.normalize("NFKC", value.replace("№", "")).upper()
    return "".join(ch for ch in text.translate(_DOCUMENT_HOMOGLYPHS) if ch.isalnum())


def normalise_text(value: str) -> str:
    """Exact text up to Unicode form, case and spacing."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


_NORMALISERS: dict[str, Callable[[str], str]] = {
    "name": normalise_name,
    "document": normalise_document,
    "text": normalise_text,
}


def _normaliser(kind: str) -> Callable[[str], str]:
    try:
        return _NORMALISERS[kind.partition(".")[0]]
    except KeyError:
        raise ValueError(
            f"Unknown blind index kind {kind!r}: use one of {sorted(_NORMALISERS)}, "
            "optionally followed by '.qualifier'."
        ) from None


def _keyed_hash(blind_key: bytes, kind: str, normalised: str) -> str:
    message = kind.encode("utf-8") + b"\0" + normalised.encode("utf-8")
    return hmac.new(blind_key, message, hashlib.sha256).hexdigest()[:BLIND_INDEX_HEX_CHARS]


def blind_index(value: str, *, kind: str) -> str:
    """A keyed hash of ``value`` for equality lookups without plaintext (32 hex characters).

    ``kind`` is ``name``, ``document`` or ``text``, optionally qualified (``document.passport``).
    Returns ``""`` when the value normalises to nothing: store it as "no index" and never look
    up by an empty index.
    """
    normalised = _normaliser(kind)(value)
    if not normalised:
        return ""
    return _keyed_hash(get_keyring().blind_key, kind, normalised)


def name_token_indexes(value: str, *, kind: str = "name.token") -> list[str]:
    """Blind indexes of each part of a name (sorted, unique), for order-independent search.

    Each equals ``blind_index(part, kind=kind)``, so a one-word query looks up with that.
    """
    if _normaliser(kind) is not normalise_name:
        raise ValueError(f"Name token indexes need a 'name' kind, not {kind!r}.")
    blind_key = get_keyring().blind_key
    return sorted({_keyed_hash(blind_key, kind, token) for token in name_tokens(value)})


# --- model fields ---------------------------------------------------------------------------

logger = logging.getLogger("tanu.crypto")

_SAVING = "_tanu_encrypted_saving"  # instance.__dict__ keys used by the two-step insert
_PENDING = "_tanu_encrypted_pending"


class Sealed:
    """A stored token as read from the database, not yet opened with its row's key."""

    __slots__ = ("row", "token")

    def __init__(self, token: str, row: object | None = None) -> None:
        self.token = token
        self.row = row

    def __repr__(self) -> str:
        return "<Sealed value>"

    def __str__(self) -> str:
        return ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class BoundToken(str):
    """A token already encrypted for its row: written to the database as it is."""

    __slots__ = ()


class UnreadableText(str):
    """An encrypted text value that did not decrypt: reads as ``""``, keeps the stored token."""

    token: str


class UnreadableList(list[Any]):
    """An encrypted JSON list that did not decrypt: reads as ``[]``, keeps the stored token."""

    token: str


class UnreadableDict(dict[str, Any]):
    """An encrypted JSON object that did not decrypt: reads as ``{}``, keeps the stored token."""

    token: str


def is_unreadable(value: object) -> bool:
    """True for the empty stand-in of a stored value that did not decrypt."""
    return isinstance(value, UnreadableText | UnreadableList | UnreadableDict)


def _pk_of(instance: models.Model) -> Any:
    pk = instance._meta.pk
    return None if pk is None else instance.__dict__.get(pk.attname)


class _EncryptedAttribute(DeferredAttribute):
    """Opens a :class:`Sealed` value with the instance's primary key on first access."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(value, row=value.row if value.row is not None else instance.pk)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        if isinstance(value, Sealed) and value.row is None:
            # Loaded from the database: remember the row it was read from, in case the pk of
            # the instance changes before the value is read (a copy saved as a new row).
            value = Sealed(value.token, _pk_of(instance))
        instance.__dict__[self.field.attname] = value


def _encrypted_fields(instance: models.Model) -> list[EncryptedTextField]:
    return [f for f in instance._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def _before_save(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        # Fixtures and `tanu restore` set the values as plaintext and save without pre_save:
        # bind them to the primary key the fixture gives.
        for model_field in _encrypted_fields(instance):
            value = instance.__dict__.get(model_field.attname)
            if isinstance(value, BoundToken | Sealed) or value is None or value == "":
                continue
            instance.__dict__[model_field.attname] = model_field._seal_instance(instance)
        return
    instance.__dict__[_SAVING] = True


def _after_save(
    sender: Any, instance: models.Model, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    instance.__dict__.pop(_SAVING, None)
    pending: set[str] | None = instance.__dict__.pop(_PENDING, None)
    if not pending or instance.pk is None:
        return
    _seal_pending(type(instance), [instance], pending, using=kwargs.get("using"))


def _seal_pending(
    model: type[models.Model], objs: list[Any], attnames: set[str], using: str | None
) -> None:
    """Second step of an insert: write the row-bound tokens now that the rows have their ids."""
    by_attname = {f.attname: f for f in _encrypted_fields(objs[0])} if objs else {}
    names = sorted(attnames)
    if len(objs) > 1:
        _update_from_values(model, objs, names, by_attname, using)
        return
    manager = model._base_manager.using(using) if using else model._base_manager
    for obj in objs:
        values = {a: by_attname[a]._seal_instance(obj) for a in names}
        manager.filter(pk=obj.pk).update(**values)


#: Rows written by one ``UPDATE … FROM (VALUES …)`` of :func:`_update_from_values`.
SEAL_BATCH = 200


def _update_from_values(
    model: type[models.Model],
    objs: list[Any],
    attnames: list[str],
    by_attname: dict[str, EncryptedTextField],
    using: str | None,
) -> None:
    """The bound tokens of many rows, :data:`SEAL_BATCH` rows per statement (PostgreSQL and
    SQLite 3.33+ both know ``UPDATE … FROM``): a bulk import is not one round trip per row."""
    from django.db import connections, router

    alias = using or router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    pk_column = str(meta.pk.column)
    columns = [str(by_attname[a].column) for a in attnames]
    names = ["pk", *(f"v{i}" for i in range(len(columns)))]
    assignments = ", ".join(
        f"{quote(column)} = v.{quote(name)}"
        for column, name in zip(columns, names[1:], strict=True)
    )
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), SEAL_BATCH):
            chunk = objs[start : start + SEAL_BATCH]
            params: list[Any] = []
            for obj in chunk:
                params.append(obj.pk)
                params.extend(
                    by_attname[a].get_prep_value(by_attname[a]._seal_instance(obj))
                    for a in attnames
                )
            row = "(" + ", ".join(["%s"] * len(names)) + ")"
            values = ", ".join([row] * len(chunk))
            cursor.execute(
                f"WITH v({', '.join(quote(n) for n in names)}) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(pk_column)} = v.pk",
                params,
            )


def bulk_create(
    model: type[models.Model], objs: list[Any], *, batch_size: int | None = None
) -> list[Any]:
    """``bulk_create`` for rows with encrypted values and no primary keys yet: inserts them,
    then writes the rows' bound tokens (one UPDATE per :data:`SEAL_BATCH` rows), in one
    transaction."""
    from django.db import transaction

    if not objs:
        return objs
    with transaction.atomic(using=model._default_manager.db):
        for obj in objs:
            obj.__dict__[_SAVING] = True
        try:
            model._default_manager.bulk_create(objs, batch_size=batch_size)
        finally:
            for obj in objs:
                obj.__dict__.pop(_SAVING, None)
        pending: set[str] = set()
        for obj in objs:
            pending |= obj.__dict__.pop(_PENDING, set())
        if pending:
            if any(obj.pk is None for obj in objs):
                raise ValueError(
                    "The database did not return the new ids: set the primary keys first."
                )
            _seal_pending(model, objs, pending, using=None)
    return objs


def blank_values(model: type[models.Model]) -> dict[str, Any]:
    """``QuerySet.update()`` arguments that blank every encrypted field of ``model`` (``""``, or
    NULL for a nullable JSON field): for retention and erasure, so that free text added later
    as an encrypted field is cleared too."""
    values: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, EncryptedTextField):
            json_null = isinstance(model_field, EncryptedJSONField) and model_field.null
            values[model_field.attname] = None if json_null else ""
    return values


class EncryptedTextField(models.TextField):
    """Text stored as an encrypted token bound to its table, row and field; Python code sees the
    plaintext ``str``.

    The context (associated data) is ``"<app_label>.<ModelName>.<field name>"`` with the row's
    primary key. Renaming the app label, the model or the field changes it, and old values stop
    decrypting: pass ``context="old.Name.field"`` to keep reading them, or re-encrypt in a data
    migration.

    ``None`` is stored as NULL and ``""`` as ``""`` (so emptiness is visible, content is not).
    No lookup except ``__isnull`` is allowed: search through a blind index instead. Ordering by
    the field orders by ciphertext, which is meaningless.
    """

    description = "Encrypted text"
    descriptor_class = _EncryptedAttribute
    _refused_lookup_hint = (
        "Encrypted fields cannot be searched or compared in the database; query a blind index "
        "field (tanu.lib.crypto.blind_index) instead. Only __isnull is allowed."
    )

    def __init__(self, *args: Any, context: str | None = None, **kwargs: Any) -> None:
        self._explicit_context = context
        self.context = context or ""
        super().__init__(*args, **kwargs)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not self._explicit_context:
            self.context = f"{cls._meta.app_label}.{cls.__name__}.{name}"
        if not cls._meta.abstract:
            uid = f"tanu.crypto.{cls._meta.label}"
            signals.pre_save.connect(_before_save, sender=cls, weak=False, dispatch_uid=uid)
            signals.post_save.connect(_after_save, sender=cls, weak=False, dispatch_uid=uid)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self._explicit_context:
            kwargs["context"] = self._explicit_context
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        for option in ("unique", "db_index", "primary_key"):
            if getattr(self, option, False):
                errors.append(
                    checks.Error(
                        f"An encrypted field cannot have {option}=True: every encryption of a "
                        "value differs.",
                        hint="Put the constraint or the index on a blind index field.",
                        obj=self,
                        id="tanu.E012",
                    )
                )
        return errors

    def _require_context(self) -> str:
        if not self.context:
            raise ImproperlyConfigured(
                f"{type(self).__name__} {self.name!r} has no encryption context: it is not "
                "attached to a model and no context= was given."
            )
        return self.context

    # Plaintext <-> text to encrypt (overridden for JSON)

    def _to_text(self, value: Any) -> str | None:
        """The text to encrypt, or None when the value is stored as it is (None, "")."""
        if value is None or value == "":
            return None
        return str(value)

    def _from_text(self, text: str) -> Any:
        return text

    def _unreadable(self, token: str) -> Any:
        stand_in = UnreadableText("")
        stand_in.token = token
        return stand_in

    # Row-bound encryption

    def seal(self, value: Any, *, row: object) -> Any:
        """The value to store for ``value`` in the row with primary key ``row``."""
        if is_unreadable(value):
            return BoundToken(value.token)
        if isinstance(value, BoundToken):
            return value
        text = self._to_text(value)
        if text is None:
            return value
        return BoundToken(encrypt(text, context=self._require_context(), row=row))

    def open(self, sealed: Sealed | str, *, row: object) -> Any:
        """The plaintext of a stored token of the row with primary key ``row``; an unreadable
        stand-in (logged) if it does not decrypt."""
        token = sealed.token if isinstance(sealed, Sealed) else sealed
        try:
            return self._from_text(decrypt(token, context=self._require_context(), row=row))
        except (DecryptionError, ValueError):
            logger.warning(
                "An encrypted value does not decrypt: %s row %s (altered, copied from another "
                "row or field, or under a key not in the ring).",
                self.context,
                row,
            )
            return self._unreadable(token)

    def _seal_instance(self, instance: models.Model) -> Any:
        value = self.value_from_object(instance)
        pk = instance.pk
        if pk is None and self._to_text(value) is not None and not is_unreadable(value):
            raise ValueError(f"{self.context}: the row has no primary key to bind the value to.")
        return self.seal(value, row=pk)

    # Values

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self._empty_from_db(value)
        return Sealed(value)

    def _empty_from_db(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if model_instance.pk is not None or self._to_text(value) is None:
            return self.seal(value, row=model_instance.pk)
        if is_unreadable(value) or isinstance(value, BoundToken):
            return BoundToken(getattr(value, "token", value))
        if not model_instance.__dict__.get(_SAVING):
            raise ValueError(
                f"{self.context}: encrypted values are bound to their row's primary key, which "
                "this bulk insert does not know. Set the primary keys first or use "
                "tanu.lib.crypto.bulk_create()."
            )
        # First step of a two-step insert: the post_save hook writes the bound token.
        model_instance.__dict__.setdefault(_PENDING, set()).add(self.attname)
        return ""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, BoundToken):
            return str(value)
        if value is None or value == "":
            return value
        if is_unreadable(value):
            return value.token
        raise ValueError(
            f"{self._label()}: an encrypted value is bound to its row and can only be written by "
            "saving the instance (or cleared to '' / None with QuerySet.update())."
        )

    # Lookups: refused, so that nothing compares plaintext with ciphertext by accident.

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"Lookup {lookup_name!r} on encrypted field {self._label()} is refused. "
            f"{self._refused_lookup_hint}"
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(
            f"Transform {lookup_name!r} on encrypted field {self._label()} is refused. "
            f"{self._refused_lookup_hint}"
        )

    def _label(self) -> str:
        return self.context or repr(getattr(self, "name", None))


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict, list, str, number, bool) stored as an encrypted token.

    Serialised with ``json.dumps`` (or ``encoder``) and returned with ``json.loads`` (or
    ``decoder``). Python ``None`` is stored as SQL NULL.
    """

    description = "Encrypted JSON"

    def __init__(
        self,
        *args: Any,
        encoder: type[json.JSONEncoder] | None = None,
        decoder: type[json.JSONDecoder] | None = None,
        **kwargs: Any,
    ) -> None:
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        if self.decoder is not None:
            kwargs["decoder"] = self.decoder
        return name, path, args, kwargs

    def _to_text(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))

    def _from_text(self, text: str) -> Any:
        return json.loads(text, cls=self.decoder)

    def _unreadable(self, token: str) -> Any:
        default = self.get_default()
        stand_in: UnreadableText | UnreadableList | UnreadableDict
        if isinstance(default, dict):
            stand_in = UnreadableDict()
        elif isinstance(default, list):
            stand_in = UnreadableList()
        else:
            stand_in = UnreadableText("")
        stand_in.token = token
        return stand_in

    def _empty_from_db(self, value: Any) -> Any:
        return None

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value == ""):
            return value  # NULL, or the first step of a two-step insert
        if isinstance(value, BoundToken):
            return str(value)
        if is_unreadable(value):
            return value.token
        raise ValueError(
            f"{self._label()}: an encrypted value is bound to its row and can only be written by "
            "saving the instance (or cleared to None with QuerySet.update())."
        )

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(
            **{
                "form_class": forms.JSONField,
                "encoder": self.encoder,
                "decoder": self.decoder,
                **kwargs,
            }
        )
