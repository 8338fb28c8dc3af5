"""`tanu check --deploy` warns when the blind-index key or the backup key is only derived from
a field key (tanu.W010, tanu.W011)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tanu.accounts.tests.test_security_settings import PRODUCTION_ENV, _tanu
from tanu.ops.checks import keys_are_set_on_their_own

KEY = base64.urlsafe_b64encode(b"x" * 32).decode()


def _ids(monkeypatch: pytest.MonkeyPatch, **env: str) -> set[str]:
    for name in ("TANU_BLIND_INDEX_KEY", "TANU_BACKUP_KEY", "TANU_FIELD_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {message.id for message in keys_are_set_on_their_own(None)}


def test_derived_blind_index_and_backup_keys_are_each_warned_about(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _ids(monkeypatch) == {"tanu.W010", "tanu.W011"}
    assert _ids(monkeypatch, TANU_BLIND_INDEX_KEY=KEY) == {"tanu.W011"}
    assert _ids(monkeypatch, TANU_BACKUP_KEY=KEY) == {"tanu.W010"}
    assert _ids(monkeypatch, TANU_BLIND_INDEX_KEY=KEY, TANU_BACKUP_KEY=KEY) == set()


def test_a_blind_index_key_in_the_key_file_counts_as_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_blind = tmp_path / "with-blind.json"
    with_blind.write_text(json.dumps({"keys": {"k1": KEY}, "blind_index_key": KEY}))
    without = tmp_path / "without.json"
    without.write_text(json.dumps({"keys": {"k1": KEY}}))
    assert _ids(monkeypatch, TANU_FIELD_KEY_FILE=str(with_blind), TANU_BACKUP_KEY=KEY) == set()
    assert _ids(monkeypatch, TANU_FIELD_KEY_FILE=str(without), TANU_BACKUP_KEY=KEY) == {"tanu.W010"}


def test_check_deploy_names_the_derived_keys(tmp_path: Path) -> None:
    env = {
        **{
            k: v
            for k, v in PRODUCTION_ENV.items()
            if k not in {"TANU_BLIND_INDEX_KEY", "TANU_BACKUP_KEY"}
        },
        "TANU_DATA_DIR": str(tmp_path),
    }
    result = _tanu("check", "--deploy", extra_env=env)
    output = result.stdout + result.stderr
    assert "tanu.W010" in output
    assert "tanu.W011" in output
    assert "TANU_BLIND_INDEX_KEY is not set" in output
