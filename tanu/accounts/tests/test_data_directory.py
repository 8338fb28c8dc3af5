"""Outside debug and demo, tanu needs TANU_DATA_DIR, outside its installation: a default inside
the installed package or the virtualenv would be deleted when either is rebuilt."""

from __future__ import annotations

import sys
from pathlib import Path

from tanu.accounts.tests.test_security_settings import PRODUCTION_ENV, _tanu

WITHOUT_DATA_DIR = {k: v for k, v in PRODUCTION_ENV.items() if k != "TANU_DATA_DIR"}


def test_production_refuses_to_start_without_a_data_directory() -> None:
    result = _tanu("check", extra_env=WITHOUT_DATA_DIR)
    assert result.returncode != 0
    assert "TANU_DATA_DIR is not set" in result.stderr
    assert "outside the installation" in result.stderr


def test_production_refuses_a_data_directory_inside_the_virtualenv() -> None:
    inside = Path(sys.prefix) / "var"
    result = _tanu("check", extra_env={**WITHOUT_DATA_DIR, "TANU_DATA_DIR": str(inside)})
    assert result.returncode != 0
    assert "is inside the installation" in result.stderr
    assert not inside.exists()


def test_production_refuses_a_data_directory_inside_the_installed_package() -> None:
    package = Path(__file__).resolve().parents[2]
    env = {**WITHOUT_DATA_DIR, "TANU_DATA_DIR": str(package / "var")}
    result = _tanu("check", extra_env=env)
    assert result.returncode != 0
    assert "is inside the installation" in result.stderr


def test_production_starts_with_a_data_directory_outside_the_installation(tmp_path: Path) -> None:
    env = {
        **PRODUCTION_ENV,
        "TANU_DATA_DIR": str(tmp_path),
        "TANU_DATABASE_URL": f"sqlite:///{tmp_path / 'tanu.sqlite3'}",
    }
    result = _tanu("check", extra_env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_debug_and_demo_keep_their_default_data_directory() -> None:
    for mode in ({"TANU_DEBUG": "1"}, {"TANU_DEMO": "1", "TANU_ALLOWED_HOSTS": "localhost"}):
        result = _tanu("check", extra_env={**WITHOUT_DATA_DIR, **mode})
        assert result.returncode == 0, result.stderr[-2000:]
