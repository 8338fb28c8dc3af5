"""The linkage benchmark at a tiny size, so that it cannot rot: it runs in a scratch database of
its own and prints every figure the issue asks for (results.md is left alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_linkage_benchmark_prints_its_figures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANU_")}
    env.update({"TANU_DEBUG": "1", "TMPDIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_linkage.py", "--sizes", "600", "--no-write"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for figure in (
        "created in bulk: 600 persons",
        "tanu deduplicated 600 persons",
        "plain Splink (raw names",
        "<- default",
        "plain Splink's best recall",
        "one person against 600",
    ):
        assert figure in out, figure
