"""Benchmark the assessment engine and `tanu assess`.

    .venv/bin/python benchmarks/bench_assess.py [--n 100000] [--seed 2024]

Generates N random screenings for one checklist (default ilo-adult-labour) with a fixed seed:
each indicator is observed (20%), not observed (50%), declined (2%) or left unknown (28%).
Prints the time to merely parse the JSON lines, the engine's assessments per second (one
process, one core, decisive questions included) and `tanu assess` end to end (a subprocess over
a temporary file, output to /dev/null), as a table and then as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tanu.identification.checklist_files import load_all
from tanu.identification.engine import assess

ANSWER_WEIGHTS = {"observed": 0.20, "not_observed": 0.50, "declined": 0.02, "unknown": 0.28}


def generate(codes: list[str], n: int, seed: int) -> list[tuple[list[str], list[str], list[str]]]:
    rng = random.Random(seed)
    o_cut = ANSWER_WEIGHTS["observed"]
    n_cut = o_cut + ANSWER_WEIGHTS["not_observed"]
    d_cut = n_cut + ANSWER_WEIGHTS["declined"]
    screenings = []
    for _ in range(n):
        observed: list[str] = []
        not_observed: list[str] = []
        declined: list[str] = []
        for code in codes:
            r = rng.random()
            if r < o_cut:
                observed.append(code)
            elif r < n_cut:
                not_observed.append(code)
            elif r < d_cut:
                declined.append(code)
        screenings.append((observed, not_observed, declined))
    return screenings


def tanu_command() -> list[str]:
    script = Path(sys.executable).with_name("tanu")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tanu"]


def run_cli(path: Path) -> float:
    env = {**os.environ, "TANU_DEBUG": "1"}
    # `tanu assess` reads the checklist versions in force from the database: have it ready
    # (untimed; nothing to do when it is).
    subprocess.run(
        [*tanu_command(), "migrate", "--no-input"], capture_output=True, env=env, check=True
    )
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        completed = subprocess.run(
            [*tanu_command(), "assess", "--input", str(path)],
            stdout=devnull,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"tanu assess failed ({completed.returncode}): {completed.stderr!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of screenings")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--checklist", default="ilo-adult-labour")
    args = parser.parse_args()

    checklist = load_all()[args.checklist]
    codes = list(checklist.indicators)
    screenings = generate(codes, args.n, args.seed)

    with tempfile.TemporaryDirectory(prefix="tanu-bench-") as folder:
        path = Path(folder) / "screenings.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number, (observed, not_observed, declined) in enumerate(screenings):
                record = {
                    "id": number,
                    "checklist": args.checklist,
                    "observed": observed,
                    "not_observed": not_observed,
                    "declined": declined,
                }
                handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        size = path.stat().st_size

        # 1. merely parsing the JSON lines
        start = time.perf_counter()
        with path.open("rb") as handle:
            for line in handle:
                json.loads(line)
        parse_seconds = time.perf_counter() - start

        # 2. the engine itself, on screenings already in memory
        outcomes: dict[str, int] = {}
        start = time.perf_counter()
        cpu_start = time.process_time()
        for observed, not_observed, declined in screenings:
            result = assess(checklist, observed, not_observed, declined)
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        engine_seconds = time.perf_counter() - start
        engine_cpu_seconds = time.process_time() - cpu_start

        # 3. `tanu assess` end to end (process start, Django set-up, parse, assess, write)
        empty = Path(folder) / "empty.jsonl"
        empty.write_bytes(b"")
        startup_seconds = min(run_cli(empty) for _ in range(3))
        cli_seconds = run_cli(path)

    n = args.n
    figures = {
        "checklist": args.checklist,
        "n": n,
        "seed": args.seed,
        "input_mb": round(size / 1e6, 1),
        "outcomes": dict(sorted(outcomes.items())),
        "parse_seconds": round(parse_seconds, 3),
        "parse_lines_per_second": round(n / parse_seconds),
        "engine_seconds": round(engine_seconds, 3),
        "engine_cpu_seconds": round(engine_cpu_seconds, 3),
        "engine_assessments_per_second": round(n / engine_seconds),
        "cli_seconds": round(cli_seconds, 3),
        "cli_startup_seconds": round(startup_seconds, 3),
        "cli_assessments_per_second": round(n / cli_seconds),
        "python": platform.python_version(),
    }
    rows = [
        ("parse JSON lines only", parse_seconds, n / parse_seconds),
        ("engine: assess() incl. decisive", engine_seconds, n / engine_seconds),
        ("tanu assess, end to end", cli_seconds, n / cli_seconds),
        ("  of which start-up (empty input)", startup_seconds, None),
    ]
    print(f"{n} random screenings for {args.checklist} ({len(codes)} indicators), seed {args.seed}")
    print(f"input {size / 1e6:.1f} MB; outcomes {figures['outcomes']}")
    print()
    print(f"{'step':<36} {'seconds':>9} {'per second':>12}")
    for label, seconds, rate in rows:
        shown_rate = f"{rate:>12,.0f}" if rate is not None else f"{'':>12}"
        print(f"{label:<36} {seconds:>9.3f} {shown_rate}")
    print()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
