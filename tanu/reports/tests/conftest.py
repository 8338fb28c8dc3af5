"""Every statistics test writes its export files under its own temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
