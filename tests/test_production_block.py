"""The README's production block, run as written, ends with `tanu check --deploy` reporting no
issue; run again, it keeps the secrets it made the first time.

How the test installs tanu, honestly: the block's first line (`python3.11 -m venv /opt/tanu &&
/opt/tanu/bin/pip install /path/to/tanu`) would download the dependencies, which a test must not
do. So the test makes the scratch virtualenv with `python -m venv` (the same interpreter as the
suite's), lays the working tree's `tanu` package into that virtualenv's site-packages as a
non-editable install would (a copy, with a `tanu` console script), and lets the virtualenv reach
the dependencies already installed for the suite through a `.pth` file (a plain path: the
suite's editable install of tanu is not picked up). Every other line of the block runs as the
README prints it, with its paths pointed into a temporary directory (`/opt/tanu`, `/etc/tanu`,
`/var/lib/tanu`), the database URL pointed at a scratch PostgreSQL database
(`tanu_prod_check_<random>`, dropped afterwards), and the last line (gunicorn, which would serve
until stopped) left out.

Slow (a minute or more): it runs only with TANU_SLOW_TESTS=1, as `.ci/run` sets it, and is
skipped when PostgreSQL does not answer on 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START = "<!-- production-block"
END = "<!-- /production-block -->"
INSTALL_LINE = "python3.11 -m venv /opt/tanu && /opt/tanu/bin/pip install /path/to/tanu"
SERVE_LINE = "/opt/tanu/bin/gunicorn tanu.wsgi --workers 3 --bind 127.0.0.1:8001"
README_DATABASE = "postgres://tanu:PASSWORD@127.0.0.1:5432/tanu"
POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("TANU_SLOW_TESTS") != "1",
        reason="slow: set TANU_SLOW_TESTS=1 to run it (.ci/run does)",
    ),
]


def production_block() -> list[str]:
    """The lines of the README's production block, between its markers, without the fences."""
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README's production block lost its markers"
    block = text.split(START, 1)[1].split("\n", 1)[1].split(END, 1)[0].strip()
    assert block.startswith("```") and block.endswith("```")
    return block.removeprefix("```").removesuffix("```").strip("\n").splitlines()


@pytest.fixture
def scratch_database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL does not answer on 127.0.0.1:5432 ({exc})")
    name = f"tanu_prod_check_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def install_tanu(venv: Path) -> None:
    """A virtualenv holding a copy of the working tree's tanu (see the module's docstring)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shutil.copytree(
        ROOT / "tanu",
        Path(site) / "tanu",
        ignore=shutil.ignore_patterns("__pycache__", "tests", "*.pyc"),
    )
    (Path(site) / "tanu-suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = venv / "bin" / "tanu"
    script.write_text(f"#!{python}\nfrom tanu.cli import main\n\nmain()\n")
    script.chmod(0o755)


def test_the_readme_production_block_runs_to_a_clean_deploy_check(
    tmp_path: Path, scratch_database: str
) -> None:
    lines = production_block()
    assert INSTALL_LINE in lines, "the block's install line changed: update this test"
    assert lines[-1] == SERVE_LINE, "the block no longer ends by starting gunicorn"
    venv, etc, data = tmp_path / "opt-tanu", tmp_path / "etc-tanu", tmp_path / "var-lib-tanu"
    etc.mkdir(mode=0o700)
    data.mkdir(mode=0o700)
    install_tanu(venv)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import tanu; print(tanu.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the working tree, whose tanu a `python -c` would import
    ).stdout
    assert installed.startswith(str(venv)), installed

    script = "\n".join(
        ["set -eu"]
        + [
            ": tanu is installed by the test" if line == INSTALL_LINE else line
            for line in lines[:-1]
        ]
    )
    for readme_path, scratch in (
        (README_DATABASE, scratch_database),
        ("/opt/tanu", str(venv)),
        ("/etc/tanu", str(etc)),
        ("/var/lib/tanu", str(data)),
    ):
        assert readme_path in script, readme_path
        script = script.replace(readme_path, scratch)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }

    def run_block() -> str:
        result = subprocess.run(
            ["bash", "-c", script],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-4000:]
        assert "System check identified no issues" in output, output[-4000:]
        return output

    run_block()
    environment = etc / "environment"
    assert stat.S_IMODE(environment.stat().st_mode) == 0o600
    secrets = environment.read_text()
    for name in (
        "TANU_SECRET_KEY",
        "TANU_FIELD_KEYS",
        "TANU_BLIND_INDEX_KEY",
        "TANU_BACKUP_KEY",
        "TANU_AUDIT_KEY",
        "TANU_DATA_DIR",
    ):
        assert f"\n{name}=" in f"\n{secrets}", name
    assert (data / "static" / "staticfiles.json").exists()

    run_block()  # an upgrade, say: the same secrets, nothing made again
    assert environment.read_text() == secrets
