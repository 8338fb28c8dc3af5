"""Record linkage, measured: quality against the generator's truth, and time, at 100,000 persons
and (on request) a million.

Synthetic persons (tanu.ops.synthetic.duplicates): a quarter of the identities is recorded two or
three times, each record in another script (Kazakh Cyrillic, Kazakh on a Russian keyboard,
passport Latin, Kazakh Latin 2021), with typos, the patronymic present or missing, the date of
birth with day and month swapped, a day off or missing (an estimated age instead), the document
at hand or not. The persons are created in bulk in a scratch database (encrypted and indexed as
the case actions do it: each with a blind index of its names and documents and a case in one of
the agencies), not through the register import: its own benchmark is bench_register_import.py.

For each size it reports:

* the time to create the persons, and to deduplicate them: ``tanu.linkage.engine.run_full``
  (decrypting in batches, building the keys, estimating the model, comparing, keeping the pairs);
* pairwise precision and recall against the truth at the default threshold and at others;
* the same for plain Splink: the same model, comparisons and blocking on the raw names
  (case-folded, no transliteration), side by side, and its recall at our precision;
* one new person against everyone already there (``run_incremental``): median and slowest of
  a few dozen persons, with the model of the full run.

    .venv/bin/python benchmarks/bench_linkage.py                          # 100,000
    BENCH_LINKAGE_SIZES=100000,1000000 .venv/bin/python benchmarks/bench_linkage.py
    make bench  (runs it after the page benchmarks, with BENCH_LINKAGE_SIZES if set)

The scratch database is SQLite in a temporary folder unless TANU_DATABASE_URL names another.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
os.environ.setdefault("TANU_DEBUG", "1")

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)
INCREMENTAL_SAMPLE = 50


RESULTS_MD = Path(__file__).resolve().parent / "results.md"
MARK = "<!-- bench_linkage.py writes this section -->"
REPORT: list[str] = []


def say(text: str, *, report: bool = True) -> None:
    """Print a line; the report's lines also go to results.md."""
    print(text, flush=True)
    if report:
        REPORT.append(text)


def write_results(command: str) -> None:
    """Replace the linkage section of results.md (run.py rewrites the rest of the file)."""
    before = RESULTS_MD.read_text(encoding="utf-8").split(MARK)[0] if RESULTS_MD.exists() else ""
    section = [
        MARK,
        "",
        "## Record linkage",
        "",
        f"Command: `{command}`; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "```",
        *REPORT,
        "```",
        "",
    ]
    RESULTS_MD.write_text(before.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")


def create(records: list[Any], start: int, agencies: list[Any], creator: Any) -> float:
    """Persons, their blind indexes and cases, in bulk, with the primary keys set first (so
    that each value is encrypted once, bound to its row). Returns the seconds taken."""
    from django.db import transaction

    from tanu.cases.actions import person_digests
    from tanu.cases.models import Case, Person, PersonIndex, age_band

    began = time.monotonic()
    batch = 5000
    for offset in range(0, len(records), batch):
        persons, indexes, cases = [], [], []
        for i, record in enumerate(records[offset : offset + batch], start + offset):
            person = Person(
                pk=i,
                family_name=record.family_name,
                given_name=record.given_name,
                patronymic=record.patronymic,
                date_of_birth=record.date_of_birth,
                estimated_age=record.estimated_age,
                age_band=age_band(record.estimated_age),
                sex=record.sex,
                citizenship=record.citizenship,
                documents=record.documents,
            )
            persons.append(person)
            indexes += [
                PersonIndex(person_id=i, kind=kind, digest=digest)
                for kind, digest in person_digests(person)
            ]
            agency = agencies[record.region % len(agencies)]
            cases.append(
                Case(
                    pk=i,
                    number=f"BENCH-{i}",
                    person_id=i,
                    agency=agency,
                    region_id=agency.region_id,
                    created_by=creator,
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(persons)
            PersonIndex.objects.bulk_create(indexes)
            Case.objects.bulk_create(cases)
        done = offset + len(persons)
        if done % 50_000 == 0 or done == len(records):
            elapsed = time.monotonic() - began
            say(f"  created {start - 1 + done:,} persons ({elapsed:.0f} s)", report=False)
    return time.monotonic() - began


def true_pairs(truth: dict[int, int]) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for person, identity in truth.items():
        groups[identity].append(person)
    return {
        (a, b)
        for members in groups.values()
        for i, a in enumerate(sorted(members))
        for b in sorted(members)[i + 1 :]
    }


def quality(pairs: list[Any], truth: set[tuple[int, int]]) -> dict[float, dict[str, float]]:
    figures = {}
    for threshold in sorted({*THRESHOLDS, default_threshold()}):
        found = {(p.person_a, p.person_b) for p in pairs if p.match_probability >= threshold}
        right = len(found & truth)
        figures[threshold] = {
            "precision": right / len(found) if found else 1.0,
            "recall": right / len(truth) if truth else 1.0,
            "pairs": len(found),
        }
    return figures


def recall_at_precision(pairs: list[Any], truth: set[tuple[int, int]], precision: float) -> float:
    """The best recall the pairs reach while keeping at least this precision."""
    best, right = 0.0, 0
    for n, pair in enumerate(sorted(pairs, key=lambda p: -p.match_probability), 1):
        right += (pair.person_a, pair.person_b) in truth
        if right / n >= precision:
            best = max(best, right / len(truth))
    return best


class Progress:
    """Prints the run's stages, and its reading progress every 15 seconds."""

    def __init__(self, began: float) -> None:
        self.began = self.last = began

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last > 15 or done == total or total <= 1:
            self.last = now
            say(f"    [{now - self.began:6.1f} s] {stage} {done:,}/{total:,}", report=False)


def default_threshold() -> float:
    from tanu.linkage.engine import default_threshold as threshold

    return threshold()


def plain_rows(records: list[Any], start: int) -> list[dict[str, Any]]:
    from tanu.linkage.features import PersonValues, feature_row
    from tanu.ops.synthetic.duplicates import REFERENCE_YEAR

    return [
        feature_row(
            PersonValues(
                person_id=i,
                family_name=r.family_name,
                given_name=r.given_name,
                patronymic=r.patronymic,
                other_names="",
                date_of_birth=r.date_of_birth,
                estimated_age=r.estimated_age,
                reference_year=REFERENCE_YEAR,
                sex=r.sex,
                citizenship=r.citizenship,
                region=str(r.region),
                documents=r.documents,
            ),
            plain=True,
        )
        for i, r in enumerate(records, start)
    ]


def table(ours: dict[float, dict[str, float]], plain: dict[float, dict[str, float]]) -> None:
    say("  threshold | tanu: precision / recall (pairs) | plain Splink: precision / recall (pairs)")
    for threshold in ours:
        a, b = ours[threshold], plain[threshold]
        mark = "  <- default" if threshold == default_threshold() else ""
        say(
            f"  {threshold:9} | {a['precision']:.4f} / {a['recall']:.4f} ({a['pairs']:,})"
            f" | {b['precision']:.4f} / {b['recall']:.4f} ({b['pairs']:,}){mark}"
        )


def run(sizes: list[int], seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from tanu.accounts.models import Agency, Region, User
    from tanu.linkage import engine
    from tanu.ops.synthetic.duplicates import population

    call_command("migrate", verbosity=0)
    regions = list(Region.objects.order_by("code"))
    creator = User.objects.create(username="bench.linkage", role="screener")
    agencies = [
        Agency.objects.create(
            region=region, name_en=f"Bench {region.code}", name_ru="Бенч", name_kk="Бенч"
        )
        for region in regions
    ]
    everyone = list(population(max(sizes), seed=seed, regions=len(agencies)))
    truth_all = {i: r.truth for i, r in enumerate(everyone, 1)}
    made = 0
    for size in sorted(sizes):
        say(f"\n## {size:,} persons")
        seconds = create(everyone[made:size], made + 1, agencies, creator)
        say(
            f"- created in bulk: {size - made:,} persons ({size:,} in all) in {seconds:.1f} s "
            f"({(size - made) / seconds:,.0f} persons/s; encrypted, indexed, each with a case)"
        )
        made = size
        truth = true_pairs({p: t for p, t in truth_all.items() if p <= size})
        say(f"- true duplicate pairs: {len(truth):,}")

        began = time.monotonic()
        progress = Progress(began)
        result = engine.run_full(report_above=min(THRESHOLDS), progress=progress)
        ours_seconds = time.monotonic() - began
        say(
            f"- tanu deduplicated {size:,} persons in {ours_seconds:.1f} s "
            f"({result.run.pairs:,} pairs kept at {default_threshold()})"
        )

        rows = plain_rows(everyone[:size], 1)
        began = time.monotonic()
        try:
            plain_pairs, _ = engine.score_rows(rows, threshold=min(THRESHOLDS))
        except engine.LinkageError:
            say("- plain Splink could not estimate its model on these raw names: no pairs")
            plain_pairs = []
        plain_seconds = time.monotonic() - began
        del rows
        say(f"- plain Splink (raw names, rows already in memory) in {plain_seconds:.1f} s")

        ours = quality(result.pairs, truth)
        plain = quality(plain_pairs, truth)
        table(ours, plain)
        at_default = ours[default_threshold()]
        plain_recall = recall_at_precision(plain_pairs, truth, at_default["precision"])
        say(
            f"- at tanu's precision {at_default['precision']:.4f}: tanu recall "
            f"{at_default['recall']:.4f}, plain Splink's best recall {plain_recall:.4f}"
        )

        rng = random.Random(seed)
        sample = rng.sample(range(1, size + 1), INCREMENTAL_SAMPLE)
        times = []
        for person_id in sample:
            began = time.monotonic()
            engine.run_incremental(person_id)
            times.append(time.monotonic() - began)
        say(
            f"- one person against {size:,}: median {statistics.median(times) * 1000:.0f} ms, "
            f"90th percentile {sorted(times)[int(0.9 * len(times)) - 1] * 1000:.0f} ms, "
            f"slowest {max(times) * 1000:.0f} ms ({INCREMENTAL_SAMPLE} persons)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_LINKAGE_SIZES", "100000"),
        help="persons, comma-separated (BENCH_LINKAGE_SIZES)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print only, keep results.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="tanu-bench-linkage-") as scratch:
        os.environ.setdefault("TANU_DATA_DIR", scratch)
        os.environ.setdefault("TANU_DATABASE_URL", f"sqlite:///{scratch}/linkage.sqlite3")
        say(f"# Record linkage benchmark ({os.cpu_count()} cores)", report=False)
        run(sizes, args.seed)
    if not args.no_write:
        write_results(f"benchmarks/bench_linkage.py --sizes {args.sizes}")


if __name__ == "__main__":
    main()
