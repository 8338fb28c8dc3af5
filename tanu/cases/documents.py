"""Where the cases' documents are kept: one encrypted file a document, named at random, in the
``documents`` folder of the data directory. The key context binds each file to its name, so a
file copied under another document's name does not decrypt. The rows (``Document``) and their
audit entries are the actions'; this module only writes, reads and removes the files."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from tanu.lib import crypto


def documents_dir() -> Path:
    path = Path(settings.DATA_DIR) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_context(storage_name: str) -> str:
    return f"cases.Document.content.{storage_name}"


def store(content: bytes) -> str:
    """Encrypt and write the content; returns the new file's storage name."""
    storage_name = secrets.token_hex(16)
    target = documents_dir() / storage_name
    target.write_text(crypto.encrypt(content, context=document_context(storage_name)))
    return storage_name


def read(storage_name: str) -> bytes:
    token = (documents_dir() / storage_name).read_text()
    return crypto.decrypt_bytes(token, context=document_context(storage_name))


def remove(storage_name: str) -> None:
    (documents_dir() / storage_name).unlink(missing_ok=True)
