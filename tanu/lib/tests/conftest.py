"""Every test here starts from an empty key configuration and a fresh keyring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tanu.lib import crypto


@pytest.fixture(autouse=True)
def fresh_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (crypto.ENV_KEYS, crypto.ENV_KEY_FILE, crypto.ENV_ACTIVE, crypto.ENV_BLIND):
        monkeypatch.delenv(name, raising=False)
    crypto.reset_keyring()
    yield
    crypto.reset_keyring()
