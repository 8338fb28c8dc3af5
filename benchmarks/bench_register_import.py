"""How fast a legacy register is imported: rows checked and rows written per second.

Builds a synthetic register (external ids, names in the four spellings of one name and others,
dates of birth as DD.MM.YYYY and ISO, sex, a document number, a region name, a registration
date, an outcome and a note on every row) as CSV, then runs ``tanu persons import`` on it in a
scratch SQLite database (a temporary TANU_DATA_DIR, migrated first): once with ``--dry-run``
(the check alone), once for real, and once more (everything already imported). A register
larger than one file may be (20,000 rows) is imported as consecutive files of 20,000 rows, as an
agency would split it; the figures are the sums. Prints the figures; the command's own output
shows the progress.

    .venv/bin/python benchmarks/bench_register_import.py [--rows 10000]
    .venv/bin/python benchmarks/bench_register_import.py --rows 1000000
    TANU_DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_register_import.py
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
os.environ.setdefault("TANU_DEBUG", "1")

GIVEN = ["Әйгерім", "Айгерим", "AIGERIM", "Äigerım", "Жанар", "Бахтиёр", "Дана", "Ерлан"]
FAMILY = ["Сәрсенбаева", "Сарсенбаева", "SARSENBAEVA", "Särsenbaeva", "Ахметова", "Рахимов"]
REGIONS = ["KZ-75", "Алматы", "Almaty Region", "Маңғыстау облысы", "KZ-ALA", "Shymkent"]


def register(rows: int, seed: int, first: int = 0) -> bytes:
    """``rows`` register rows, the first with the external id ``REG-{first}``."""
    from tanu.registers.imports import COLUMNS

    rng = random.Random(seed + first)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    for n in range(first, first + rows):
        year, month, day = rng.randint(1960, 2010), rng.randint(1, 12), rng.randint(1, 28)
        born = f"{day:02d}.{month:02d}.{year}" if n % 2 else f"{year}-{month:02d}-{day:02d}"
        writer.writerow(
            [
                f"REG-{n:07d}",
                rng.choice(FAMILY),
                rng.choice(GIVEN),
                rng.choice(["", "Серікқызы", "Ивановна"]),
                born,
                rng.choice(["F", "M", ""]),
                rng.choice(["KZ", "UZ", "KG", ""]),
                f"N{rng.randrange(10**8):08d}",
                rng.choice(REGIONS),
                f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["presumed_victim", "possible_victim", ""]),
                "Обратилась в приют." if n % 3 == 0 else "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tanu-bench-") as scratch:
        os.environ.setdefault("TANU_DATA_DIR", scratch)
        import django

        django.setup()
        from django.core.management import call_command

        from tanu.accounts.models import Agency, Region, Role, User

        call_command("migrate", verbosity=0)
        region = Region.objects.get(code="KZ-75")
        agency = Agency.objects.create(name_en="Bench shelter", kind="shelter", region=region)
        User.objects.create_user(username="bench-caseworker", role=Role.CASE_WORKER, agency=agency)
        from tanu.registers.imports import MAX_ROWS

        per_file = min(args.rows, MAX_ROWS)
        paths = []
        for start in range(0, args.rows, per_file):
            path = Path(scratch) / f"register-{start // per_file + 1:03d}.csv"
            rows = min(per_file, args.rows - start)
            path.write_bytes(register(rows, args.seed, first=start))
            paths.append(path)
        size_mb = sum(p.stat().st_size for p in paths) / 1024 / 1024
        print(
            f"register: {args.rows} rows in {len(paths)} file(s) of up to {per_file} rows, "
            f"{size_mb:.1f} MB (CSV UTF-8, ';')"
        )

        figures = {}
        for label, extra in (
            ("check (--dry-run)", ["--dry-run"]),
            ("import", ["--by", "bench-caseworker"]),
            ("import again (all known)", ["--by", "bench-caseworker"]),
        ):
            seconds = 0.0
            for path in paths:
                out = io.StringIO()
                started = time.perf_counter()
                call_command(
                    "persons", "import", str(path), "--agency", str(agency.pk), *extra, stdout=out
                )
                seconds += time.perf_counter() - started
            figures[label] = seconds
            print(out.getvalue().strip().splitlines()[-1])
            print(f"{label}: {seconds:.1f} s, {args.rows / seconds:.0f} rows/s", flush=True)
        print()
        print("| step | seconds | rows/s |")
        print("|---|---:|---:|")
        for label, seconds in figures.items():
            print(f"| {label} | {seconds:.1f} | {args.rows / seconds:.0f} |")


if __name__ == "__main__":
    main()
